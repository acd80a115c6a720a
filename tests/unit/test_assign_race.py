"""Two supervisors assigning the same case at once, on two real connections:
one wins, the other is told the case changed; the case's history has one line
per change that happened and the case is never moved without its line.

The first supervisor's change is written but not committed in another
connection while the second's runs. On PostgreSQL the second waits at its
UPDATE and finds the row changed; on SQLite a transaction takes the write
lock as it begins, so the second waits there and then finds it changed."""

from fieldapp.cases import assignment, lifecycle
from fieldapp.models import Case, CaseEvent
from tests import factories
from tests.races import race


def _setup():
    school = factories.gen_school("North")
    first, second = (factories.gen_user("officer", [school], name=n) for n in ("Ann First", "Bo Second"))
    supervisors = factories.gen_user("supervisor", name="Sup One"), factories.gen_user("supervisor", name="Sup Two")
    cases = [lifecycle.open_case(supervisors[0], factories.gen_student(school, first=f"Kid{i}", last="Race"),
                                 {"officer": ""}) for i in range(3)]
    return first, second, supervisors, cases


def test_two_supervisors_assigning_the_same_cases_at_once(app):
    first, second, (one, two), cases = _setup()
    ids = [c.id for c in cases]
    by_one, by_two = race(lambda: assignment.assign_many(one, ids[:2], {"officer": str(first.id)}),
                          lambda: assignment.assign_many(two, ids, {"officer": str(second.id)}))
    assert not isinstance(by_two, Exception), by_two
    assert [c.id for c in by_one[0]] == ids[:2]
    assigned, left = by_two
    assert [c.id for c in assigned] == ids[2:]
    assert [(c.id, str(why)) for c, why in left] == [
        (i, "Someone else changed it meanwhile: it is now with Ann First.") for i in ids[:2]]
    assert [Case.get_by_id(i).officer_id for i in ids] == [first.id, first.id, second.id]
    lines = [(e.case_id, e.from_value, e.to_value, e.by_id) for e in
             CaseEvent.select().where(CaseEvent.kind == "assigned").order_by(CaseEvent.case, CaseEvent.id)]
    assert lines == [(ids[0], "", "Ann First", one.id), (ids[1], "", "Ann First", one.id),
                     (ids[2], "", "Bo Second", two.id)]


def test_one_case_assigned_by_two_at_once_keeps_both_lines_or_refuses(app):
    """The single-case form: the second supervisor read the case unassigned, the
    first gave it away meanwhile; the second is told so, not silently overruling."""
    first, second, (one, two), cases = _setup()
    stale = Case.get_by_id(cases[0].id)  # read before the first supervisor's change
    _, by_two = race(lambda: assignment.assign(one, Case.get_by_id(cases[0].id), first, "mine"),
                     lambda: assignment.assign_case(two, stale, {"officer": str(second.id), "note": "no, mine"}))
    assert isinstance(by_two, assignment.AssignmentError)
    assert "it is now with Ann First" in by_two.errors["officer"]
    assert Case.get_by_id(cases[0].id).officer_id == first.id
    assert [(e.from_value, e.to_value) for e in CaseEvent.select().where(
        (CaseEvent.case == cases[0].id) & (CaseEvent.kind == "assigned"))] == [("", "Ann First")]
