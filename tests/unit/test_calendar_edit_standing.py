"""A school calendar edited in place -- a snow day added to it, a day off
taken back, a calendar replaced under the same id -- refreshes the stored
standings that lists read, as a new calendar does: the student page and the
supervisor's lists count the same days (both engines: the database counts
every change, migrations/0840_calendar_revision.py)."""
import pytest

from fieldapp.models import AttendanceEvent, CalendarDay, SchoolCalendar
from fieldapp.rules import stored
from fieldapp.rules.settings import RuleSettings
from fieldapp.rules.standing import standings
from tests import factories
from tests.unit.test_stored_standing import ON_DAY, PAST_DAYS, YEAR, _seen

RULES = RuleSettings(state="CA")


def _lists_equal_a_recount(ids):
    kept = stored.standings_of(RULES, ON_DAY, ids)
    fresh = standings(RULES, ON_DAY, student_ids=ids)
    for sid in ids:
        assert _seen(kept[sid]) == _seen(fresh[sid])
    return kept


@pytest.fixture
def world(app):
    school = factories.gen_school()
    student = factories.gen_student(school)
    for day in PAST_DAYS[-3:]:
        AttendanceEvent.create(student=student, school=school, date=day, category="unexcused")
    calendar = SchoolCalendar.create(school=school, school_year=YEAR.school_year,
                                     first_day=YEAR.first_day, last_day=YEAR.last_day)
    return school, student, calendar


def test_a_day_off_added_to_a_calendar_in_place_refreshes_the_lists(world):
    school, student, calendar = world
    before = _lists_equal_a_recount([student.id])[student.id]
    CalendarDay.create(calendar=calendar, date=PAST_DAYS[-1], kind="holiday", name="Snow day")
    after = _lists_equal_a_recount([student.id])[student.id]
    assert after.days_enrolled == before.days_enrolled - 1
    assert after.counts["year"] == before.counts["year"] - 1


def test_a_day_off_taken_back_and_a_calendar_replaced_under_its_id_refresh_the_lists(world):
    school, student, calendar = world
    snow = CalendarDay.create(calendar=calendar, date=PAST_DAYS[-1], kind="holiday", name="Snow day")
    with_snow = _lists_equal_a_recount([student.id])[student.id]
    snow.delete_instance()
    without = _lists_equal_a_recount([student.id])[student.id]
    assert without.days_enrolled == with_snow.days_enrolled + 1
    # An import replaces the calendar: the old row goes, the new one may get its id back.
    SchoolCalendar.delete().where(SchoolCalendar.id == calendar.id).execute()
    again = SchoolCalendar.create(school=school, school_year=YEAR.school_year,
                                  first_day=YEAR.first_day, last_day=YEAR.last_day)
    CalendarDay.create(calendar=again, date=PAST_DAYS[-2], kind="holiday", name="Strike")
    replaced = _lists_equal_a_recount([student.id])[student.id]
    assert replaced.days_enrolled == without.days_enrolled - 1
    # The first and last day edited in place.
    SchoolCalendar.update(first_day=PAST_DAYS[-5]).where(SchoolCalendar.id == again.id).execute()
    shorter = _lists_equal_a_recount([student.id])[student.id]
    assert shorter.days_enrolled < replaced.days_enrolled


def test_the_school_day_length_is_part_of_the_rules_key():
    longer = RuleSettings(state="CA", school_day_minutes=420)
    book = type("Book", (), {"fingerprint": [0, None, None]})()
    assert stored.rules_key(RULES, ON_DAY, book) != stored.rules_key(longer, ON_DAY, book)
