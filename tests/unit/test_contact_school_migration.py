"""Migration 0700 on a database whose contacts have no copy of their
student's school: every contact gets its student's school now (a student
moved before the migration too), the stored standings the fill touches stay
fresh, and afterwards the copy follows the student."""
from fieldapp.db import database, is_postgres
from fieldapp.models import Contact, Student, StudentStanding
from fieldapp.rules import stored
from fieldapp.rules.settings import RuleSettings
from fieldapp.timefmt import today_for_school
from tests import factories
from tests.migration_support import migration


def _copies():
    rows = list(database.execute_sql('SELECT "contact"."id", "contact"."student_school_id", "student"."school_id" '
                                     'FROM "contact" JOIN "student" ON "student"."id" = "contact"."student_id" '
                                     'ORDER BY "contact"."id"'))
    return [(contact_id, copy) for contact_id, copy, _ in rows], [(contact_id, school) for contact_id, _, school in rows]


def test_every_contact_takes_its_students_school_and_the_standings_stay_fresh(app):
    north, south = factories.gen_school("North"), factories.gen_school("South")
    officer = factories.gen_user("officer", [north, south])
    students = [factories.gen_student(north), factories.gen_student(north, first="Eva", last="Ñandú"),
                factories.gen_student(south, first="Luis", last="Bello")]
    for student in students:
        factories.gen_contact(factories.gen_case(student, officer), officer)
    step = migration("0700_contact_student_school.py")
    with database.atomic():
        step.down(None, database.obj)
        assert "student_school_id" not in [c.name for c in database.get_columns("contact")]
        Student.update(school=south).where(Student.id == students[1].id).execute()  # moved before it
        for student in Student.select():
            stored.standing_for(RuleSettings(), student, today_for_school(student.school_id))
        assert not StudentStanding.select().where(StudentStanding.stale == True).exists()  # noqa: E712
        step.up(None, database.obj)
    copies, schools = _copies()
    assert copies == schools and len(copies) == 3
    assert not StudentStanding.select().where(StudentStanding.stale == True).exists()  # noqa: E712
    Student.update(school=north).where(Student.id == students[1].id).execute()
    factories.gen_contact(factories.gen_case(factories.gen_student(south), officer), officer)
    copies, schools = _copies()
    assert copies == schools and len(copies) == 4
    indexes = [i.name for i in database.get_indexes("contact")]
    assert "contact_student_school_occurred_at" in indexes
    if not is_postgres():  # the contact's own triggers that mark a standing stale are all still there
        names = {name for (name,) in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'contact'")}
        assert {"standing_stale_contact_insert", "standing_stale_contact_update",
                "standing_stale_contact_delete"} <= names
