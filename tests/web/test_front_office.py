"""The front office: excuse notes that name their days and show them on the
student's attendance, referrals that reach the officer and come back with a
status, and the school's open cases filtered."""
import datetime

import pytest

from fieldapp.cases import lifecycle
from fieldapp.models import AttendanceEvent, Case, ExcuseNote, ExcuseNoteDay, Referral
from fieldapp.rules.calendar import calendar_for
from fieldapp.timefmt import local_today, school_zone, to_local
from tests import factories
from tests.web.conftest import page_text


@pytest.fixture
def no_case(world):
    """A student of school A without a case."""
    world["student_c"] = factories.gen_student(world["school_a"], first="Rosa", last="Vega")
    return world


def _school_days(student, count):
    today = local_today()
    days = calendar_for(student.school_id, today).days_between(today - datetime.timedelta(days=40), today)
    return days[-count:]


def _absent_days(student, count):
    """The last count school days up to today, each marked an unexcused
    absence: the days an excuse note covers without a word of warning."""
    days = _school_days(student, count)
    for day in days:
        AttendanceEvent.create(student=student, school=student.school_id, date=day, category="unexcused")
    return days


def test_an_excuse_note_names_its_school_days_and_shows_on_the_attendance(auth, login_as, no_case):
    student = no_case["student_c"]
    first, *_, last = _absent_days(student, 3)
    login_as("front_office")
    answer = auth.post(f"/students/{student.id}/excuse-notes/new",
                       data={"first_day": first.isoformat(), "last_day": last.isoformat(),
                             "received_how": "phone", "from_whom": "Mother", "reason": "illness"})
    assert answer.status_code == 302
    note = ExcuseNote.get(ExcuseNote.student == student)
    days = sorted(d.date for d in ExcuseNoteDay.select().where(ExcuseNoteDay.excuse_note == note))
    assert days == _school_days(student, 3)  # school days only, weekends left out
    page = page_text(auth.client.get(f"/students/{student.id}"))
    assert "Illness · Phone call · Mother" in page
    assert page.count(' noted"') == 3  # the calendar marks each covered day, said in its title


def test_an_excuse_note_with_bad_dates_says_what_to_fix_and_keeps_what_was_typed(auth, login_as, no_case):
    student = no_case["student_c"]
    login_as("front_office")
    answer = auth.post(f"/students/{student.id}/excuse-notes/new",
                       data={"first_day": "2026-13-01", "received_how": "written", "reason": "illness",
                             "from_whom": "Dr. Ruiz"})
    assert answer.status_code == 422
    page = page_text(answer)
    assert "Use a date like 2026-09-30." in page and 'value="Dr. Ruiz"' in page
    backwards = auth.post(f"/students/{student.id}/excuse-notes/new",
                          data={"first_day": "2026-11-20", "last_day": "2026-11-10",
                                "received_how": "written", "reason": "illness"})
    assert "The last day is before the first day." in page_text(backwards)
    assert not ExcuseNote.select().exists()


def test_a_referral_reaches_the_officer_and_the_front_office_sees_its_status(auth, login_as, no_case):
    student = no_case["student_c"]
    login_as("front_office")
    answer = auth.post(f"/students/{student.id}/referrals/new",
                       data={"reason": "bullying_safety", "note": "Says older kids wait for him at the bus stop."})
    assert answer.status_code == 302
    referral = Referral.get(Referral.student == student)
    assert (referral.status, referral.officer_id) == ("waiting", no_case["officer"].id)
    again = auth.post(f"/students/{student.id}/referrals/new", data={"reason": "illness", "note": "x"})
    assert "already waiting for the officer" in page_text(again)
    assert "Waiting for the officer" in page_text(auth.client.get("/office"))

    login_as("officer")
    caseload = page_text(auth.client.get("/caseload"))
    assert "Referred by the front office" in caseload and "older kids wait for him" in caseload
    auth.post(f"/students/{student.id}/cases/new", data={"stage": "monitoring", "officer": str(no_case["officer"].id)})
    referral = Referral.get_by_id(referral.id)
    assert referral.status == "accepted" and referral.case_id == Case.get(Case.student == student).id

    login_as("front_office")
    assert "Case opened" in page_text(auth.client.get("/office"))


def test_a_declined_referral_says_why(auth, login_as, no_case):
    student = no_case["student_c"]
    login_as("front_office")
    auth.post(f"/students/{student.id}/referrals/new", data={"reason": "illness", "note": "Often sick"})
    referral = Referral.get(Referral.student == student)
    officer = login_as("officer")
    assert auth.post(f"/referrals/{referral.id}/decline", data={}).status_code == 422
    auth.post(f"/referrals/{referral.id}/decline", data={"answer": "Medical: the nurse follows up."})
    login_as("front_office")
    page = page_text(auth.client.get("/office"))
    assert "Declined" in page and "Medical: the nurse follows up." in page
    # who declined and when, above the open cases (which may run to 100 rows)
    answered = Referral.get_by_id(referral.id)
    day = to_local(answered.answered_at, school_zone(answered.school_id)).strftime("%b %-d, %Y")
    assert f"Declined by {officer.name} on {day}" in page
    assert page.index("Referrals to the attendance officer") < page.index("Open cases at your school")


def test_a_school_without_an_officer_sends_referrals_to_the_supervisors_queue(auth, login_as, world):
    school = factories.gen_school("Hill Charter")
    front = factories.gen_user("front_office", [school])
    student = factories.gen_student(school, first="Ian", last="Hill")
    login_as(front)
    auth.post(f"/students/{student.id}/referrals/new", data={"reason": "work", "note": "Works mornings"})
    assert Referral.get(Referral.student == student).officer_id is None
    login_as("supervisor")
    assert "Hill, Ian" in page_text(auth.client.get("/supervisor/unassigned"))


def test_the_school_list_filters_by_stage_officer_and_follow_up(auth, login_as, no_case):
    lifecycle.open_case(no_case["supervisor"], no_case["student_c"], {"officer": "", "stage": "conference"})
    Case.update(next_follow_up=local_today() - datetime.timedelta(days=2)).where(
        Case.id == no_case["case_a"].id).execute()
    login_as("front_office")
    page = page_text(auth.client.get("/office?officer=none"))
    assert "Vega, Rosa" in page and "García, María" not in page
    page = page_text(auth.client.get("/office?follow_up=overdue"))
    assert "García, María" in page and "Vega, Rosa" not in page
    page = page_text(auth.client.get("/office?stage=conference"))
    assert "Vega, Rosa" in page and "García, María" not in page


def test_a_referral_on_the_officers_caseload_is_on_the_students_access_log(auth, login_as, no_case):
    """The caseload shows a waiting referral's student, reason and note: a look
    at that student's record, logged like every student of a list (34 CFR 99.32)."""
    from fieldapp.models import AccessLog
    student = no_case["student_c"]
    login_as("front_office")
    auth.post(f"/students/{student.id}/referrals/new", data={"reason": "illness", "note": "Asthma, often."})
    officer = login_as("officer")
    assert "Asthma, often." in page_text(auth.client.get("/caseload"))
    assert AccessLog.select().where(AccessLog.student == student, AccessLog.user == officer,
                                    AccessLog.action == "list").count() == 1


def test_a_large_schools_list_comes_a_page_at_a_time_and_logs_only_what_it_shows(auth, login_as, world):
    """A school with more open cases than a page: every case is on exactly one
    page, in follow-up order, and a page logs the students it shows, not the school's."""
    from fieldapp.models import AccessLog
    from fieldapp.web.office import OFFICE_PER_PAGE
    extra = OFFICE_PER_PAGE + 5 - Case.select().where(Case.status == "open", Case.school == world["school_a"]).count()
    for n in range(extra):
        factories.gen_case(factories.gen_student(world["school_a"], first=f"Kid{n:03d}", last="Page"),
                           world["officer"])
    total = Case.select().where(Case.status == "open", Case.student_school_id == world["school_a"].id).count()
    assert total > OFFICE_PER_PAGE
    login_as("front_office")
    first = page_text(auth.client.get("/office"))
    assert f"Cases 1–{OFFICE_PER_PAGE} of {total}" in first and "Page 1 of 2" in first
    logged = AccessLog.select().where(AccessLog.path == "/office").count()
    assert logged == OFFICE_PER_PAGE + Referral.select().count()
    second = page_text(auth.client.get("/office?page=2"))
    assert f"Cases {OFFICE_PER_PAGE + 1}–{total} of {total}" in second
    shown = [f"Page, Kid{n:03d}" for n in range(extra)]
    assert all((name in first) != (name in second) for name in shown)


def test_a_bad_first_day_is_said_beside_the_first_day_alone(auth, login_as, no_case):
    student = no_case["student_c"]
    login_as("front_office")
    answer = auth.post(f"/students/{student.id}/excuse-notes/new",
                       data={"first_day": "2026-02-30", "received_how": "written", "reason": "illness"})
    assert answer.status_code == 422
    page = page_text(answer)
    assert 'id="first_day-error"' in page and 'id="last_day-error"' not in page
    assert page.count("Use a date like 2026-09-30.") == 1


def test_a_note_covering_days_the_student_was_present_is_said_and_may_still_be_saved(auth, login_as, no_case):
    """A past school day with no absence recorded is a day present, as the
    student's calendar shows it; a day marked present is one too."""
    student = no_case["student_c"]
    first, middle, last = _school_days(student, 3)
    AttendanceEvent.create(student=student, school=student.school_id, date=first, category="unexcused")
    AttendanceEvent.create(student=student, school=student.school_id, date=last, category="present")
    form = {"first_day": first.isoformat(), "last_day": last.isoformat(), "received_how": "phone",
            "from_whom": "Mother", "reason": "illness"}
    login_as("front_office")
    warned = auth.post(f"/students/{student.id}/excuse-notes/new", data=form)
    assert warned.status_code == 422 and not ExcuseNote.select().exists()
    page = page_text(warned)
    said = page.split("marked present on ")[1][:40]
    assert said.startswith(f"{middle:%b %-d, %Y}; {last:%b %-d, %Y}.") and f"{first:%b %-d, %Y}" not in said
    assert 'value="Mother"' in page  # nothing typed is lost
    saved = auth.post(f"/students/{student.id}/excuse-notes/new", data={**form, "present_ok": "yes"})
    assert saved.status_code == 302 and ExcuseNote.select().count() == 1
    # the calendar's key says what the dashed outline of a covered day is (a phone has no hover)
    student_page = page_text(auth.client.get(f"/students/{student.id}"))
    key = student_page[student_page.index('<ul class="legend"'):]
    assert "Covered by an excuse note" in key[:key.index("</ul>")]


def test_a_referral_in_the_unassigned_queue_says_so_and_its_case_waits_on_a_supervisor(auth, login_as, world):
    """The front office of a school with no officer reads where its referral
    waits, and whom to ask while the case no officer holds waits."""
    school = factories.gen_school("Hill Charter")
    front = factories.gen_user("front_office", [school])
    student = factories.gen_student(school, first="Ian", last="Hill")
    login_as(front)
    auth.post(f"/students/{student.id}/referrals/new", data={"reason": "work", "note": "Works mornings"})
    for page in (page_text(auth.client.get("/office")), page_text(auth.client.get(f"/students/{student.id}"))):
        assert "Waiting in the unassigned queue" in page and "Waiting for the officer" not in page
    login_as("supervisor")
    auth.post(f"/students/{student.id}/cases/new", data={"stage": "monitoring", "officer": ""})
    assert Case.get(Case.student == student).officer_id is None
    login_as(front)
    page = page_text(auth.client.get(f"/students/{student.id}"))
    supervisor = world["supervisor"]
    assert "No officer holds this case yet; a supervisor assigns it." in page
    assert supervisor.name in page and f'href="mailto:{supervisor.email}"' in page


def test_a_case_opened_from_a_referral_shows_it_and_its_history_says_so(auth, login_as, no_case):
    student = no_case["student_c"]
    front = login_as("front_office")
    auth.post(f"/students/{student.id}/referrals/new",
              data={"reason": "bullying_safety", "note": "Says older kids wait for him at the bus stop."})
    login_as("officer")
    form = page_text(auth.client.get(f"/students/{student.id}/cases/new"))
    assert f"by {front.name}" in form and "Bullying or safety" in form and "older kids wait for him" in form
    auth.post(f"/students/{student.id}/cases/new", data={"stage": "monitoring", "officer": str(no_case["officer"].id)})
    page = page_text(auth.client.get(f"/students/{student.id}"))
    assert "referred to the attendance officer: Bullying or safety" in page
    line = page[page.index("referred to the attendance officer"):][:400]
    assert front.name in line and no_case["officer"].name not in line  # the referrer's line, not the opener's


def test_a_note_for_today_says_nothing_of_a_day_whose_marks_have_not_come(no_case, app):
    """Today is present on the calendar until its marks come; a parent's call
    in the morning is not told the child was there. Yesterday without a
    mark was a day present, and today once marked present is one too."""
    from fieldapp.cases import desk_records
    from fieldapp.rules.settings import from_config
    student = no_case["student_c"]
    yesterday, today = _school_days(student, 20)[-3:-1]  # two school days in a row, the second "today"
    form = {"first_day": today.isoformat(), "received_how": "phone", "from_whom": "Mother", "reason": "illness"}
    settings = from_config(app.config)
    assert desk_records.record_excuse_note(no_case["front"], student, form, settings, today=today)
    with pytest.raises(desk_records.DeskError) as said:
        desk_records.record_excuse_note(no_case["front"], student, {**form, "first_day": yesterday.isoformat(),
                                                                    "last_day": today.isoformat(), "again_ok": "yes"},
                                        settings, today=today)
    assert f"marked present on {yesterday:%b %-d, %Y}." in str(said.value)
    AttendanceEvent.create(student=student, school=student.school_id, date=today, category="present")
    with pytest.raises(desk_records.DeskError) as said:
        desk_records.record_excuse_note(no_case["front"], student, {**form, "again_ok": "yes"}, settings,
                                        today=today)
    assert f"marked present on {today:%b %-d, %Y}." in str(said.value)
