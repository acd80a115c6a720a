"""The district case list pages cases in their students' name order from a
copy of each student's sort key on the case (migration 0263): the copy
always equals the student's key, whatever changed, and every page lists what
sorting by the students' own keys lists."""
from peewee import fn

from fieldapp.cases import caselist
from fieldapp.models import Case, Student
from fieldapp.names import sort_key
from tests import factories


def _copies_are_the_students_keys():
    rows = (Case.select(Case.id, Case.student_sort_key, Student.sort_key).join(Student).tuples())
    assert [(case_id, copy) for case_id, copy, _ in rows] == [(case_id, key) for case_id, _, key in rows]


def _slow_order(filters):
    """The cases' ids in the order of their students' own keys."""
    return [i for (i,) in caselist._narrowed(Case.select(Case.id).join(Student), filters, None)
            .order_by(Student.sort_key, Case.id).tuples()]


def test_the_case_keeps_its_students_sort_key_and_pages_in_name_order(app):
    school = factories.gen_school()
    officer = factories.gen_user("officer", schools=[school])
    names = [("Zoë", "Ávila"), ("Ana", "Zúñiga"), ("Luis", "Núñez"), ("José", "Alvarez"), ("Eva", "Ñandú")]
    students = [factories.gen_student(school, first=first, last=last) for first, last in names]
    cases = [factories.gen_case(s, officer) for s in students[:4]]
    _copies_are_the_students_keys()

    renamed = Student.get_by_id(students[0].id)  # a correction of the name, through the model
    renamed.last_name = "Zapata"
    renamed.save()
    # a bulk writer (an import) sets names and keys in one statement
    Student.update(last_name="Aaron", sort_key=sort_key("Ana", "Aaron")).where(Student.id == students[1].id).execute()
    stale = Case.get_by_id(cases[2].id)  # loaded before the rename below, saved after it
    Student.update(last_name="Bello", sort_key=sort_key("Luis", "Bello")).where(Student.id == students[2].id).execute()
    stale.stage = "conference"
    stale.save()
    Case.update(student=students[4]).where(Case.id == cases[3].id).execute()  # a case given another student
    Case.update(status="closed").where(Case.id == cases[0].id).execute()
    _copies_are_the_students_keys()
    assert Case.select(fn.COUNT(Case.id)).where(Case.student_sort_key == "").scalar() == 0

    for filters in ({"status": "open"}, {"status": "all"}, {"status": "all", "school": school.id}):
        pages = caselist.district_cases(filters, "student", 1, per_page=2).pages
        listed = [c.id for number in range(1, pages + 1)
                  for c in caselist.district_cases(filters, "student", number, per_page=2).items]
        assert listed == _slow_order(filters), filters
    assert [c.student.last_name for c in caselist.district_cases({"status": "all"}, "student").items] == \
        ["Aaron", "Bello", "Ñandú", "Zapata"]
