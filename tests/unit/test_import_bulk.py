"""Bulk insertion as the imports use it: every value stored as given, on
SQLite (executemany) and PostgreSQL (COPY), and ids handed out before the
insert naming the rows that get them."""
import datetime
import os

import pytest

from fieldapp.db import database, is_postgres
from fieldapp.imports.bulk import ids_by_sourced_id, insert_rows, new_ids
from fieldapp.imports.journal import Journal
from fieldapp.models import AttendanceEvent, Guardian, ImportChange, ImportRun, Student, StudentGuardian
from fieldapp.students.search import terms_of
from tests import factories

AWKWARD = ['', ' ', 'plain', 'O\'Brien, "Junior"', 'tab\there', 'two\nlines', 'cr\r\nlf', 'back\\slash',
           'N', '\\N', 'NULL', ',', '"', 'María-José 山田', '1e5', '007']


def test_text_is_stored_exactly_and_none_only_where_given(app):
    school = factories.gen_school()
    fields = [Student.sourced_id, Student.local_id, Student.first_name, Student.middle_name, Student.last_name,
              Student.grade, Student.school, Student.phone, Student.active, Student.birth_date, Student.sort_key,
              Student.home_language, Student.address]
    rows = [(f"s-{i}", text, text or "x", text, "Last", text, school.id, text, i % 2 == 0,
             None if i % 3 else datetime.date(2015, 1, 1 + i), "k", text, text)
            for i, text in enumerate(AWKWARD)]
    with database.atomic():
        insert_rows(Student, fields, rows)
    stored = {s.sourced_id: s for s in Student.select()}
    for i, text in enumerate(AWKWARD):
        student = stored[f"s-{i}"]
        assert (student.local_id, student.middle_name, student.grade, student.phone, student.address) == \
            (text,) * 5, i
        assert student.active is (i % 2 == 0)
        assert student.birth_date == (None if i % 3 else datetime.date(2015, 1, 1 + i))


def test_nullable_numbers_and_times_keep_none_and_zero(app):
    student = factories.gen_student(factories.gen_school())
    school = student.school_id
    run = ImportRun.create(kind="attendance", filename="a.csv", outcome="applied")
    fields = [AttendanceEvent.student, AttendanceEvent.school, AttendanceEvent.date, AttendanceEvent.category,
              AttendanceEvent.minutes, AttendanceEvent.reason, AttendanceEvent.import_run_id]
    with database.atomic():
        insert_rows(AttendanceEvent, fields, [
            (student.id, school, datetime.date(2025, 1, 6), "tardy", 0, "", None),
            (student.id, school, datetime.date(2025, 1, 7), "tardy", 15, "Bus, late", run.id)])
    stored = sorted(AttendanceEvent.select(AttendanceEvent.date, AttendanceEvent.minutes, AttendanceEvent.reason,
                                           AttendanceEvent.import_run_id).tuples())
    assert stored == [(datetime.date(2025, 1, 6), 0, "", None), (datetime.date(2025, 1, 7), 15, "Bus, late", run.id)]
    links = [(student.id, factories.gen_guardian([]).id, "guardian", True, None)]
    with database.atomic():
        insert_rows(StudentGuardian, [StudentGuardian.student, StudentGuardian.guardian,
                                      StudentGuardian.relationship, StudentGuardian.is_primary,
                                      StudentGuardian.ended_at], links)
    link = StudentGuardian.get()
    assert (link.is_primary, link.ended_at) == (True, None)


def test_ids_given_before_the_insert_are_the_rows_ids_and_never_taken_twice(app):
    fields = [Guardian.id, Guardian.sourced_id, Guardian.first_name, Guardian.last_name, Guardian.phone,
              Guardian.alt_phone, Guardian.email, Guardian.preferred_language, Guardian.address]
    with database.atomic():
        first = new_ids(Guardian, 3)
        insert_rows(Guardian, fields, [(i, f"g-{i}", "Ana", "García", "", "", "", "es", "") for i in first])
        later = Guardian.create(sourced_id="made-alone", first_name="Luz", last_name="Díaz")
        second = new_ids(Guardian, 2)
        insert_rows(Guardian, fields, [(i, f"g-{i}", "Ana", "García", "", "", "", "es", "") for i in second])
    assert len(set(first + second + [later.id])) == 6
    assert ids_by_sourced_id(Guardian) == {**{f"g-{i}": i for i in first + second}, "made-alone": later.id}
    assert new_ids(Guardian, 0) == []


def test_a_journal_of_thousands_of_rows_is_stored_as_written(app):
    run = ImportRun.create(kind="oneroster", filename="r.zip", outcome="applied")
    journal = Journal(run.id)
    journal.created_rows("student", list(range(1, 12001)))
    journal.updated("student", 7, {"phone": "(555) 201-3344"}, {"phone": ""})
    journal.save(run.id)
    entries = list(ImportChange.select().order_by(ImportChange.id))
    assert [e.action for e in entries] == ["created", "updated"]
    assert entries[1].before_json == '{"phone": "(555) 201-3344"}' and entries[1].after_json == '{"phone": ""}'


def test_search_words_of_a_name_are_its_words_their_runs_and_ids():
    assert terms_of("María-José", "", "de la Cruz", "stu-0001234", "101234") == sorted(
        {"maria", "jose", "de", "la", "cruz", "mariajosedelacruz", "josedelacruz", "delacruz", "lacruz",
         "stu", "0001234", "101234"})
    assert terms_of(None, None, None, None, None) == []
    long = "a" * 150
    assert terms_of(long, "", "b", "", "") == ["a" * 100, "b"]  # words cut at 100, the cut ones kept once


def test_search_words_and_guardian_links_name_stored_rows_and_go_with_a_deleted_student(app):
    """On PostgreSQL statement-level triggers keep what the foreign keys kept (migration 0360)."""
    import sqlite3

    import psycopg2
    import pytest
    from peewee import IntegrityError

    from fieldapp.models import StudentSearchTerm
    refused = (IntegrityError, sqlite3.IntegrityError, psycopg2.IntegrityError)  # the ORM's, or the driver's
    student = factories.gen_student(factories.gen_school(), first="Maeve", last="Obrien")
    guardian = factories.gen_guardian([student], first="Ana", last="Obrien")
    for model, fields, row in ((StudentSearchTerm, [StudentSearchTerm.term, StudentSearchTerm.student],
                                ("nobody", student.id + 1000)),
                               (StudentGuardian, [StudentGuardian.student, StudentGuardian.guardian,
                                                  StudentGuardian.relationship, StudentGuardian.is_primary],
                                (student.id, guardian.id + 1000, "guardian", False))):
        with pytest.raises(refused):
            with database.atomic():
                insert_rows(model, fields, [row])
    with pytest.raises(IntegrityError):
        with database.atomic():
            StudentGuardian.update(guardian=guardian.id + 1000).where(StudentGuardian.student == student).execute()
    assert StudentSearchTerm.select().where(StudentSearchTerm.student == student).count() > 0
    student.delete_instance()
    assert not StudentSearchTerm.select().where(StudentSearchTerm.student == student.id).exists()
    assert not StudentGuardian.select().exists()
    other = factories.gen_student(factories.gen_school(), first="Liam", last="Obrien")
    factories.gen_guardian([other], first="Ana", last="Obrien")
    Guardian.delete().execute()
    assert not StudentGuardian.select().exists()


ROSTER = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")
ROSTER_TABLES = ("student", "student_search_term", "guardian", "student_guardian")


def _indexes():
    """(table, index name) of the roster's tables, as the database holds them."""
    if is_postgres():
        rows = database.execute_sql("SELECT tablename, indexname FROM pg_indexes WHERE tablename IN %s",
                                    (ROSTER_TABLES,))
    else:
        rows = database.execute_sql("SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND tbl_name "
                                    f"IN ({', '.join('?' * len(ROSTER_TABLES))})", ROSTER_TABLES)
    return sorted(rows)


def test_a_districts_first_roster_leaves_every_index_as_it_was(app):
    """A first roster builds its tables' indexes after its rows are in: the
    same indexes stand afterwards, and the unique one still refuses a
    second student of the same sourcedId."""
    from peewee import IntegrityError

    from fieldapp import imports
    from fieldapp.rules.settings import RuleSettings
    before = _indexes()
    assert {table for table, _ in before} == set(ROSTER_TABLES)
    run, _ = imports.run("oneroster", ROSTER, "bulk", RuleSettings())
    assert run.outcome == "applied" and Student.select().count() > 0
    assert _indexes() == before
    student = Student.select().first()
    with pytest.raises(IntegrityError):
        with database.atomic():
            Student.create(sourced_id=student.sourced_id, first_name="Ana", last_name="Ruiz", school=student.school)


def _checks():
    """What checks that each row of the roster's tables names a stored row: on PostgreSQL their foreign
    keys and triggers (with whether each is on), on SQLite their foreign keys."""
    if is_postgres():
        keys = database.execute_sql(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text IN %s", (ROSTER_TABLES,)).fetchall()
        triggers = database.execute_sql(
            "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal "
            "AND tgrelid::regclass::text IN %s", (ROSTER_TABLES,)).fetchall()
        return sorted(keys), sorted(triggers)
    return sorted((table,) + tuple(row) for table in ROSTER_TABLES
                  for row in database.execute_sql(f'PRAGMA foreign_key_list("{table}")').fetchall())


def test_a_districts_first_roster_leaves_every_check_of_the_rows_they_name_as_it_was(app):
    """A first roster checks the schools, students and guardians its rows
    name once its tables are full: afterwards each check stands as before,
    and refuses a search word naming no student."""
    from peewee import IntegrityError

    from fieldapp import imports
    from fieldapp.models import StudentSearchTerm
    from fieldapp.rules.settings import RuleSettings
    before = _checks()
    assert before
    run, _ = imports.run("oneroster", ROSTER, "bulk", RuleSettings())
    assert run.outcome == "applied" and StudentSearchTerm.select().count() > 0
    assert _checks() == before
    with pytest.raises(IntegrityError):
        with database.atomic():
            StudentSearchTerm.insert(term="nobody", student=Student.select().count() + 1000).execute()


def test_rows_written_into_empty_tables_that_name_no_stored_row_are_refused(app):
    """Tables filled from nothing are checked when the block ends (on SQLite
    as each row comes): a search word naming no student, a guardian link
    naming no guardian, a student at no school are each refused, and nothing
    of the block is kept."""
    from peewee import IntegrityError

    from fieldapp.imports.bulk_indexes import indexes_built_after
    from fieldapp.models import School, StudentSearchTerm
    school, before = factories.gen_school(), _indexes()
    fields = [f for f in Student._meta.sorted_fields if not f.null]
    for bad in ("word", "link", "school"):
        with pytest.raises(IntegrityError, match="(?i)foreign key|names no row"):
            with database.atomic():
                with indexes_built_after(Student, StudentSearchTerm, StudentGuardian):
                    (student,) = new_ids(Student, 1)
                    row = {"id": student, "sourced_id": "s-1", "local_id": "1001", "first_name": "Ana",
                           "last_name": "Ruiz", "school": school.id + (1000 if bad == "school" else 0)}
                    insert_rows(Student, fields, [tuple(row.get(f.name, f.default) for f in fields)])
                    insert_rows(StudentSearchTerm, [StudentSearchTerm.term, StudentSearchTerm.student],
                                [("ana", student + (1000 if bad == "word" else 0))])
                    if bad == "link":
                        insert_rows(StudentGuardian, [StudentGuardian.student, StudentGuardian.guardian,
                                                      StudentGuardian.relationship, StudentGuardian.is_primary],
                                    [(student, 1000, "guardian", False)])
        assert Student.select().count() == StudentSearchTerm.select().count() == 0
    assert School.select().count() == 1 and _indexes() == before


def test_a_first_roster_the_database_refuses_part_way_changes_nothing_and_keeps_its_indexes(app):
    """The rows are written by a thread of their own: the database's refusal
    of a guardian link there reaches the import, which is refused saying so
    and changes nothing."""
    from fieldapp import imports
    from fieldapp.rules.settings import RuleSettings
    before = _indexes()
    if is_postgres():
        database.execute_sql("CREATE FUNCTION refuse_link() RETURNS trigger LANGUAGE plpgsql AS "
                             "$$ BEGIN RAISE EXCEPTION 'no links today'; END $$")
        database.execute_sql("CREATE TRIGGER refuse_link BEFORE INSERT ON student_guardian FOR EACH ROW "
                             "EXECUTE FUNCTION refuse_link()")
    else:
        database.execute_sql("CREATE TRIGGER refuse_link BEFORE INSERT ON student_guardian "
                             "BEGIN SELECT RAISE(ABORT, 'no links today'); END")
    try:
        refused, report = imports.run("oneroster", ROSTER, "bulk", RuleSettings())
    finally:
        database.execute_sql("DROP TRIGGER refuse_link" + (" ON student_guardian" if is_postgres() else ""))
        if is_postgres():
            database.execute_sql("DROP FUNCTION refuse_link()")
    assert refused.outcome == "refused" and "no links today" in str(report.message)
    assert Student.select().count() == Guardian.select().count() == 0
    assert _indexes() == before
    run, _ = imports.run("oneroster", ROSTER, "bulk", RuleSettings())
    assert run.outcome == "applied" and StudentGuardian.select().count() > 0


def test_rows_handed_to_a_writer_are_read_back_by_the_next_statement_in_order(app):
    from fieldapp.imports.bulk import NewIds
    from fieldapp.imports.bulk_writer import Writer
    fields = [Guardian.id, Guardian.sourced_id, Guardian.first_name, Guardian.last_name, Guardian.phone,
              Guardian.alt_phone, Guardian.email, Guardian.preferred_language, Guardian.address]
    with database.atomic():
        with Writer():
            ids = NewIds(Guardian)
            for batch in range(3):
                insert_rows(Guardian, fields, [(i, f"g-{batch}-{n}", "Ana", "García", "", "", "", "es", "")
                                               for n, i in enumerate(ids.take(2000))])
                assert Guardian.select().count() == 2000 * (batch + 1)  # waits for the rows handed over
            insert_rows(Guardian, fields, [(ids.take(1)[0], "g-last", "Luz", "Díaz", "", "", "", "es", "")])
        assert Guardian.get(Guardian.sourced_id == "g-last").first_name == "Luz"
    assert Guardian.select().count() == 6001
    assert len({g.id for g in Guardian.select(Guardian.id)}) == 6001
