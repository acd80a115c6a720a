"""A calendar file giving one end of a school year, whose other end is stored,
cannot turn the year backwards: a Last day before the stored First day (or a
First day after the stored Last day) left a year of no school day, every
student's days enrolled 0, with only a "looks cut short" warning. It is a
problem on its row that says to check the years, as the two ends given in
one file are, and nothing is changed."""
import datetime
import io

import pytest

from fieldapp import imports
from fieldapp.rules.calendar import load_book
from fieldapp.rules.settings import RuleSettings

D = datetime.date
HEAD = "schoolId,date,calendarEvent,name\n"


def calendar(rows, today=D(2025, 8, 1)):
    return imports.preview("calendar", io.BytesIO((HEAD + rows).encode()), "c.csv", RuleSettings(), today=today)


@pytest.mark.parametrize("row, said", [
    (",2025-08-10,Last day,\n",
     "the Last day (10 Aug 2025, row 2) is before the First day stored (20 Aug 2025): check the years"),
    (",2026-06-10,First day,\n",
     "the First day (10 Jun 2026, row 2) is after the Last day stored (5 Jun 2026): check the years"),
])
def test_one_end_on_the_wrong_side_of_the_stored_other_is_refused_naming_both(app, row, said):
    year = calendar(",2025-08-20,First day,\n,2026-06-05,Last day,\n")
    assert imports.apply(year, year.report.confirm_phrase)[0].outcome == "applied"
    stored = load_book("2025-26").for_school(None)
    pending = calendar(row)
    assert ["c.csv", 2, said] == [p[:2] + [str(p[2])] for p in pending.report.problems][0]
    assert pending.run.outcome == "refused" or not pending.report.counts
    after = load_book("2025-26").for_school(None)
    assert (after.first_day, after.last_day, after.count(after.first_day, after.last_day)) == \
        (stored.first_day, stored.last_day, stored.count(stored.first_day, stored.last_day)) == \
        (D(2025, 8, 20), D(2026, 6, 5), stored.count(D(2025, 8, 20), D(2026, 6, 5)))


def test_one_end_on_the_right_side_still_moves_the_year(app):
    year = calendar(",2025-08-20,First day,\n,2026-06-05,Last day,\n")
    imports.apply(year, year.report.confirm_phrase)
    pending = calendar(",2026-06-03,Last day,\n")
    assert not pending.report.problems
    imports.apply(pending, pending.report.confirm_phrase)
    assert load_book("2025-26").for_school(None).last_day == D(2026, 6, 3)
