"""The contact log narrowed to a school lists and counts the contacts of the
school's students now, from the school each contact carries (migration 0700):
the copy equals the student's current school whatever wrote the contact or
moved the student (a transfer through the model, a roster import in one
statement, a roster's transfer and its undo), and a count of a school's
contacts reads no student."""
import datetime

from peewee import fn

from fieldapp import imports
from fieldapp.cases import contact_log
from fieldapp.models import Contact, Student
from tests import factories
from tests.query_plans import recorded, sqlite_plan
from tests.unit.sync_entries import entry
from tests.web.conftest import page_text, sign_in
from tests.web.test_transfer_scope import transfer


def _copies_are_the_students_schools():
    rows = Contact.select(Contact.id, Contact.student_school_id, Student.school).join(Student).tuples()
    assert [(contact_id, copy) for contact_id, copy, _ in rows] == \
        [(contact_id, school) for contact_id, _, school in rows]
    assert Contact.select(fn.COUNT(Contact.id)).where(Contact.student_school_id == 0).scalar() == 0


def _counted_as_listed(school_ids):
    """Each school's count, its contacts listed (their students' schools now) and its position counts agree."""
    for school in school_ids:
        filters = {"school": school}
        listed = list(contact_log.matching(filters))
        assert {row.student.school_id for row in listed} <= {school}
        assert contact_log.count(filters) == len(listed) == \
            Contact.select().join(Student).where(Student.school == school).count()
        ordered = list(contact_log.newest_first(contact_log.matching(filters)))
        for place, row in enumerate(ordered, 1):
            assert contact_log.count(filters, newer_than=row) == place


def test_each_contact_carries_its_students_school_now_whatever_wrote_it(client, auth, world):
    school_a, school_b = world["school_a"], world["school_b"]
    maria, jose = world["student_a"], world["student_b"]
    pupil = factories.gen_student(school_a, first="Lucía", last="Quispe")
    case = factories.gen_case(pupil, world["officer"])
    for _ in range(3):
        factories.gen_contact(case, world["officer"])  # a contact logged on the web
    sign_in(client, auth, world["officer"])  # a contact sent from a phone, stored many to a statement
    token = client.get("/api/sync/session").get_json()["csrf_token"]
    sent = client.post("/api/sync", json={"entries": [entry(world["case_a"], world["officer"])]},
                       headers={"X-CSRFToken": token}).get_json()
    assert sent["results"][0]["status"] == "created"
    _copies_are_the_students_schools()

    moved = Student.get_by_id(pupil.id)  # a transfer, through the model
    moved.school = school_b
    moved.save()
    _copies_are_the_students_schools()
    # a roster import's transfers, in one statement
    Student.update(school=school_b).where(Student.id.in_([maria.id, jose.id])).execute()
    _copies_are_the_students_schools()
    Student.update(school=school_a).where(Student.id == maria.id).execute()
    written = Contact.get_by_id(world["contact_b"].id)  # a contact written with another school is set back
    written.student_school_id = school_a.id
    written.save()
    Contact.update(student_school_id=0).where(Contact.id == world["contact_a"].id).execute()
    _copies_are_the_students_schools()
    Contact.update(student=jose).where(Contact.id == world["contact_a"].id).execute()  # given another student
    _copies_are_the_students_schools()
    assert contact_log.count({"school": school_b.id}) == 5 and contact_log.count({"school": school_a.id}) == 1
    _counted_as_listed([school_a.id, school_b.id])


def test_a_roster_transfer_and_its_undo_move_the_students_contacts_in_the_schools_log(
        client, auth, world, tmp_path):
    """A's log counted María's contacts after a roster moved her to B, and B's
    did not, until the copy follows her; the undo moves them back."""
    school_a, school_b = world["school_a"], world["school_b"]
    for _ in range(3):
        factories.gen_contact(world["case_a"], world["officer"])
    sign_in(client, auth, world["supervisor"])
    assert "4 contacts" in page_text(client.get(f"/supervisor/contacts?school={school_a.id}"))
    assert "1 contact" in page_text(client.get(f"/supervisor/contacts?school={school_b.id}"))

    transfer(world["student_a"], school_b, tmp_path)
    _copies_are_the_students_schools()
    assert "0 contacts" in page_text(client.get(f"/supervisor/contacts?school={school_a.id}"))
    page = page_text(client.get(f"/supervisor/contacts?school={school_b.id}"))
    assert "5 contacts" in page and "García" in page
    _counted_as_listed([school_a.id, school_b.id])

    imports.undo(imports.history.recent(1)[0], world["admin"])
    _copies_are_the_students_schools()
    assert "4 contacts" in page_text(client.get(f"/supervisor/contacts?school={school_a.id}"))
    assert "1 contact" in page_text(client.get(f"/supervisor/contacts?school={school_b.id}"))
    _counted_as_listed([school_a.id, school_b.id])


def test_a_schools_counts_read_the_contacts_school_index_and_no_student(world):
    """(Its page: tests/unit/test_contact_log_plans.py.)"""
    for _ in range(3):
        factories.gen_contact(world["case_a"], world["officer"])
    school = world["school_a"].id
    last = Contact.get_by_id(world["contact_a"].id)
    for run in (lambda: contact_log.count({"school": school}),
                lambda: contact_log.count({"school": school}, newer_than=last),
                lambda: contact_log.count({"school": school, "date_from": datetime.date(2020, 1, 1)})):
        _, counted = recorded(run, "contact")
        assert "JOIN" not in counted[-1][0], counted[-1][0]
        plan = sqlite_plan(*counted[-1])  # (None on PostgreSQL, whose plan is the bench's)
        assert plan is None or "COVERING INDEX contact_student_school_occurred_at (student_school_id=?" in plan, plan
