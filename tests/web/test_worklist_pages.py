"""The worklist page and command, and the attendance calendar on the student page."""
import datetime
import json

import pytest

from fieldapp.models import AttendanceEvent, Case, Contact, Student
from fieldapp.timefmt import local_today
from tests import factories
from tests.web.conftest import page_text

ON = "2025-10-01"


def mark(student, *days, category="unexcused", minutes=0):
    for day in days:
        AttendanceEvent.create(student=student, school=student.school_id, date=day,
                               category=category, minutes=minutes)


def contact_on(case, officer, day, method, outcome="reached_parent"):
    """A contact logged on an earlier day (the form refuses dates over a year back)."""
    contact = factories.gen_contact(case, officer, method=method, outcome=outcome)
    Contact.update(occurred_at=datetime.datetime.combine(day, datetime.time(18))) \
        .where(Contact.id == contact.id).execute()


@pytest.fixture
def truant(world):
    """Student A (school A) truant since Sep 17; student B (school B) since Sep 18."""
    mark(world["student_a"], datetime.date(2025, 9, 3), datetime.date(2025, 9, 10),
         datetime.date(2025, 9, 17))
    mark(world["student_b"], datetime.date(2025, 9, 4), datetime.date(2025, 9, 11),
         datetime.date(2025, 9, 18))
    return world


def test_an_officer_sees_the_steps_due_at_their_schools_only(auth, login_as, truant):
    login_as("officer")
    page = page_text(auth.client.get(f"/worklist?on={ON}"))
    assert "Overdue" in page and "García, María" in page and "Núñez" not in page
    assert "First truancy notification to the parent" in page and "EC 48260(a), 48260.5" in page
    assert "Overdue: was due Wed Sep 24, 2025" in page
    assert "3 this year" in page and "CA-2025-07-01" in page


def test_a_supervisor_sees_the_district_and_can_pick_a_school(auth, login_as, truant):
    login_as("supervisor")
    page = page_text(auth.client.get(f"/worklist?on={ON}"))
    assert "García, María" in page and "Núñez, José" in page
    school_b = truant["school_b"].id
    page = page_text(auth.client.get(f"/worklist?on={ON}&school={school_b}"))
    assert "Núñez, José" in page and "García, María" not in page


def test_a_threshold_crossed_on_the_last_school_day_is_new(auth, login_as, truant):
    login_as("front_office")
    page = page_text(auth.client.get("/worklist?on=2025-09-18"))
    assert "Crossed a threshold" in page and ">New<" in page
    assert "Due Wed Sep 24, 2025 · 4 school days left" in page


def test_a_letter_on_record_takes_the_step_off_the_worklist(auth, login_as, truant):
    contact_on(truant["case_a"], truant["officer"], datetime.date(2025, 9, 19), "letter", "letter_issued")
    login_as("officer")
    page = page_text(auth.client.get(f"/worklist?on={ON}"))
    assert "García, María" not in page and "Nothing is due." in page


def test_texas_exemption_holds_the_court_referral_and_says_why(auth, login_as, truant, app, monkeypatch):
    monkeypatch.setitem(app.config, "STATE", "TX")
    days = [datetime.date(2025, 9, d) for d in (22, 23, 24, 25, 26, 29, 30)]
    mark(truant["student_a"], *days)
    Case.update(flags="homeless", school_year="2025-26").where(Case.id == truant["case_a"].id).execute()
    # Truancy court hears a child of 12 to 18 (Family Code 65.002(2)).
    Student.update(birth_date=datetime.date(2012, 3, 1)).where(Student.id == truant["student_a"].id).execute()
    for method, outcome in (("letter", "letter_issued"), ("conference", "reached_parent")):
        contact_on(truant["case_a"], truant["officer"], datetime.date(2025, 9, 30), method, outcome)
    login_as("officer")
    page = page_text(auth.client.get(f"/worklist?on={ON}"))
    # 25.0915(a-3): instead of the court, additional counseling is due; the referral is on hold.
    assert "Offer the student additional counseling" in page and "Refer to truancy court" in page
    assert "absences result from: Homelessness" in page and "25.0915(a-3)" in page


def test_bad_filters_and_another_schools_filter_answer_422(auth, login_as, truant):
    login_as("officer")
    answer = auth.client.get("/worklist?on=2025-02-30")
    assert answer.status_code == 422 and "“2025-02-30” is not a date. Use a date like 2026-09-30." in page_text(answer)
    assert auth.client.get("/worklist?school=abc").status_code == 422
    another = auth.client.get(f"/worklist?school={truant['school_b'].id}")  # said, and their own listed
    assert another.status_code == 422 and f"{truant['school_b'].name} is not one of your schools." in page_text(another)


def test_a_day_typed_as_day_is_read_and_a_bad_one_is_said_at_the_field(auth, login_as, truant):
    """The Day field is "on"; a link or hand typing ?day= means the same and is
    not dropped silently: a bad one answers 422 beside the field, and only
    filters the worklist knows are counted as chosen."""
    login_as("supervisor")
    answer = auth.client.get("/worklist?day=2026-13-01")
    page = page_text(answer)
    assert answer.status_code == 422 and "“2026-13-01” is not a date. Use a date like 2026-09-30." in page
    assert 'aria-invalid="true"' in page[page.index('id="on"'):page.index('id="on"') + 300]
    assert "(1 chosen)" in page
    assert "Sep 18" in page_text(auth.client.get("/worklist?day=2025-09-18"))
    page = page_text(auth.client.get("/worklist?zoom=3"))
    assert "chosen)" not in page


def test_admins_have_no_worklist(auth, login_as, truant):
    login_as("admin")
    assert auth.client.get("/worklist").status_code == 403


def test_the_student_page_shows_this_school_year_as_a_calendar(auth, login_as, world):
    from fieldapp.rules.calendar import calendar_for
    from fieldapp.timefmt import local_today, school_year_start
    today = local_today()
    past = calendar_for(world["school_a"].id, today).days_between(school_year_start(today), today)
    past = past if len(past) > 1 else []  # from the second day of school on: mark two days
    if past:
        mark(world["student_a"], past[0])
        mark(world["student_a"], past[-1], category="excused")
    login_as("officer")
    page = page_text(auth.client.get(f"/students/{world['student_a'].id}"))
    assert "Legal status and calendar" in page and '<table class="month"' in page
    assert "Unexcused absence" in page  # the key names the kinds of day shown
    # "Still to come" only while this month has school days ahead (not on its last one)
    month_end = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    ahead = calendar_for(world["school_a"].id, today).days_between(today + datetime.timedelta(days=1), month_end)
    assert ("Still to come" in page) == bool(ahead)
    assert "California rule set CA-2025-07-01" in page
    assert "No school calendar imported: weekdays assumed" in page
    if past:
        assert f"{past[0]:%b %-d}: Unexcused absence" in page
        assert f"{past[-1]:%b %-d}: Excused absence" in page


def test_the_worklist_command_prints_lines_and_json(app, truant):
    runner = app.test_cli_runner()
    text = runner.invoke(args=["worklist", "--on", ON])
    assert text.exit_code == 0, text.output
    assert "García, María" in text.output and "Núñez, José" in text.output
    assert "California rule set CA-2025-07-01" in text.output
    school = truant["school_a"].sourced_id
    lines = runner.invoke(args=["worklist", "--on", ON, "--school", school, "--json"]).output.splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["sourced_id"] for r in rows] == [truant["student_a"].sourced_id]
    row = rows[0]
    assert (row["next_step"], row["due_on"], row["rule_version"], row["section"]) == \
        ("ca_first_notice", "2025-09-24", "CA-2025-07-01", "overdue")
    assert row["counts"]["year"] == 3 and row["band"] in ("at_risk", "moderate", "severe")
    assert runner.invoke(args=["worklist", "--school", "nope"]).exit_code != 0


def test_the_import_command_prints_problems_with_lines_and_fails(app, world, tmp_path):
    bad = tmp_path / "attendance.csv"
    bad.write_text("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"
                   f"{world['student_a'].local_id},{world['school_a'].sourced_id},2025-09-02,Tardy\n"
                   "nobody,sch-x,2025-09-02,Tardy\n", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-attendance", str(bad)])
    assert result.exit_code == 1 and "Refused" in result.output
    assert "attendance.csv row 3: unknown student 'nobody'" in result.output
    result = runner.invoke(args=["import-attendance", "--skip-bad-rows", "--yes", str(bad)])
    assert result.exit_code == 0 and "Applied, skipping bad rows" in result.output
    assert AttendanceEvent.select().count() == 1


def test_a_kindergartner_under_compulsory_age_shows_why_nothing_is_due(auth, login_as, truant):
    """EC 48200: compulsory education runs from 6 to 18; a 5-year-old's absences are no truancy."""
    today = local_today()
    born = datetime.date(today.year - 5, today.month, min(today.day, 28))  # five today
    Student.update(birth_date=born, grade="KG").where(Student.id == truant["student_a"].id).execute()
    login_as("officer")
    page = page_text(auth.client.get(f"/worklist?on={ON}"))
    assert "Nothing due, and why" in page and "García, María" in page
    assert "years old: under compulsory school age" in page and "EC 48200" in page
    assert "First truancy notification" not in page.split("Nothing due, and why")[1]
    # The student page (today's standing) says so whatever the marks.
    student = page_text(auth.client.get(f"/students/{truant['student_a'].id}"))
    assert "None due." in student and "under compulsory school age" in student


def test_an_excused_tardy_and_a_holiday_mark_are_shown_as_not_counted(auth, login_as, world):
    """EC 48260(a) counts only what is without a valid excuse, on a day with school."""
    student = world["student_a"]
    mark(student, datetime.date(2025, 9, 3), datetime.date(2025, 9, 10))
    mark(student, datetime.date(2025, 9, 17), category="excused_tardy", minutes=60)
    mark(student, datetime.date(2025, 9, 20))  # a Saturday
    login_as("officer")
    page = page_text(auth.client.get(f"/worklist?on={ON}"))
    assert "Nothing due, and why" in page and "excused part of a day" in page
    assert "mark on a day without school" in page
    assert "Excused parts of days" in page_text(auth.client.get(f"/students/{student.id}"))


def test_the_student_page_says_the_year_is_assumed_after_a_list_of_days_off(auth, login_as, world):
    """A calendar import listing days off only (no First or Last day, no district calendar) keeps the assumed
    school year, and the student page goes on saying which days it counts."""
    import io
    from fieldapp.imports.calendar import import_calendar
    from fieldapp.rules.calendar import calendar_for
    from fieldapp.timefmt import local_today
    today = local_today()
    year = calendar_for(world["school_a"].id, today)
    day_off = next(day for day in year.days if day.month == 11)
    text = f"schoolId,date,calendarEvent,name\n{world['school_a'].sourced_id},{day_off},Holiday,Day off\n"
    assert import_calendar(io.BytesIO(text.encode()), "days-off.csv").applied
    login_as("officer")
    page = page_text(auth.client.get(f"/students/{world['student_a'].id}"))
    assert "No school calendar imported" not in page, page[page.find("rule-version"):][:300]
    assert (f"No calendar gives the school year: {year.first_day:%a %b %-d, %Y} to {year.last_day:%a %b %-d, %Y} "
            "assumed, with the days off imported") in page, page[page.find("rule-version"):][:300]
