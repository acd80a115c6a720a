"""A district's first roster fills its tables from nothing, their keys built
after the rows are in (on PostgreSQL, the primary key of a table no foreign
key names): a row given twice is still refused, the import says which, and
nothing is stored."""
import os

import pytest
from peewee import IntegrityError

from fieldapp.db import database, is_postgres
from fieldapp.imports.bulk import insert_rows
from fieldapp.imports.bulk_indexes import indexes_built_after
from fieldapp.imports.bulk_writer import Writer
from fieldapp.models import Guardian, Student, StudentGuardian, StudentSearchTerm
from tests import factories

ROSTER = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")


def _keys():
    """(table, index name) of the primary keys and indexes of the roster's tables."""
    if is_postgres():
        return sorted(database.execute_sql(
            "SELECT tablename, indexname FROM pg_indexes WHERE tablename IN ('student_search_term', "
            "'student_guardian', 'student', 'guardian')"))
    return sorted(database.execute_sql(
        "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('student_search_term', "
        "'student_guardian', 'student', 'guardian')"))


def test_a_search_word_given_twice_in_a_filled_table_is_refused_naming_it(app):
    student = factories.gen_student(factories.gen_school())
    StudentSearchTerm.delete().execute()  # the table holds no row yet, as before a first roster
    before = _keys()
    with pytest.raises(IntegrityError) as refused:
        with database.atomic():
            with indexes_built_after(StudentSearchTerm), Writer():
                insert_rows(StudentSearchTerm, [StudentSearchTerm.term, StudentSearchTerm.student],
                            [("ana", student.id), ("ruiz", student.id), ("ana", student.id)])
    assert "student_search_term" in str(refused.value)
    if is_postgres():  # the key the two rows share
        assert f"(term, student_id)=(ana, {student.id})" in str(refused.value)
    assert StudentSearchTerm.select().count() == 0
    assert _keys() == before
    with database.atomic():  # the key stands again: a word given twice is refused row by row
        insert_rows(StudentSearchTerm, [StudentSearchTerm.term, StudentSearchTerm.student], [("ana", student.id)])
    with pytest.raises(IntegrityError):
        with database.atomic():
            StudentSearchTerm.create(term="ana", student=student.id)


def test_a_first_roster_writing_a_guardian_link_twice_is_refused_and_stores_nothing(app):
    """Each link is turned, as the database writes it, into one to the first
    guardian: a student with two guardians then has the same link twice.
    The import is refused with the database's word on the link, and no
    student, guardian or link is stored."""
    from fieldapp import imports
    from fieldapp.rules.settings import RuleSettings
    before = _keys()
    if is_postgres():
        database.execute_sql("CREATE FUNCTION first_guardian() RETURNS trigger LANGUAGE plpgsql AS "
                             "$$ BEGIN NEW.guardian_id := (SELECT min(id) FROM guardian); RETURN NEW; END $$")
        database.execute_sql("CREATE TRIGGER first_guardian BEFORE INSERT ON student_guardian FOR EACH ROW "
                             "EXECUTE FUNCTION first_guardian()")
    else:  # the same link stored first, then the one written
        database.execute_sql("CREATE TRIGGER first_guardian BEFORE INSERT ON student_guardian BEGIN "
                             "INSERT OR IGNORE INTO student_guardian (student_id, guardian_id, relationship, "
                             "is_primary) VALUES (NEW.student_id, (SELECT min(id) FROM guardian), '', 0); END")
    try:
        run, report = imports.run("oneroster", ROSTER, "bulk", RuleSettings())
    finally:
        database.execute_sql("DROP TRIGGER first_guardian" + (" ON student_guardian" if is_postgres() else ""))
        if is_postgres():
            database.execute_sql("DROP FUNCTION first_guardian()")
    assert run.outcome == "refused"
    message = str(report.message)
    assert "Nothing was changed" in message and "student_guardian" in message
    assert Student.select().count() == Guardian.select().count() == StudentGuardian.select().count() == 0
    assert _keys() == before
    run, _ = imports.run("oneroster", ROSTER, "bulk", RuleSettings())
    assert run.outcome == "applied" and StudentGuardian.select().count() > 0
