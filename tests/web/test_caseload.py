"""The officer's caseload: a page at a time, each case with the student's
legal status, next step and share of days missed, as stored and kept fresh."""
import datetime

from fieldapp.db import is_postgres
from fieldapp.models import AttendanceEvent, Case, FollowUp, StudentStanding
from fieldapp.rules.calendar import assumed_calendar
from fieldapp.timefmt import local_today, school_year_of
from fieldapp.web.cases import PAGE
from tests import factories
from tests.web.conftest import page_text

SCHOOL_DAYS = [d for d in assumed_calendar(school_year_of(local_today())).days if d <= local_today()]


def test_the_caseload_shows_each_students_standing_and_follows_new_absences(client, world, login_as):
    officer = login_as("officer")
    page = page_text(client.get("/caseload"))
    assert "García, María" in page and "0.0% missed" in page and "Not truant" in page
    student = world["student_a"]
    assert StudentStanding.get_by_id(student.id).band == "satisfactory"
    if len(SCHOOL_DAYS) < 3:
        return  # the first days of a school year: nothing to count yet
    for day in SCHOOL_DAYS[-3:]:
        AttendanceEvent.create(student=student, school=student.school_id, date=day, category="unexcused")
    page = page_text(client.get("/caseload"))
    card = page.split("García, María")[1].split("</li>")[0]
    assert "Truant (EC 48260)" in card and "0.0% missed" not in card
    assert officer.id == world["officer"].id


def test_a_long_caseload_comes_a_page_at_a_time(client, world, login_as):
    officer = login_as("officer")
    school = world["case_a"].school
    for n in range(PAGE + 5):
        factories.gen_case(factories.gen_student(school, first=f"Kid{n:03d}", last="Zed"), officer)
    total = PAGE + 5 + 1
    first = page_text(client.get("/caseload"))
    assert f"{total} open" in first and f"Cases 1–{PAGE} of {total}" in first
    assert first.count('<li class="card') == PAGE and 'rel="next"' in first and 'rel="prev"' not in first
    second = page_text(client.get("/caseload?page=2"))
    assert second.count('<li class="card') == total - PAGE and 'rel="prev"' in second
    assert page_text(client.get("/caseload?page=abc")).count('<li class="card') == PAGE
    assert page_text(client.get("/caseload?page=99")).count('<li class="card') == total - PAGE


def test_follow_up_counts_cover_every_page_of_the_caseload(client, world, login_as):
    officer = login_as("officer")
    school = world["case_a"].school
    past = local_today() - datetime.timedelta(days=2)
    for n in range(PAGE + 5):  # more overdue follow-ups than one page shows
        case = factories.gen_case(factories.gen_student(school, first=f"Kid{n:03d}", last="Zed"), officer)
        FollowUp.create(case=case, due_on=past, planned_by=None)
        Case.update(next_follow_up=past).where(Case.id == case.id).execute()
    Case.update(next_follow_up=local_today()).where(Case.id == world["case_a"].id).execute()
    first = page_text(client.get("/caseload"))
    assert first.count('<li class="card') == PAGE
    assert f"{PAGE + 5} follow-ups overdue" in first and "1 follow-up due today" in first


def test_a_card_whose_stored_standing_is_stale_or_missing_is_brought_up_to_date(client, world, login_as):
    """The page reads its cards' standings with the cards; one not fresh (no
    row yet, marked stale, or computed for another day) is computed again."""
    officer = login_as("officer")
    school = world["case_a"].school
    kids = [factories.gen_student(school, first=f"Kid{n}", last="Zed") for n in range(3)]
    for kid in kids:
        factories.gen_case(kid, officer)
    client.get("/caseload")  # every standing stored
    if len(SCHOOL_DAYS) < 3:
        return  # the first days of a school year: nothing to count yet
    for kid in kids:
        for day in SCHOOL_DAYS[-3:]:
            AttendanceEvent.create(student=kid, school=kid.school_id, date=day, category="unexcused")
    StudentStanding.delete().where(StudentStanding.student == kids[0].id).execute()
    StudentStanding.update(stale=True).where(StudentStanding.student == kids[1].id).execute()
    StudentStanding.update(as_of=local_today() - datetime.timedelta(days=1), stale=False).where(
        StudentStanding.student == kids[2].id).execute()
    page = page_text(client.get("/caseload"))
    for kid in kids:
        card = page.split(f"Zed, {kid.first_name}")[1].split("</li>")[0]
        assert "Truant (EC 48260)" in card and "0.0% missed" not in card, card
    assert "García, María" in page and "0.0% missed" in page


def test_a_caseload_page_reads_its_cards_counts_and_standings_at_once(client, world, login_as):
    from tests.web.test_sync_round_trips import recorded
    officer = login_as("officer")
    for n in range(PAGE + 5):
        factories.gen_case(factories.gen_student(world["case_a"].school, first=f"Kid{n:03d}", last="Zed"), officer)
    client.get("/caseload?page=2")
    answer, statements, _ = recorded(lambda: client.get("/caseload?page=2"))
    assert answer.status_code == 200 and page_text(answer).count('<li class="card') == 6
    # the session, the page (counts and standings with it), referrals waiting,
    # the access log; SQLite, with no round trips, counts and reads apart
    assert len(statements) <= (4 if is_postgres() else 9), "\n".join(statements)
