"""Every "today", "now" and day boundary is read in the zone of the student's
school: a Honolulu school late on Tuesday evening is still on Tuesday while
the installation's zone (Pacific) and UTC are already on Wednesday.

The clock is set to Wed Dec 2, 2026, 09:30 UTC: 11:30 PM Tuesday in
Honolulu, 1:30 AM Wednesday in Los Angeles (the installation's zone here)."""
import datetime

import pytest
import time_machine

from fieldapp.accounts import directory
from fieldapp.cases import desk, desk_records, history_text, lifecycle
from fieldapp.documents import letters, plans
from fieldapp.models import AccessLog, AuditEvent, Case, Contact, Letter, School, StudentStanding
from fieldapp.rules import stored, worklist
from fieldapp.rules.settings import RuleSettings
from fieldapp.rules.standing import facts_of
from tests import documents_support as support
from fieldapp.students import access
from fieldapp.timefmt import default_zone, today_for_school
from tests import factories
from tests.web.conftest import page_text

NOW = datetime.datetime(2026, 12, 2, 9, 30, tzinfo=datetime.timezone.utc)
HONOLULU_TODAY = datetime.date(2026, 12, 1)  # Tuesday, 11:30 PM
PACIFIC_TODAY = datetime.date(2026, 12, 2)  # Wednesday, 1:30 AM
LATE_TUESDAY_IN_HONOLULU = datetime.datetime(2026, 12, 2, 9, 0)  # stored UTC: Tue 11:00 PM in Honolulu
SETTINGS = RuleSettings(state="CA")


@pytest.fixture
def clock(app):
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def honolulu(clock, world):
    """At NOW (the world made then too): school A in Honolulu, school B in
    the installation's zone."""
    assert default_zone() == "America/Los_Angeles"
    School.update(time_zone="Pacific/Honolulu").where(School.id == world["school_a"].id).execute()
    assert today_for_school(world["school_a"].id) == HONOLULU_TODAY
    assert today_for_school(world["school_b"].id) == PACIFIC_TODAY
    return world


def _late_contact(world, notes="Late visit at the apartment."):
    contact = factories.gen_contact(world["case_a"], world["officer"], notes=notes)
    Contact.update(occurred_at=LATE_TUESDAY_IN_HONOLULU).where(Contact.id == contact.id).execute()
    return contact


def test_the_rules_count_a_contact_on_its_local_day_at_the_students_school(honolulu):
    _late_contact(honolulu)
    record = facts_of(honolulu["student_a"], HONOLULU_TODAY).case
    assert (HONOLULU_TODAY, "home_visit", "reached_parent", "casework") in record.contacts


def test_the_stored_standing_answers_for_each_schools_own_today(honolulu):
    stored.ensure_fresh(SETTINGS)  # what the hourly job runs
    rows = {row.student_id: row for row in StudentStanding.select()}
    assert rows[honolulu["student_a"].id].as_of == HONOLULU_TODAY
    assert rows[honolulu["student_b"].id].as_of == PACIFIC_TODAY
    computed = {sid: row.computed_at for sid, row in rows.items()}
    # a reader of "today" finds both fresh: nothing is recomputed for the other zone's day
    stored.standings_of(SETTINGS, None, list(rows))
    stored.ensure_fresh(SETTINGS)
    assert {row.student_id: row.computed_at for row in StudentStanding.select()} == computed


def test_the_worklist_reads_each_school_on_its_own_today(honolulu, client, login_as):
    login_as("supervisor")
    page = page_text(client.get("/worklist"))
    assert StudentStanding.get(StudentStanding.student == honolulu["student_a"].id).as_of == HONOLULU_TODAY
    assert StudentStanding.get(StudentStanding.student == honolulu["student_b"].id).as_of == PACIFIC_TODAY
    assert "Each school is read on its own today" in page
    assert "Tue Dec 1 (Hawaii time)" in page and "Wed Dec 2 (Pacific time)" in page
    listing = worklist.build(SETTINGS, None)
    assert listing.days == {honolulu["school_a"].id: HONOLULU_TODAY, honolulu["school_b"].id: PACIFIC_TODAY}
    # an explicit day is that day everywhere
    assert worklist.build(SETTINGS, PACIFIC_TODAY).days == {
        honolulu["school_a"].id: PACIFIC_TODAY, honolulu["school_b"].id: PACIFIC_TODAY}


def test_an_officers_follow_ups_fall_due_on_each_students_school_day(honolulu, client, login_as):
    officer = honolulu["officer"]
    factories.UserSchool.create(user=officer, school=honolulu["school_b"])  # schools in two zones
    pacific_kid = factories.gen_student(honolulu["school_b"], first="Lupe", last="Soto")
    pacific_case = factories.gen_case(pacific_kid, officer)
    Case.update(next_follow_up=HONOLULU_TODAY).where(Case.id.in_([honolulu["case_a"].id, pacific_case.id])).execute()
    login_as("officer")
    page = page_text(client.get("/caseload"))
    assert "1 follow-up overdue" in page and "1 follow-up due today" in page  # Pacific; Honolulu
    assert '<strong class="follow-up today">Today</strong>' in page  # the Honolulu card
    assert "Overdue since Dec 1" in page  # the Pacific card
    assert lifecycle.follow_up_counts(officer) == (1, 1)


def test_the_contact_logs_days_are_the_days_where_each_contact_happened(honolulu, client, login_as):
    _late_contact(honolulu)
    login_as("supervisor")
    tuesday = page_text(client.get("/supervisor/contacts?date_from=2026-12-01&date_to=2026-12-01"))
    assert "Late visit at the apartment." in tuesday
    assert "Dec 1, 2026 11:00 PM (Hawaii time)" in tuesday
    wednesday = page_text(client.get("/supervisor/contacts?date_from=2026-12-02&date_to=2026-12-02"))
    assert "Late visit at the apartment." not in wednesday


def test_a_letters_sending_time_is_typed_in_the_schools_zone(honolulu):
    letter = Letter(student=honolulu["student_a"], generated_at=datetime.datetime(2026, 12, 1, 20, 0))
    _, when = letters.parse_sent({"sent_how": "mail", "sent_at": "2026-12-01T23:00"}, letter)
    assert when == LATE_TUESDAY_IN_HONOLULU


def test_a_letter_is_dated_the_schools_today(honolulu):
    case = Case.get_by_id(honolulu["case_a"].id)
    assert letters.default_choice(case).letter_date == HONOLULU_TODAY
    assert letters.parse_choice({"kind": "first_notice", "language": "en"}, case).letter_date == HONOLULU_TODAY


def test_a_plan_may_be_reviewed_today_at_the_students_school(honolulu, client, login_as):
    case = Case.get_by_id(honolulu["case_a"].id)
    plan = plans.save_plan(honolulu["officer"], case, {"barriers": "Bus route cut.", "goals": "On time daily.",
                                                       "review_on": HONOLULU_TODAY.isoformat()})
    assert plan.review_on == HONOLULU_TODAY
    login_as("officer")
    form = page_text(client.get(f"/cases/{case.id}/plans/new"))
    assert f'min="{HONOLULU_TODAY.isoformat()}"' in form


def test_an_excuse_notes_days_ahead_count_from_the_schools_today(honolulu):
    errors = {}
    too_far = HONOLULU_TODAY + datetime.timedelta(days=desk_records.AHEAD + 1)
    desk_records.covered_days(honolulu["student_a"], too_far, too_far, errors)
    assert "first_day" in errors


def test_the_access_logs_days_are_the_students_school_days(honolulu, client, login_as):
    AccessLog.create(student=honolulu["student_a"], user=honolulu["officer"], action="view", path="/x",
                     ip="203.0.113.9", at=LATE_TUESDAY_IN_HONOLULU)
    rows, _ = access.log_page(honolulu["student_a"], {"date_from": HONOLULU_TODAY, "date_to": HONOLULU_TODAY})
    assert [row.ip for row in rows] == ["203.0.113.9"]
    login_as("supervisor")
    page = page_text(client.get(f"/students/{honolulu['student_a'].id}/access-log"
                                "?date_from=2026-12-01&date_to=2026-12-01"))
    assert "203.0.113.9" in page and "Dec 1, 2026 11:00 PM" in page


def test_the_audit_trails_days_are_the_pages_zone_not_utc(honolulu, client, login_as):
    # 07:00 UTC on Wednesday is still Tuesday evening in the installation's zone
    AuditEvent.create(user=honolulu["admin"], action="user.reset", object_type="user", object_id="1",
                      detail="zone-check", at=datetime.datetime(2026, 12, 2, 7, 0))
    login_as("admin")
    page = page_text(client.get("/admin/audit?since=2026-12-01&until=2026-12-01"))
    assert "zone-check" in page and "Times and days are in Pacific time" in page
    events, _ = directory.audit_events({"since": HONOLULU_TODAY, "until": HONOLULU_TODAY, "page": 1},
                                       "Pacific/Honolulu")  # a page in Hawaii time: Tuesday 9 PM
    assert [e.detail for e in events] == ["zone-check"]


def test_the_dashboards_weeks_count_each_contact_on_its_local_day(honolulu):
    # Sunday 11 PM in Honolulu is Monday in UTC and in Los Angeles
    contact = _late_contact(honolulu)
    Contact.update(occurred_at=datetime.datetime(2026, 11, 30, 9, 0)).where(Contact.id == contact.id).execute()
    weeks = dict(desk.contacts_by_week(PACIFIC_TODAY))
    assert weeks[datetime.date(2026, 11, 23)] == 1
    assert weeks[datetime.date(2026, 11, 30)] == 2  # the world's two contacts, made at NOW


def test_the_district_lists_follow_ups_fall_due_on_each_students_school_day(honolulu, client, login_as):
    Case.update(next_follow_up=HONOLULU_TODAY).where(Case.id.in_([honolulu["case_a"].id,
                                                                  honolulu["case_b"].id])).execute()
    login_as("supervisor")
    due_today = page_text(client.get("/supervisor/cases?follow_up=today"))
    assert "García" in due_today and "Núñez" not in due_today  # Honolulu's today; Pacific's was yesterday
    overdue = page_text(client.get("/supervisor/cases?follow_up=overdue"))
    assert "Núñez" in overdue and "García" not in overdue
    rows = {row.officer.id: row for row in desk.officer_workload()}
    assert (rows[honolulu["officer"].id].due_today, rows[honolulu["officer"].id].overdue) == (1, 0)
    assert (rows[honolulu["other_officer"].id].due_today, rows[honolulu["other_officer"].id].overdue) == (0, 1)
    schools = {row.school.id: row for row in desk.school_rows(SETTINGS)[0]}
    assert schools[honolulu["school_a"].id].overdue == 0 and schools[honolulu["school_b"].id].overdue == 1


def test_the_dashboards_bands_count_each_school_on_its_own_today(honolulu):
    from fieldapp.students import bands
    figures, missing = bands.figures_by_school(SETTINGS)
    assert missing == 0
    assert {r.student_id: r.as_of for r in StudentStanding.select()} == {
        honolulu["student_a"].id: HONOLULU_TODAY, honolulu["student_b"].id: PACIFIC_TODAY}
    assert [sum(figures[s.id]["bands"].values()) for s in (honolulu["school_a"], honolulu["school_b"])] == [1, 1]
    # Each student's days enrolled run to their own school's today: Tuesday and Wednesday.
    enrolled = {r.student_id: r.days_enrolled for r in StudentStanding.select()}
    assert enrolled[honolulu["student_a"].id] == enrolled[honolulu["student_b"].id] - 1


def test_a_letter_made_late_on_tuesday_in_honolulu_was_made_and_dated_on_tuesday(honolulu):
    from fieldapp.documents import letters_due
    case = Case.get_by_id(honolulu["case_a"].id)
    support.add_attendance(honolulu["student_a"], honolulu["school_a"])  # what the notice states
    letter = letters.generate_letter(honolulu["officer"], case, letters.default_choice(case, "first_notice"), RuleSettings())
    assert letter.letter_date == HONOLULU_TODAY
    assert letters_due._letters_made(honolulu["school_a"].id) == {(case.id, "first_notice"): HONOLULU_TODAY}


def test_a_plans_printed_times_are_local_at_the_students_school(honolulu):
    case = Case.get_by_id(honolulu["case_a"].id)
    plan = plans.save_plan(honolulu["officer"], case, {"barriers": "Bus route cut.", "goals": "On time daily.",
                                                       "review_on": "2026-12-15"})
    written = plans.plans_facts([plan])[0]["written"]
    assert written.startswith("Dec 1, 2026 11:3"), written  # 11:30 PM in Honolulu, not 1:30 AM Pacific


def test_the_contact_export_gives_each_time_local_at_the_students_school(honolulu):
    from fieldapp.exports import datasets
    _late_contact(honolulu)
    rows = list(datasets.contacts({"student": honolulu["student_a"].id}).rows())
    assert datetime.datetime(2026, 12, 1, 23, 0) in [row[1] for row in rows]


def test_a_case_opened_on_the_last_evening_of_june_in_honolulu_belongs_to_that_school_year(app):
    with time_machine.travel(datetime.datetime(2027, 7, 1, 9, 30, tzinfo=datetime.timezone.utc), tick=True):
        school = factories.gen_school("Kalani Elementary")
        School.update(time_zone="Pacific/Honolulu").where(School.id == school.id).execute()
        officer = factories.gen_user("officer", [school])
        case = factories.gen_case(factories.gen_student(school), officer)
        assert case.school_year == "2026-27"  # June 30 in Honolulu; July 1 in Los Angeles and UTC


def test_a_transfer_into_a_honolulu_school_begins_on_its_today(honolulu, tmp_path):
    from fieldapp.models import CaseEvent, Enrollment
    from tests.web.test_transfer_scope import transfer
    transfer(honolulu["student_b"], honolulu["school_a"], tmp_path)  # Pacific -> Honolulu, late on Tuesday there
    span = Enrollment.get((Enrollment.student == honolulu["student_b"].id)
                          & (Enrollment.school == honolulu["school_a"].id))
    assert span.begin_date == HONOLULU_TODAY
    moved = CaseEvent.get((CaseEvent.case == honolulu["case_b"].id) & (CaseEvent.kind == "transferred"))
    assert "on Dec 1, 2026" in history_text.note_text(moved)
