"""Every command-line option naming a school takes its id, sourced id or code,
and says clearly which school it did not find."""
import pytest

from fieldapp.models import StudentStanding, User
from tests import factories


@pytest.fixture
def coded(world):
    school = world["school_a"]
    school.identifier = "255901001"
    school.save()
    return school


def ways_to_name(school):
    return [str(school.id), school.sourced_id, school.identifier]


def test_refresh_standing_takes_a_sourced_id_or_a_code(app, world, coded):
    runner = app.test_cli_runner()
    for name in ways_to_name(coded):
        result = runner.invoke(args=["refresh-standing", "--school", name, "--on", "2025-10-01", "--all"])
        assert result.exit_code == 0, result.output
        assert "Stored the standing of 1 students" in result.output
    assert {row.student_id for row in StudentStanding.select()} == {world["student_a"].id}


@pytest.mark.parametrize("args", [
    ["refresh-standing", "--school", "sch-nowhere"],
    ["worklist", "--school", "sch-nowhere"],
    ["letters-due", "sch-nowhere", "--out", "letters.pdf"],
    ["add-user", "new@test.example", "--role", "officer", "--school", "sch-nowhere"],
    ["create-user", "new@test.example", "--role", "officer", "--school", "sch-nowhere",
     "--password", "a long and unusual passphrase 93"],
])
def test_an_unknown_school_is_named_in_the_error(app, world, args):
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2
    assert "No school has the id, sourced id or code 'sch-nowhere'." in result.output
    assert "not a valid integer" not in result.output


def test_a_code_two_schools_share_asks_for_the_id(app, world, coded):
    world["school_b"].identifier = coded.identifier
    world["school_b"].save()
    result = app.test_cli_runner().invoke(args=["worklist", "--school", coded.identifier])
    assert result.exit_code == 2 and "Two or more schools have the code '255901001'" in result.output


def test_worklist_and_accounts_take_every_way_to_name_a_school(app, world, coded):
    runner = app.test_cli_runner()
    for n, name in enumerate(ways_to_name(coded)):
        assert runner.invoke(args=["worklist", "--school", name]).exit_code == 0
        email = f"officer.by.{n}@test.example"
        added = runner.invoke(args=["add-user", email, "--role", "officer", "--school", name])
        assert added.exit_code == 0, added.output
        assert User.get(User.email == email).school_ids() == [coded.id]
    moved = runner.invoke(args=["set-role", "officer.by.0@test.example", "--role", "officer",
                                "--school", world["school_b"].sourced_id])
    assert moved.exit_code == 0, moved.output
    assert User.get(User.email == "officer.by.0@test.example").school_ids() == [world["school_b"].id]
