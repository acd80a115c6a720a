"""The student page is asked for at every door and on every call: each
statement it runs is a round trip to PostgreSQL, and the page's budget is 15 ms
on a district of 100,000 students (bench/bench_pages.py). These tests hold the
number of statements a view runs, with everything the page can show at once
(guardians with a number marked wrong, a sibling, an open case with its
follow-up and history, a contact, an excuse note, a referral), so that a
query added or split again shows up here, not first in the bench."""
import datetime

from fieldapp.db import database
from fieldapp.models import ExcuseNote, ExcuseNoteDay, Guardian, PhoneMark, Referral
from tests import factories
from tests.web.conftest import page_text


def statements_of(view):
    """(the response of view(), the SQL of each statement it ran)."""
    statements = []
    hook = lambda event: statements.append(event.sql)  # noqa: E731
    database.obj.query_hooks.append(hook)
    try:
        answer = view()
    finally:
        database.obj.query_hooks.remove(hook)
    return answer, statements


def _full_record(world):
    student = world["student_a"]
    guardian = Guardian.get(Guardian.first_name == "Ana")
    sibling = factories.gen_student(world["school_a"], first="Luis")
    factories.gen_guardian([student, sibling], first="Raúl", relationship="father", alt_phone="(555) 201-9999")
    PhoneMark.create(guardian=guardian, field="phone", number=guardian.phone, status="wrong",
                     marked_by=world["officer"])
    note = ExcuseNote.create(student=student, school=world["school_a"], received_how="phone", from_whom="Mother",
                             reason="illness", recorded_by=world["front"])
    ExcuseNoteDay.create(excuse_note=note, student=student, date=datetime.date.today() - datetime.timedelta(days=1))
    Referral.create(student=student, school=world["school_a"], reason="illness", note="Often late",
                    referred_by=world["front"], case=world["case_a"], status="accepted")
    factories.gen_contact(world["case_a"], world["officer"], follow_up_on=(
        datetime.date.today() + datetime.timedelta(days=7)).isoformat())
    return student


def test_a_full_student_page_runs_at_most_eleven_statements(client, login_as, world):
    student = _full_record(world)
    login_as("officer")
    client.get(f"/students/{student.id}")  # the first view stores the student's standing
    answer, statements = statements_of(lambda: client.get(f"/students/{student.id}"))
    page = page_text(answer)
    # Everything the record holds is on the page.
    assert answer.status_code == 200
    assert "<s>(555) 201-3344</s> — wrong number" in page and "Call (555) 201-9999" not in page
    assert "Luis García" in page and "Raúl García" in page
    assert "Next follow-up" in page and "Why the case stands here" in page
    assert 'class="excuse-notes"' in page and "Referred to the attendance officer" in page
    # 21 before: the user's schools, the guardians' marked numbers, the
    # siblings' ids, the excuse notes' days, the calendars' fingerprint, the
    # case's open follow-up and the referral's author were each a statement
    # of their own; 14 until the schools' zones came with the session's
    # check and the year's marks and calendars' fingerprint with the stored
    # standing (the calendars kept while it holds).
    assert len(statements) <= 11, "\n".join(statements)


def test_a_student_without_case_or_notes_runs_at_most_ten_statements(client, login_as, world):
    student = factories.gen_student(world["school_a"], first="Inés")
    factories.gen_guardian([student], first="Carmen")
    login_as("officer")
    client.get(f"/students/{student.id}")
    answer, statements = statements_of(lambda: client.get(f"/students/{student.id}"))
    assert answer.status_code == 200 and "Carmen García" in page_text(answer) and "Open a case" in page_text(answer)
    # 17 before, 13 until the zones and the marks came with other reads.
    assert len(statements) <= 10, "\n".join(statements)
