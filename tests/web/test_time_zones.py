"""Each school has its IANA time zone: times are typed, shown and printed in
the zone of the student's school, and "today" is that school's today."""
import datetime
import io
from zoneinfo import ZoneInfo

from fieldapp import imports
from fieldapp.documents.issue import pdf_text
from fieldapp.models import AttendanceEvent, Contact, DocumentRecord, School
from fieldapp.rules.settings import RuleSettings
from fieldapp.timefmt import to_local, today_for_school
from tests import factories
from tests.web.conftest import page_text
from tests.jobs_support import post_job

EASTERN = "America/New_York"


def eastern(world):
    School.update(time_zone=EASTERN).where(School.id == world["school_a"].id).execute()


def test_an_officer_in_pennsylvania_types_the_local_time_and_sees_it_back(auth, client, world, login_as):
    eastern(world)
    login_as("officer")
    now_there = datetime.datetime.now(ZoneInfo(EASTERN)).replace(second=0, microsecond=0, tzinfo=None)
    typed = now_there - datetime.timedelta(minutes=5)
    form = page_text(client.get(f"/cases/{world['case_a'].id}/contacts/new"))
    shown_default = datetime.datetime.strptime(form.split('name="occurred_at"')[1].split('value="')[1][:16],
                                               "%Y-%m-%dT%H:%M")
    assert abs(shown_default - now_there) < datetime.timedelta(minutes=2)  # the form starts at local now
    answer = auth.post(f"/cases/{world['case_a'].id}/contacts/new", {
        "uuid": "6f1c2d2e-3c52-4b7e-9a51-2d0f3f1b9a10", "method": "home_visit", "outcome": "reached_parent",
        "reasons": ["transportation"], "people_present": ["parent"], "notes": "At the door.",
        "occurred_at": typed.strftime("%Y-%m-%dT%H:%M")})
    assert answer.status_code == 302, page_text(answer)
    contact = Contact.get(Contact.notes == "At the door.")
    assert to_local(contact.occurred_at, EASTERN) == typed
    page = page_text(client.get(f"/students/{world['student_a'].id}"))
    assert typed.strftime("%-I:%M %p") in page


def test_the_case_report_names_the_schools_zone(auth, client, world, login_as):
    eastern(world)
    login_as("officer")
    assert post_job(auth, f"/cases/{world['case_a'].id}/report", {"recipient": "sarb"}).state == "done"
    text = pdf_text(DocumentRecord.get().pdf)
    assert "(Eastern time)" in text and "Pacific time" not in text


def test_an_admin_sets_a_schools_time_zone(auth, client, world, login_as):
    login_as("admin")
    page = page_text(client.get("/admin/schools"))
    assert "Lincoln Elementary" in page and "America/Los_Angeles (default)" in page
    url = f"/admin/schools/{world['school_a'].id}/time-zone"
    bad = auth.post(url, {"time_zone": "Eastern"})
    assert bad.status_code == 422 and "Choose an IANA time zone" in page_text(bad)
    assert 'value="Eastern"' in page_text(bad)
    assert auth.post(url, {"time_zone": EASTERN}).status_code == 303
    assert School.get_by_id(world["school_a"].id).time_zone == EASTERN
    login_as("supervisor")
    assert auth.post(url, {"time_zone": "UTC"}).status_code == 403


def test_today_for_an_attendance_import_is_each_schools_today(app):
    ahead = factories.gen_school("Line Islands School")
    behind = factories.gen_school("Samoa School")
    School.update(time_zone="Pacific/Kiritimati").where(School.id == ahead.id).execute()  # UTC+14
    School.update(time_zone="Pacific/Pago_Pago").where(School.id == behind.id).execute()  # UTC-11
    kid_a, kid_b = factories.gen_student(ahead), factories.gen_student(behind)
    day = today_for_school(ahead.id)
    assert day > today_for_school(behind.id)
    text = ("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"
            f"{kid_a.local_id},{ahead.sourced_id},{day},Tardy\n"
            f"{kid_b.local_id},{behind.sourced_id},{day},Tardy\n")
    pending = imports.preview("attendance", io.BytesIO(text.encode()), "a.csv", RuleSettings())
    assert pending.report.problems == [["a.csv", 3, f"date {day} is after today at that school"]]
    imports.run("attendance", io.BytesIO(text.encode()), "a.csv", RuleSettings(), skip_bad_rows=True)
    assert [e.student_id for e in AttendanceEvent.select()] == [kid_a.id]
