"""Each school's count of active students, kept by the database (migration
0501), equals a count of the students after every kind of change: a student
added active or not, deactivated and back, moved to another school, moved
while inactive, deleted; and after the migration fills it on a database that
already has students. The figures of the desk and the worklist read it to
tell whether every active student has a fresh standing."""
from peewee import fn

from fieldapp.db import database
from fieldapp.models import SchoolRoll, Student
from fieldapp.rules import stored
from tests import factories
from tests.migration_support import migration


def _counted():
    return {school_id: n for school_id, n in Student.select(Student.school, fn.COUNT(Student.id))
            .where(Student.active == True).group_by(Student.school).tuples()}  # noqa: E712


def _kept():
    return {row.school_id: row.active_students for row in SchoolRoll.select() if row.active_students}


def test_the_roll_of_active_students_is_a_count_of_them_after_every_change(app):
    north, south, east = factories.gen_school("North"), factories.gen_school("South"), factories.gen_school("East")
    students = [factories.gen_student(north, first=f"N{i}") for i in range(4)]
    students += [factories.gen_student(south, first=f"S{i}") for i in range(3)]
    gone = factories.gen_student(south, first="Gone", active=False)
    changes = [
        lambda: None,
        lambda: Student.update(active=False).where(Student.id == students[0].id).execute(),
        lambda: Student.update(active=True).where(Student.id == students[0].id).execute(),
        lambda: Student.update(school=south).where(Student.id == students[1].id).execute(),
        lambda: Student.update(school=east).where(Student.id == gone.id).execute(),
        lambda: Student.update(school=north, active=True).where(Student.id == gone.id).execute(),
        lambda: Student.update(active=False).where(Student.school == south).execute(),
        lambda: students[2].delete_instance(recursive=True),
        lambda: Student.delete().where(Student.id == students[4].id).execute(),
        lambda: Student.update(active=True).where(Student.active == False).execute(),  # noqa: E712
    ]
    for change in changes:
        change()
        assert _kept() == _counted()
        assert stored.active_students() == sum(_counted().values())
        assert stored.active_students([north.id, east.id]) == _counted().get(north.id, 0) + \
            _counted().get(east.id, 0)


def test_the_migration_counts_the_students_already_there(app):
    north, south = factories.gen_school("North"), factories.gen_school("South")
    for i in range(3):
        factories.gen_student(north, first=f"N{i}")
    factories.gen_student(south, active=False)
    first, per_statement = migration("0501_school_roll.py"), migration("0570_school_roll_per_statement.py")
    with database.atomic():
        per_statement.down(None, database.obj)
        first.down(None, database.obj)
        factories.gen_student(south, first="Added")
        first.up(None, database.obj)
        per_statement.up(None, database.obj)
    assert _kept() == _counted() == {north.id: 3, south.id: 1}
    factories.gen_student(south, first="After")
    assert _kept() == {north.id: 3, south.id: 2}


def test_a_roster_of_many_students_in_one_statement_moves_each_school_once(app):
    """Thousands of students written by one statement (as a roster's COPY page
    writes them) are counted by school, active or not; and on PostgreSQL the
    count moves once per statement, not once per student (a roster of 900,000
    rows in one transaction took nine times as long when it moved per row)."""
    north, south = factories.gen_school("North"), factories.gen_school("South")
    rows = [{"school": (north, south)[i % 2], "sourced_id": f"s{i}", "local_id": f"{i}", "first_name": "A",
             "last_name": f"B{i}", "grade": "5", "active": i % 5 != 0} for i in range(3000)]
    Student.insert_many(rows).execute()
    assert _kept() == _counted() == {north.id: 1200, south.id: 1200}
    Student.update(active=True).where(Student.school == north).execute()
    Student.delete().where((Student.school == south) & (Student.active == False)).execute()  # noqa: E712
    assert _kept() == _counted() == {north.id: 1500, south.id: 1200}
    if database.obj.__class__.__name__.startswith("Postgres"):
        levels = {name: level for name, level in database.execute_sql(
            "SELECT tgname, CASE WHEN tgtype & 1 = 1 THEN 'row' ELSE 'statement' END FROM pg_trigger "
            "WHERE tgrelid = 'student'::regclass AND tgname LIKE 'school_roll%'").fetchall()}
        assert levels and set(levels.values()) == {"statement"}, levels
