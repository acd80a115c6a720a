"""The student page as an officer reads it on a phone."""
import datetime
import re

from fieldapp.models import AttendanceEvent
from fieldapp.timefmt import local_today
from tests.web.conftest import page_text


def test_days_missed_is_a_count_of_days_with_its_share_beside_it(auth, login_as, world):
    today = local_today()
    days = [today - datetime.timedelta(days=n) for n in range(1, 12)]
    school_days = [d for d in days if d.weekday() < 5][:2]
    for day in school_days:
        AttendanceEvent.create(student=world["student_a"], school=world["school_a"], date=day,
                               category="unexcused", minutes=0)
    login_as("officer")
    page = page_text(auth.client.get(f"/students/{world['student_a'].id}"))
    assert "(of " not in page
    assert f"<dt>Days missed</dt><dd>{len(school_days)} <small" in page
    assert re.search(r"<small class=\"nowrap\">of \d+ · \d+(\.\d)?%</small>", page)


def test_the_next_threshold_reads_in_the_singular_in_english_and_spanish(app, auth, login_as, world, monkeypatch):
    monkeypatch.setitem(app.config, "STATE", "WA")
    officer = login_as("officer")
    page = page_text(auth.client.get(f"/students/{world['student_a'].id}"))
    assert "At 1 unexcused absence in a calendar month:" in page
    assert "1 unexcused absences" not in page
    officer.language = "es"
    officer.save()
    page = page_text(auth.client.get(f"/students/{world['student_a'].id}"))
    assert "1 ausencia injustificada en un mes del calendario" in page
    assert "1 ausencias" not in page


def test_the_rule_set_page_says_each_threshold_in_its_number(app, auth, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "STATE", "WA")
    login_as("admin")
    page = page_text(auth.client.get("/admin/rules"))
    assert "1 unexcused absence in a calendar month" in page and "1 unexcused absences" not in page
    assert "5 excused absences in a calendar month, or 10 excused absences this school year" in page


def test_split_days_whose_halves_add_up_to_a_day_are_days_missed_on_the_page_as_in_the_standing(
        app, auth, login_as, world):
    """An Ed-Fi split day (Excused Absence 0.5 and Unexcused Absence 0.5, kept as an excused partial
    day and a partial day of half the school day's minutes each) is one day missed, on the student
    page, in the standing the worklist reads and in the summary letters and case reports print."""
    from fieldapp.rules.settings import from_config
    from fieldapp.rules.stored import standing_for
    from fieldapp.students.attendance import summary
    today, half = local_today(), from_config(app.config).school_day_minutes // 2
    days = [today - datetime.timedelta(days=n) for n in range(1, 12)]
    split = [d for d in days if d.weekday() < 5][:3]
    for day in split:
        for category in ("excused_partial", "partial"):
            AttendanceEvent.create(student=world["student_a"], school=world["school_a"], date=day,
                                   category=category, minutes=half)
    login_as("officer")
    page = page_text(auth.client.get(f"/students/{world['student_a'].id}"))
    assert f"<dt>Days missed</dt><dd>{len(split)} <small" in page
    assert standing_for(from_config(app.config), world["student_a"], today).days_missed == len(split)
    with app.app_context():
        assert summary(world["student_a"], today).days_missed == len(split)
