"""A page read by an officer costs as few round trips to the database as it
can: each is a wait on a busy server, and the student page and the caseload
are opened all day (bench/bench_pages.py)."""
import contextlib
import datetime

import psycopg2
import pytest

from fieldapp.db import connect_for_request, database, is_postgres
from fieldapp.models import AccessLog, CalendarDay, Contact, School, SchoolCalendar
from fieldapp.rules.calendar import assumed_calendar
from fieldapp.timefmt import local_today, school_year_of
from tests.web.conftest import page_text
from tests.web.test_sync_round_trips import statements_on_kept_connections


def end_kept_connections():
    """The database ends every connection the pool keeps, as a restart or an idle time-out does."""
    database.close()
    kept = [conn for _, _, conn in database.obj._connections]
    assert kept
    if is_postgres():
        with psycopg2.connect(database.obj.connect_params.get("dsn") or "", **{
                k: v for k, v in database.obj.connect_params.items() if k != "dsn"},
                dbname=database.obj.database) as admin:
            admin.cursor().execute("SELECT pg_terminate_backend(pid) FROM unnest(%s) AS pid",
                                   ([conn.get_backend_pid() for conn in kept],))
    else:
        for conn in kept:
            conn.close()


def test_a_student_page_on_a_kept_connection_asks_nothing_before_its_session(client, login_as, world):
    """The pool asked a kept connection SELECT 1 before each page, a round trip
    of its own; the page's first read (the session's check) asks the same."""
    login_as("officer")
    database.close()  # the request takes a kept connection, as in a server
    with statements_on_kept_connections() as sent:
        answer = client.get(f"/students/{world['student_a'].id}")
    database.connect()
    assert answer.status_code == 200
    assert sent and 'FROM "user_session"' in sent[0], sent[:3]
    assert not [s for s in sent if s.strip().upper() == "SELECT 1"]


def test_a_kept_connection_the_database_ended_still_shows_the_page_and_logs_the_view(client, login_as, world):
    officer = login_as("officer")
    student = world["student_a"]
    end_kept_connections()
    answer = client.get(f"/students/{student.id}")
    database.connect(reuse_if_open=True)
    assert answer.status_code == 200
    assert f"{student.first_name}" in answer.get_data(as_text=True)
    assert AccessLog.select().where(AccessLog.student == student, AccessLog.user == officer,
                                    AccessLog.action == "view").count() == 1


@pytest.mark.parametrize("in_transaction", [False, True])
def test_a_write_first_on_a_kept_connection_the_database_ended_is_stored_once(app, world, in_transaction):
    """A request whose first statement writes (or begins a transaction) has its
    connection checked before, as the pool did: a write is never sent twice."""
    end_kept_connections()
    connect_for_request()
    with database.atomic() if in_transaction else contextlib.nullcontext():
        AccessLog.create(user=world["officer"], student=world["student_a"], action="view", path="/x", ip="")
    database.close()
    database.connect()
    assert AccessLog.select().where(AccessLog.path == "/x").count() == 1


def test_the_student_page_shows_times_in_the_zone_the_school_has_now(client, login_as, world):
    """The schools' zones come with the session's check: a zone set between two
    views is the one the next view shows."""
    login_as("officer")
    Contact.update(occurred_at=datetime.datetime(2026, 3, 2, 17, 0)).where(
        Contact.id == world["contact_a"].id).execute()
    url = f"/students/{world['student_a'].id}"
    assert "Mar 2, 2026 9:00 AM" in client.get(url).get_data(as_text=True)  # the installation's Pacific time
    School.update(time_zone="America/New_York").where(School.id == world["school_a"].id).execute()
    page = client.get(url).get_data(as_text=True)
    assert "Mar 2, 2026 12:00 PM" in page and "9:00 AM" not in page


def test_a_calendar_imported_between_two_views_is_the_one_the_next_view_shows(client, login_as, world):
    """The year's calendars are read again only when they changed (an import
    replaces a calendar with a new row): the page after an import shows it."""
    login_as("officer")
    year = school_year_of(local_today())
    days = [d for d in assumed_calendar(year).days if d < local_today()]
    if not days:
        return  # the first day of a school year: no day of it shown yet
    url = f"/students/{world['student_a'].id}"
    assert "weekdays assumed" in page_text(client.get(url))

    def import_calendar(day_off):
        SchoolCalendar.delete().where(SchoolCalendar.school_year == year).execute()
        calendar = SchoolCalendar.create(school=None, school_year=year, first_day=days[0],
                                         last_day=assumed_calendar(year).last_day)
        CalendarDay.create(calendar=calendar, date=days[-1], kind="holiday", name=day_off)
    import_calendar("Snow day")
    page = page_text(client.get(url))
    assert "Snow day" in page and "weekdays assumed" not in page
    assert "Snow day" in page_text(client.get(url))  # read from the calendars kept
    import_calendar("Ice day")  # on SQLite under the id of the one it replaced
    page = page_text(client.get(url))
    assert "Ice day" in page and "Snow day" not in page
    if len(days) > 1:  # a day off added to the calendar in place
        CalendarDay.create(calendar=SchoolCalendar.get(SchoolCalendar.school_year == year), date=days[-2],
                           kind="holiday", name="Flood day")
        assert "Flood day" in page_text(client.get(url))
