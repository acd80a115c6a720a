"""A list of students is logged as one line per student, in one statement."""
from fieldapp.db import database
from fieldapp.models import AccessLog, Student
from fieldapp.students.records import record_access, record_list_access
from tests import factories


class CountStatements:
    """Counts the SQL statements peewee sends while active."""

    def __enter__(self):
        self.sql, self._execute = [], database.obj.execute_sql

        def counting(sql, params=None, *args, **kwargs):
            self.sql.append(sql)
            return self._execute(sql, params, *args, **kwargs)
        database.obj.execute_sql = counting
        return self

    def __exit__(self, *exc):
        database.obj.execute_sql = self._execute


def test_each_student_of_a_list_gets_a_line_written_by_one_statement(app):
    school = factories.gen_school("Lincoln Elementary")
    user = factories.gen_user("officer", [school])
    students = [factories.gen_student(school, first=f"Kid{i}") for i in range(30)]
    ids = [s.id for s in students]
    with CountStatements() as counted:
        written = record_list_access(user, ids + ids[:3] + [987654], "list", "/caseload", "10.0.0.9")
    assert written == 30
    assert len([s for s in counted.sql if s.lstrip().upper().startswith("INSERT")]) == 1
    lines = list(AccessLog.select().order_by(AccessLog.student))
    assert [line.student_id for line in lines] == sorted(ids)
    assert {(line.user_id, line.action, line.path, line.ip) for line in lines} == {
        (user.id, "list", "/caseload", "10.0.0.9")}
    assert len({line.at for line in lines}) == 1


def test_a_query_of_ids_is_logged_without_a_list_in_python(app):
    school = factories.gen_school("Lincoln Elementary")
    user = factories.gen_user("supervisor")
    for i in range(5):
        factories.gen_student(school, first=f"Kid{i}")
    assert record_list_access(user, Student.select(Student.id), "export", "/export", "") == 5
    assert AccessLog.select().where(AccessLog.action == "export").count() == 5


def test_an_empty_list_writes_nothing(app):
    user = factories.gen_user("supervisor")
    assert record_list_access(user, [], "list") == 0
    assert AccessLog.select().count() == 0


def test_lists_of_one_length_each_get_their_own_lines(app):
    # A page's list is logged with a statement built once per length: a second
    # list of that length, by someone else, says its own who, what and where.
    school = factories.gen_school("Lincoln Elementary")
    officer, supervisor = factories.gen_user("officer", [school]), factories.gen_user("supervisor")
    students = [factories.gen_student(school, first=f"Kid{i}") for i in range(6)]
    first, second = [s.id for s in students[:3]], [s.id for s in students[3:]]
    assert record_list_access(officer, first, "list", "/caseload", "10.0.0.1") == 3
    assert record_list_access(supervisor, second, "search", "/students?q=kid", "10.0.0.2") == 3
    lines = {(line.user_id, line.student_id, line.action, line.path, line.ip, line.recipient, line.document_id)
             for line in AccessLog.select()}
    assert lines == {(officer.id, i, "list", "/caseload", "10.0.0.1", "", None) for i in first} | {
        (supervisor.id, i, "search", "/students?q=kid", "10.0.0.2", "", None) for i in second}


def test_a_view_is_one_line_with_its_path_and_address_cut_to_their_columns(app):
    school = factories.gen_school("Lincoln Elementary")
    user = factories.gen_user("officer", [school])
    student, other = factories.gen_student(school), factories.gen_student(school, first="Ana")
    record_access(user, student, "view", "/students/" + "9" * 300, "2001:db8::" + "f" * 80)
    record_access(user, other, "view", f"/students/{other.id}", "10.0.0.3")
    lines = list(AccessLog.select().order_by(AccessLog.id))
    assert [(line.user_id, line.student_id, line.action) for line in lines] == [
        (user.id, student.id, "view"), (user.id, other.id, "view")]
    assert (len(lines[0].path), len(lines[0].ip)) == (255, 64)
    assert (lines[1].path, lines[1].ip, lines[1].recipient, lines[1].document_id) == (
        f"/students/{other.id}", "10.0.0.3", "", None)
    assert lines[0].at is not None and lines[1].at >= lines[0].at
