"""Adding an absence never moves a student to an earlier step; removing one
never moves them to a later one. In every state, with or without a case."""
import datetime

from hypothesis import given, settings, strategies as st

from tests.unit.rules_support import CALENDAR, D, case, standing

SCHOOL_DAYS = CALENDAR.days
ON_DAY = D(2026, 6, 11)
MARKS = st.sampled_from([("unexcused", 0), ("excused", 0), ("tardy", 10), ("tardy", 45),
                         ("partial", 200), ("early_departure", 60)])
EVENTS = st.dictionaries(st.sampled_from(SCHOOL_DAYS), MARKS, max_size=40)
RECORDS = st.sampled_from([
    None,
    case(contacts=[(D(2025, 10, 1), "letter", "no_answer")]),
    case(flags=["homeless"], contacts=[(D(2025, 9, 20), "conference", "reached_parent")]),
    case(stages=[(D(2025, 11, 3), "conference")]),
])


def _events(marks):
    return [(day, category, minutes) for day, (category, minutes) in marks.items()]


def _position(result):
    triggered = {s.step.code: s.first_triggered_on for s in result.steps if s.triggered}
    return result.step_reached, result.status_rank, triggered


def _not_earlier(before, after):
    """`after` stands at least as far up the ladder as `before`."""
    reached_b, status_b, triggered_b = before
    reached_a, status_a, triggered_a = after
    assert reached_a >= reached_b
    assert status_a >= status_b
    for code, day in triggered_b.items():
        assert code in triggered_a and triggered_a[code] <= day


@settings(max_examples=150, deadline=None)
@given(state=st.sampled_from(["CA", "TX", "WA", "PA"]), marks=EVENTS,
       extra_day=st.sampled_from(SCHOOL_DAYS), extra=st.sampled_from(["unexcused", "tardy", "partial"]),
       record=RECORDS, on_day=st.sampled_from([ON_DAY, D(2025, 12, 19), D(2026, 3, 2)]))
def test_adding_an_absence_never_moves_a_student_to_an_earlier_step(state, marks, extra_day, extra,
                                                                    record, on_day):
    minutes = {"unexcused": 0, "tardy": 45, "partial": 200}[extra]
    before = standing(state, _events(marks), on_day, record)
    if extra_day in marks:  # a day holds one mark here; adding means the day gets a worse one
        marks = {k: v for k, v in marks.items() if k != extra_day}
        before = standing(state, _events(marks), on_day, record)
    after = standing(state, _events(marks) + [(extra_day, extra, minutes)], on_day, record)
    _not_earlier(_position(before), _position(after))


@settings(max_examples=150, deadline=None)
@given(state=st.sampled_from(["CA", "TX", "WA", "PA"]), marks=EVENTS.filter(bool), data=st.data(),
       record=RECORDS)
def test_removing_an_absence_never_moves_a_student_to_a_later_step(state, marks, data, record):
    removed = data.draw(st.sampled_from(sorted(marks)))
    before = standing(state, _events(marks), ON_DAY, record)
    after = standing(state, _events({k: v for k, v in marks.items() if k != removed}), ON_DAY, record)
    _not_earlier(_position(after), _position(before))


def test_the_ladder_is_climbed_in_order_of_the_thresholds():
    """Sanity of the property's measure: more unexcused days, higher step."""
    days = SCHOOL_DAYS[:20]
    reached = [standing("CA", [(d, "unexcused", 0) for d in days[:n]], ON_DAY).step_reached
               for n in range(0, 8)]
    assert reached == sorted(reached) and reached[0] == -1 and reached[-1] == 4
    assert all(isinstance(d, datetime.date) for d in days)
