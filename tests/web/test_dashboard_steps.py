"""The district at a glance counts the legal steps overdue and due this week,
per school and per officer, from the stored standings; each figure opens the
worklist narrowed to the same students."""
import datetime
import re
import time

from fieldapp.models import AttendanceEvent, StudentStanding
from fieldapp.timefmt import local_today
from tests import factories
from tests.web.conftest import page_text


def _weekdays_before(day, count):
    days = []
    while len(days) < count:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


def _figure(page, query):
    """The number a dashboard link to /worklist?query shows."""
    found = re.findall(r'href="/worklist\?' + re.escape(query) + r'"[^>]*>(?:<strong[^>]*>)?([\d,]+)<', page)
    assert len(found) == 1, query
    return int(found[0].replace(",", ""))


def _truant_on(student, school, days):
    for day in days:
        AttendanceEvent.create(student=student, school=school, date=day, category="unexcused")


def test_legal_steps_overdue_and_due_this_week_by_school_and_officer_open_the_worklist(auth, login_as, world):
    school, officer, today = world["school_a"], world["officer"], local_today()
    before = _weekdays_before(today, 30)
    late = factories.gen_student(school, first="Luis", last="Alvarez")
    soon = factories.gen_student(school, first="Ana", last="Ruiz")
    factories.gen_case(late, officer)
    factories.gen_case(soon, officer)
    # Truant (three unexcused days) four weeks ago: the first notice is long overdue.
    _truant_on(late, school, before[-3:])
    # Truant two school days ago: its notice is due within five school days.
    _truant_on(soon, school, before[1:4])
    login_as("supervisor")
    page = page_text(auth.client.get("/supervisor"))
    rows = {r.student_id: r for r in StudentStanding.select()}
    assert rows[late.id].section == "overdue"
    assert rows[soon.id].section in ("new", "due_soon") and rows[soon.id].next_due_on <= today + datetime.timedelta(days=6)
    for link in (f"school={school.id}&amp;section=overdue", f"school={school.id}&amp;due=week",
                 f"officer={officer.id}&amp;section=overdue", f"officer={officer.id}&amp;due=week"):
        assert _figure(page, link) == 1, link
    assert _figure(page, f"school={world['school_b'].id}&amp;section=overdue") == 0
    assert _figure(page, f"officer={world['other_officer'].id}&amp;due=week") == 0
    assert _figure(page, "section=overdue") == 1 and _figure(page, "due=week") == 1

    overdue = page_text(auth.client.get(f"/worklist?officer={officer.id}&section=overdue"))
    assert "Alvarez, Luis" in overdue and "Ruiz, Ana" not in overdue
    this_week = page_text(auth.client.get(f"/worklist?school={school.id}&due=week"))
    assert "Ruiz, Ana" in this_week and "Alvarez, Luis" not in this_week


def test_the_worklist_refuses_an_unknown_due_choice(auth, login_as, world):
    login_as("supervisor")
    answer = auth.client.get("/worklist?due=someday")
    assert answer.status_code == 422 and "Choose from the list." in page_text(answer)


def test_more_stale_standings_than_a_page_may_refresh_are_left_out_and_said_so(app, auth, login_as, world, monkeypatch):
    login_as("supervisor")
    page = page_text(auth.client.get("/supervisor"))  # two students: refreshed by the page
    assert "not counted yet" not in page and StudentStanding.select().count() == 2
    StudentStanding.update(stale=True).execute()
    monkeypatch.setitem(app.config, "REFRESH_IN_REQUEST", 1)
    page = page_text(auth.client.get("/supervisor"))
    assert "2 students are not counted yet" in page
    # a part is not shown as the whole: the figures read from standings wait
    assert _not_counted(page, "section=overdue") and _not_counted(page, "due=week")
    assert StudentStanding.select().where(StudentStanding.stale == True).count() == 2  # noqa: E712
    students = page_text(auth.client.get("/supervisor/students"))
    assert "2 students are not counted yet" in students and "García, María" not in students


def _not_counted(page, query):
    """Whether the dashboard's link to /worklist?query shows "not counted yet" instead of a number."""
    found = re.findall(r'href="/worklist\?' + re.escape(query) + r'"[^>]*>(?:<strong[^>]*>)?<abbr title="Not counted yet">', page)
    return len(found) == 1


def test_a_worker_counts_at_once_the_standings_a_page_may_not_and_the_figures_match_their_lists(
        app, auth, login_as, world, monkeypatch, start_worker):
    school, officer, today = world["school_a"], world["officer"], local_today()
    late = factories.gen_student(school, first="Luis", last="Alvarez")
    factories.gen_case(late, officer)
    _truant_on(late, school, _weekdays_before(today, 30)[-3:])
    login_as("supervisor")
    auth.client.get("/supervisor")
    # A rule setting changed, a calendar came in: every standing waits, more than a page may refresh.
    StudentStanding.update(stale=True).execute()
    monkeypatch.setitem(app.config, "REFRESH_IN_REQUEST", 1)
    start_worker("sqlite")
    page = page_text(auth.client.get("/supervisor"))
    assert "not counted yet" in page and "brought up to date now" in page
    assert _not_counted(page, "section=overdue")
    deadline = time.monotonic() + 30
    while StudentStanding.select().where(StudentStanding.stale == True).exists():  # noqa: E712
        assert time.monotonic() < deadline, "no worker brought the standings up to date"
        time.sleep(0.2)
    page = page_text(auth.client.get("/supervisor"))
    assert "not counted yet" not in page
    overdue = page_text(auth.client.get("/worklist?section=overdue"))
    assert _figure(page, "section=overdue") == 1 and "Alvarez, Luis" in overdue


def test_an_administrator_is_offered_only_the_lists_they_may_open(auth, login_as, world):
    """An administrator reads the district at a glance; a figure whose list is
    not theirs (the worklist, the unassigned queue) is shown without a link."""
    for role in ("admin", "supervisor"):
        login_as(role)
        page = page_text(auth.client.get("/supervisor"))
        main = page.split("<main", 1)[1]
        links = set(re.findall(r'href="(/[^"#]*)"', main))
        assert links, role
        refused = [link for link in sorted(links)
                   if auth.client.get(link.replace("&amp;", "&")).status_code == 403]
        assert refused == [], (role, refused)
        if role == "admin":
            assert "/worklist" not in main and "/supervisor/unassigned" not in main
            assert "legal steps overdue" in main


def test_the_students_not_counted_are_a_number_written_as_the_page_writes_numbers(app, auth, login_as, world,
                                                                                 monkeypatch):
    from fieldapp.models import Student
    Student.insert_many([{"school": world["school_a"], "sourced_id": f"many-{i}", "local_id": f"77{i}",
                          "first_name": "N", "last_name": f"Many{i}"} for i in range(1200)]).execute()
    monkeypatch.setitem(app.config, "REFRESH_IN_REQUEST", 0)
    login_as("supervisor")
    page = page_text(auth.client.get("/supervisor"))
    assert "1,202 students are not counted yet" in page


def test_a_queue_out_of_reach_leaves_the_dashboard_saying_what_it_leaves_out(app, auth, login_as, world,
                                                                            monkeypatch):
    """Redis down: the page that would ask a worker to count the students still answers."""
    from fieldapp.jobs import queue
    login_as("supervisor")
    auth.client.get("/supervisor")
    StudentStanding.update(stale=True).execute()
    monkeypatch.setitem(app.config, "REFRESH_IN_REQUEST", 0)
    saved = app.extensions[queue.EXTENSION]
    monkeypatch.setitem(app.config, "JOBS_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    queue.init_app(app)
    try:
        answer = auth.client.get("/supervisor")
    finally:
        app.extensions[queue.EXTENSION] = saved
    assert answer.status_code == 200 and "2 students are not counted yet" in page_text(answer)
