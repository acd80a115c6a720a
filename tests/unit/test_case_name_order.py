"""The district case list pages cases in their students' name order, and
narrows them by their students' current school, from copies of each
student's sort key and school on the case (migrations 0263 and 0264): the
copies always equal the student's, whatever changed, and every page lists
what sorting and narrowing by the students' own lists."""
from peewee import fn

from fieldapp.cases import caselist
from fieldapp.models import Case, Student
from fieldapp.names import sort_key
from tests import factories


def _copies_are_the_students_keys():
    rows = (Case.select(Case.id, Case.student_sort_key, Case.student_school_id, Student.sort_key, Student.school)
            .join(Student).tuples())
    assert [(case_id, key, school) for case_id, key, school, _, _ in rows] == \
        [(case_id, key, school) for case_id, _, _, key, school in rows]


def _slow_order(filters):
    """The cases' ids narrowed by their students' own schools, in the order of their own keys."""
    query = Case.select(Case.id).join(Student)
    if "school" in filters:
        query = query.where(Student.school == filters["school"])
    if filters["status"] != "all":
        query = query.where(Case.status == filters["status"])
    return [i for (i,) in query.order_by(Student.sort_key, Case.id).tuples()]


def test_the_case_keeps_its_students_sort_key_and_pages_in_name_order(app):
    school, other = factories.gen_school(), factories.gen_school()
    officer = factories.gen_user("officer", schools=[school, other])
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
    moved = Student.get_by_id(students[2].id)  # a transfer, through the model
    moved.school = other
    moved.save()
    # a roster import's transfer, in one statement
    Student.update(school=other).where(Student.id.in_([students[3].id, students[4].id])).execute()
    factories.gen_case(Student.get_by_id(students[3].id), officer)  # a new case at the other school
    Case.update(status="closed").where(Case.id == cases[0].id).execute()
    _copies_are_the_students_keys()
    assert Case.select(fn.COUNT(Case.id)).where(Case.student_sort_key == "").scalar() == 0

    assert Case.select(fn.COUNT(Case.id)).where(Case.student_school_id == other.id).scalar() == 3
    for filters in ({"status": "open"}, {"status": "all"}, {"status": "all", "school": school.id},
                    {"status": "all", "school": other.id}, {"status": "open", "school": other.id}):
        pages = caselist.district_cases(filters, "student", 1, per_page=2).pages
        listed = [c.id for number in range(1, pages + 1)
                  for c in caselist.district_cases(filters, "student", number, per_page=2).items]
        assert listed == _slow_order(filters), filters
    assert [c.student.last_name for c in caselist.district_cases({"status": "all"}, "student").items] == \
        ["Aaron", "Alvarez", "Bello", "Ñandú", "Zapata"]
