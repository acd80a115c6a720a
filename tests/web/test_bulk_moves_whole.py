"""Work that moves in bulk moves whole or not at all: a hand-over, an
assign-many, an officer deactivated or a school taken from them. Saved one
case at a time, a hand-over of 54 cases took two seconds during which pages
showed half the work moved, and a server stopped part way left it half done.
Here the database refuses the last case's history line, as a stopped server
or a full disk would fail the work part way: nothing has moved after it."""
import contextlib

import pytest
from peewee import DatabaseError

from fieldapp.db import database, is_postgres
from fieldapp.models import Case, CaseEvent, User
from tests import factories


@contextlib.contextmanager
def database_refusing_history_of(case):
    """The database refuses a history line of `case` (a trigger)."""
    if is_postgres():
        database.execute_sql(
            "CREATE FUNCTION refuse_case_event() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.case_id = {case.id} THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ "
            "LANGUAGE plpgsql")
        database.execute_sql("CREATE TRIGGER refuse_case_event BEFORE INSERT ON case_event "
                             "FOR EACH ROW EXECUTE FUNCTION refuse_case_event()")
    else:
        database.execute_sql(f"CREATE TRIGGER refuse_case_event BEFORE INSERT ON case_event "
                             f"WHEN NEW.case_id = {case.id} BEGIN SELECT RAISE(ABORT, 'refused'); END")
    try:
        yield
    finally:
        database.connect(reuse_if_open=True)
        database.execute_sql("DROP TRIGGER refuse_case_event" + (" ON case_event" if is_postgres() else ""))
        if is_postgres():
            database.execute_sql("DROP FUNCTION refuse_case_event()")


@pytest.fixture
def held(world):
    """Five open cases of school A's officer, by name order (the last moves last)."""
    officer = world["officer"]
    cases = [world["case_a"]] + [
        factories.gen_case(factories.gen_student(world["school_a"], first=f"Zed{i}", last="Zulu"), officer)
        for i in range(4)]
    return cases


def _officers_of(cases):
    return [Case.get_by_id(case.id).officer_id for case in cases]


def _moved_lines():
    return CaseEvent.select().where(CaseEvent.kind == "assigned").count()


def test_a_hand_over_that_fails_part_way_moves_nothing(auth, login_as, world, held):
    login_as("supervisor")
    officer = world["officer"]
    with database_refusing_history_of(held[-1]):
        with pytest.raises(DatabaseError):  # the test app lets the error through; a server answers 500
            auth.post(f"/supervisor/officers/{officer.id}/hand-over",
                      data={f"school_{world['school_a'].id}": "queue", "note": "Leaving"})
    assert _officers_of(held) == [officer.id] * 5
    assert _moved_lines() == 0


def test_assigning_many_that_fails_part_way_assigns_none(auth, login_as, world, held):
    for case in held:
        Case.update(officer=None).where(Case.id == case.id).execute()
    other = factories.gen_user("officer", [world["school_a"]], name="Otto Other")
    login_as("supervisor")
    data = {"officer": str(other.id), "note": "", "case": [str(case.id) for case in held]}
    data.update({f"seen_{case.id}": "" for case in held})
    with database_refusing_history_of(held[-1]):
        with pytest.raises(DatabaseError):
            auth.post("/supervisor/assign", data=data)
    assert _officers_of(held) == [None] * 5
    assert _moved_lines() == 0


def test_deactivating_an_officer_that_fails_part_way_changes_nothing(auth, login_as, world, held):
    officer = world["officer"]
    login_as("admin")
    with database_refusing_history_of(held[-1]):
        with pytest.raises(DatabaseError):
            auth.post(f"/admin/users/{officer.id}/deactivate", {"confirmed": "yes"})
    assert User.get_by_id(officer.id).active  # the account is not closed with its work still held
    assert _officers_of(held) == [officer.id] * 5
    assert _moved_lines() == 0


def test_taking_a_school_from_an_officer_that_fails_part_way_changes_nothing(auth, login_as, world, held):
    officer = world["officer"]
    login_as("admin")
    with database_refusing_history_of(held[-1]):
        with pytest.raises(DatabaseError):
            auth.post(f"/admin/users/{officer.id}", data={"role": "officer", "schools": [str(world["school_b"].id)]})
    assert User.get_by_id(officer.id).school_ids() == [world["school_a"].id]
    assert _officers_of(held) == [officer.id] * 5
    assert _moved_lines() == 0
