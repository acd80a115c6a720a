"""A 2025-26 district calendar and small builders for the rule-set scenarios."""
import datetime

from fieldapp.rules.calendar import Calendar
from fieldapp.rules.engine import CaseRecord, StudentFacts, evaluate
from fieldapp.rules.settings import RuleSettings

D = datetime.date


def _span(first, last):
    day, days = first, {}
    while day <= last:
        days[day] = "Break"
        day += datetime.timedelta(days=1)
    return days


HOLIDAYS = {
    D(2025, 9, 1): "Labor Day", D(2025, 11, 11): "Veterans Day",
    **_span(D(2025, 11, 26), D(2025, 11, 28)), **_span(D(2025, 12, 22), D(2026, 1, 2)),
    D(2026, 1, 19): "Martin Luther King Jr. Day", D(2026, 2, 16): "Presidents' Day",
    **_span(D(2026, 3, 30), D(2026, 4, 3)), D(2026, 5, 25): "Memorial Day",
}
CALENDAR = Calendar("2025-26", D(2025, 8, 18), D(2026, 6, 11), HOLIDAYS)


def unexcused(*days):
    return [(day, "unexcused", 0) for day in days]


def case(flags=(), contacts=(), stages=()):
    """A case record: contacts as (date, method, outcome), stages as (date, stage)."""
    return CaseRecord(frozenset(flags), tuple(contacts), tuple(stages))


def standing(state, events, on_day, record=None, calendar=CALENDAR, born=None, grade="", spans=(),
             book=None, **settings):
    """The engine's Result for one student: born (birth date), grade and
    spans (enrolment spans: school id, begin, end) as the facts loader gives them."""
    facts = StudentFacts(student_id=1, school_id=1, events=list(events), case=record, birth_date=born,
                         grade=grade, enrolments=tuple(spans))
    version = RuleSettings(state=state, **settings).version_on(on_day)
    return evaluate(facts, version, calendar, on_day, book)


def step(result, code):
    return next(s for s in result.steps if s.step.code == code)
