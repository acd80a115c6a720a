"""The command-line contract: init-db, create-user and seed-demo, through the
app's own CLI runner on the test database."""
import os
import re
import unicodedata

import pytest

from fieldapp import codes
from fieldapp.db import database
from fieldapp.models import (
    Case, CaseEvent, Contact, Guardian, School, Student, StudentGuardian, User, UserSchool,
)
from tests import factories
from tests.web.conftest import empty_database

STRONG = "orchard-lantern-47-quill"


@pytest.fixture
def fresh_database_url(tmp_path):
    """The URL of a database with no tables at all."""
    with empty_database(tmp_path, "fresh") as url:
        yield url


def migration_names():
    folder = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
    return sorted(f for f in os.listdir(folder) if re.match(r"\d{4}_.*\.py$", f))


def test_init_db_applies_every_migration_once(fresh_database_url, other_app):
    fresh = other_app({"DATABASE_URL": fresh_database_url})
    runner = fresh.test_cli_runner()
    first = runner.invoke(args=["init-db"])
    assert first.exit_code == 0, first.output
    assert f"Applied {len(migration_names())} migration(s)." in first.output
    with database.connection_context():
        tables = set(database.get_tables())
    assert {"student", "contact", "case", "access_log", "user_session", "rate_limit_counter"} <= tables
    again = runner.invoke(args=["init-db"])
    assert again.exit_code == 0 and "Database is up to date." in again.output
    with database.connection_context():
        assert set(database.get_tables()) == tables


def create(app, *args, password=None, input=None):
    extra = ["--password", password] if password is not None else []
    return app.test_cli_runner().invoke(args=["create-user", *args, *extra], input=input)


def test_create_user_makes_a_user_who_can_log_in(app, client):
    school = factories.gen_school()
    result = create(app, "New.Officer@District.org", "--role", "officer", "--school",
                    school.sourced_id, "--name", "Nora Díaz", password=STRONG)
    assert result.exit_code == 0, result.output
    assert "Created new.officer@district.org (officer)." in result.output
    user = User.get(User.email == "new.officer@district.org")
    assert (user.name, user.role, user.school_ids()) == ("Nora Díaz", "officer", [school.id])
    from tests.web.conftest import anonymous_token
    response = client.post("/login", data={"email": "new.officer@district.org", "password": STRONG,
                                           "csrf_token": anonymous_token(client)})
    assert response.status_code == 302


def test_create_user_asks_for_the_password_twice(app):
    result = create(app, "sup@district.org", "--role", "supervisor", input=f"{STRONG}\n{STRONG}\n")
    assert result.exit_code == 0, result.output
    assert STRONG not in result.output  # typed without echo
    assert User.select().where(User.email == "sup@district.org").exists()


@pytest.mark.parametrize("password,message", [
    ("short-1", "Use at least 12 characters."),
    ("password1234", "This password is easy to guess."),
    ("aaaaaaaaaaaaaaaa", "This password is easy to guess."),
    # Judged by an estimator, not a list: each of these passed a list of common passwords.
    ("password12345", "This password is easy to guess."),
    ("qwerty123456", "This password is easy to guess."),
    ("Welcome2026!!", "This password is easy to guess."),
    ("fieldapp2026", "This password is easy to guess."),
    ("weakling-sup-2026", "The password must not contain your email name."),
])
def test_create_user_refuses_weak_passwords(app, password, message):
    result = create(app, "weakling@district.org", "--role", "supervisor", password=password)
    assert result.exit_code != 0
    assert message in result.output
    assert User.select().count() == 0


@pytest.mark.parametrize("args,message", [
    (["x@district.org", "--role", "janitor"], "Invalid value for '--role'"),
    (["x@district.org", "--role", "officer", "--school", "no-such-school"],
     "No school has the id, sourced id or code 'no-such-school'."),
    (["x@district.org", "--role", "officer"], "needs at least one school"),
    (["not-an-email", "--role", "admin"], "Give a valid email address."),
])
def test_create_user_refuses_unknown_roles_and_schools(app, args, message):
    factories.gen_school()
    result = create(app, *args, password=STRONG)
    assert result.exit_code != 0
    assert message in result.output
    assert User.select().count() == 0 and UserSchool.select().count() == 0


def test_create_user_refuses_a_second_account_with_the_same_email(app):
    assert create(app, "twice@district.org", "--role", "admin", password=STRONG).exit_code == 0
    again = create(app, "TWICE@district.org", "--role", "admin", password=STRONG)
    assert again.exit_code != 0 and "already exists" in again.output
    assert User.select().count() == 1


def table_counts():
    return {model.__name__: model.select().count()
            for model in (School, User, Student, Guardian, StudentGuardian, Case, Contact)}


def has_accent(text):
    return any(unicodedata.decomposition(c) for c in text)


def test_seed_demo_builds_a_realistic_district_and_keeps_it(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--students", "100"])
    assert result.exit_code == 0, result.output
    assert School.select().count() >= 3
    assert Student.select().count() == 100
    orphans = Student.select().where(~Student.id.in_(StudentGuardian.select(StudentGuardian.student)))
    assert not orphans.exists(), "every student has a guardian"
    assert not Guardian.select().where((Guardian.phone == "") | (Guardian.address == "")).exists()
    assert {c.status for c in Case.select()} == {"open", "closed"}
    closed = Case.select().where(Case.status == "closed")
    assert all(CaseEvent.get_or_none(CaseEvent.case == c, CaseEvent.kind == "closed") for c in closed), \
        "a closed case's history says when and why it closed"
    assert len({c.stage for c in Case.select()}) >= 2
    assert {c.method for c in Contact.select()} == set(codes.METHODS)
    assert {c.outcome for c in Contact.select()} == set(codes.OUTCOMES)
    assert {u.role for u in User.select()} == set(codes.ROLES)
    assert any(has_accent(s.first_name + s.last_name) for s in Student.select())
    for email, password, role in re.findall(r"^\s+(\S+@\S+)\s+(\S+)\s+(\w+)$", result.output, re.M):
        assert User.get(User.email == email).role == role
    assert "officer@demo.fieldapp.test" in result.output and "field-demo-2026!" in result.output
    steps = ["Making students and families", "Storing students", "Making a school year of attendance",
             "Storing attendance", "Opening cases and logging contacts"]
    shown = [line.strip() for line in result.stderr.splitlines()]
    assert [step for step in shown if step in steps] == steps  # progress, in order, off standard output
    assert not any(step in result.stdout for step in steps)

    before = table_counts()
    again = runner.invoke(args=["seed-demo", "--students", "100"])
    assert again.exit_code == 0, again.output
    assert "already has data; keeping it" in again.output
    assert "officer@demo.fieldapp.test" in again.output
    assert table_counts() == before


def test_demo_logins_work(app, client):
    app.test_cli_runner().invoke(args=["seed-demo", "--students", "20"])
    from tests.web.conftest import anonymous_token
    response = client.post("/login", data={"email": "officer@demo.fieldapp.test",
                                           "password": "field-demo-2026!",
                                           "csrf_token": anonymous_token(client)})
    assert response.status_code == 302
    assert client.get("/caseload").status_code == 200


def test_create_user_takes_a_school_by_its_number_too(app):
    school = factories.gen_school()
    result = create(app, "desk@district.org", "--role", "front_office", "--school", str(school.id),
                    password=STRONG)
    assert result.exit_code == 0, result.output
    assert User.get(User.email == "desk@district.org").school_ids() == [school.id]
