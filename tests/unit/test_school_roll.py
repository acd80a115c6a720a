"""Each school's count of active students, kept by the database (migration
0501), equals a count of the students after every kind of change: a student
added active or not, deactivated and back, moved to another school, moved
while inactive, deleted; and after the migration fills it on a database that
already has students. The figures of the desk and the worklist read it to
tell whether every active student has a fresh standing."""
import importlib.util

from peewee import fn

from fieldapp.db import database, migrations_folder
from fieldapp.models import SchoolRoll, Student
from fieldapp.rules import stored
from tests import factories


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
    spec = importlib.util.spec_from_file_location("m0501", f"{migrations_folder()}/0501_school_roll.py")
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with database.atomic():
        migration.down(None, database.obj)
        factories.gen_student(south, first="Added")
        migration.up(None, database.obj)
    assert _kept() == _counted() == {north.id: 3, south.id: 1}
    factories.gen_student(south, first="After")
    assert _kept() == {north.id: 3, south.id: 2}
