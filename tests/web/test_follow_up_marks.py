"""A follow-up date in the past is marked overdue the same way on every screen that
shows it: the caseload, the student's page, the supervisor's and the front office's
case lists (the student's page showed it as a plain date)."""
import datetime

from fieldapp.models import Case
from fieldapp.timefmt import today_for_school
from tests import factories
from tests.web.conftest import page_text


def _due(case, officer, days):
    """A contact ten days ago asking a follow-up `days` from today (negative: past)."""
    today = today_for_school(case.school_id)
    factories.gen_contact(case, officer, occurred_at=(datetime.datetime.now() - datetime.timedelta(days=10))
                          .strftime("%Y-%m-%dT%H:%M"),
                          follow_up_on=(today + datetime.timedelta(days=days)).isoformat())
    return Case.get_by_id(case.id).next_follow_up


def test_an_overdue_follow_up_reads_the_same_on_every_screen(client, auth, world, login_as):
    due = _due(world["case_a"], world["officer"], -3)
    assert due == today_for_school(world["case_a"].school_id) - datetime.timedelta(days=3)
    mark = f'<strong class="follow-up overdue-text">Overdue since {due:%b} {due.day}</strong>'
    screens = {"officer": ["/caseload", f"/students/{world['student_a'].id}"],
               "supervisor": ["/supervisor/cases"], "front_office": ["/office"]}
    for role, paths in screens.items():
        login_as(role)
        for path in paths:
            page = page_text(client.get(path))
            assert page.count(mark) >= 1, f"{path} as {role} does not mark the follow-up overdue"


def test_a_follow_up_today_or_later_is_not_marked_overdue(client, auth, world, login_as):
    _due(world["case_a"], world["officer"], 0)
    login_as("officer")
    for path in ["/caseload", f"/students/{world['student_a'].id}"]:
        page = page_text(client.get(path))
        assert "Overdue since" not in page and '<strong class="follow-up today">Today</strong>' in page


def test_the_contact_that_planned_an_overdue_follow_up_marks_it_in_the_timeline(client, auth, world, login_as):
    """The contact entry read 'Follow up Wed Nov 25, 2026' as a plain date while the case
    above it said 'Overdue since Nov 25': the open follow-up is marked on its contact too."""
    due = _due(world["case_a"], world["officer"], -3)
    login_as("officer")
    page = page_text(client.get(f"/students/{world['student_a'].id}"))
    entries = [e.split("</li>")[0] for e in page.split('<li class="contact')[1:]]
    entry, = [e for e in entries if "ollow" in e]
    assert f'<strong class="follow-up overdue-text">Overdue since {due:%b} {due.day}</strong>' in entry


def test_a_replaced_follow_up_is_not_marked_overdue_on_its_contact(client, auth, world, login_as):
    """A later contact that plans another follow-up replaces the earlier one: the earlier
    contact's date is history, not something overdue."""
    _due(world["case_a"], world["officer"], -3)
    today = today_for_school(world["case_a"].school_id)
    factories.gen_contact(world["case_a"], world["officer"],
                          occurred_at=(datetime.datetime.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
                          follow_up_on=(today + datetime.timedelta(days=5)).isoformat())
    login_as("officer")
    page = page_text(client.get(f"/students/{world['student_a'].id}"))
    assert "Overdue since" not in page
