"""Whether a contact carries the law's steps (a notification, a report) or
is only a record of contact depends on its author's role
(fieldapp.policy.does_casework), and the law looks at the role when the
contact was made: a clerk's call stays a record after the clerk becomes an
officer, an officer's visit stays casework after they move to a front office.
The role is stored with the contact (migration 0511), so a role changed on
the Users page leaves every stored standing true: it equals a recomputation."""
import datetime
import uuid

from fieldapp.cases import contacts
from fieldapp.db import database
from fieldapp.models import Contact, User
from fieldapp.rules import stored
from fieldapp.rules.settings import RuleSettings
from fieldapp.rules.standing import standings
from fieldapp.timefmt import local_today, to_utc
from tests import documents_support, factories
from tests.migration_support import migration

SETTINGS = RuleSettings(state="CA")


def _call(author, case, outcome="reached_parent"):
    """A phone call on the case yesterday."""
    clean = {"method": "phone", "outcome": outcome, "reasons": [], "people_present": [], "notes": "called mum",
             "follow_up_on": None, "interpreter_used": False, "language": "", "latitude": None,
             "longitude": None, "occurred_at": to_utc(datetime.datetime.combine(
                 local_today() - datetime.timedelta(days=1), datetime.time(10)))}
    return contacts.log_contact(author, case, clean, uuid.uuid4())[0]


def _next_steps(student):
    """(stored next step, recomputed next step) of student today."""
    today = local_today()
    kept = stored.standings_of(SETTINGS, today, [student.id])[student.id].next_step
    again = standings(SETTINGS, today, student_ids=[student.id])[student.id].next_step
    return kept.step.code if kept else None, again.step.code if again else None


def _truant(world, first):
    student = factories.gen_student(world["school_a"], first=first, last="Truant")
    documents_support.add_attendance(student, world["school_a"], unexcused=4, tardies=0)
    return student, factories.gen_case(student, world["officer"])


def test_a_clerks_call_stays_a_record_when_the_clerk_becomes_an_officer(auth, login_as, world):
    student, case = _truant(world, "Lia")
    call = _call(world["front"], case)
    assert call.author_role == "front_office"
    assert _next_steps(student) == ("ca_first_notice", "ca_first_notice")  # a record: the notice is owed
    login_as("admin")
    changed = auth.post(f"/admin/users/{world['front'].id}",
                        data={"role": "officer", "schools": [str(world["school_a"].id)]})
    assert changed.status_code == 302 and User.get_by_id(world["front"].id).role == "officer"
    assert _next_steps(student) == ("ca_first_notice", "ca_first_notice")


def test_an_officers_visit_stays_casework_when_they_move_to_the_front_office(auth, login_as, world):
    student, case = _truant(world, "Teo")
    before = _next_steps(student)
    _call(world["officer"], case)
    after_call = _next_steps(student)
    assert after_call[0] == after_call[1] != before[0]  # the officer's call was the notification
    login_as("admin")
    auth.post(f"/admin/users/{world['officer'].id}",
              data={"role": "front_office", "schools": [str(world["school_a"].id)]})
    assert User.get_by_id(world["officer"].id).role == "front_office"
    assert _next_steps(student) == after_call


def test_a_correction_keeps_the_role_of_the_act_it_corrects(world):
    student, case = _truant(world, "Ida")
    call = _call(world["front"], case)
    clean, errors = contacts.validate_contact(factories.contact_form(outcome="reached_parent"), world["officer"])
    assert not errors, errors
    fixed, _ = contacts.log_contact(world["officer"], case, clean, uuid.uuid4(), amends=call,
                                    amendment_reason="Wrong time typed")
    assert fixed.author_role == "front_office"


def test_contacts_stored_before_take_their_authors_role(world):
    Contact.update(author_role="").execute()  # as stored before the role was kept
    with database.atomic():
        migration("0511_contact_author_role.py").backfill(database)
    roles = {c.author_id: c.author_role for c in Contact.select()}
    assert roles == {world["officer"].id: "officer", world["other_officer"].id: "officer"}


def test_a_call_synced_from_a_phone_keeps_the_role_its_author_held_when_it_was_made(world):
    """A clerk's call saved on the phone, synced after the clerk became an
    officer, stays a front-office call (a record, not the officer's
    casework); a call made after the change is the officer's."""
    from fieldapp.accounts import lifecycle
    from fieldapp.sync.batch import apply_batch
    from tests.unit.sync_entries import entry, phone_time
    student, case = _truant(world, "Sol")
    clerk = world["front"]
    before = entry(case, clerk, method="phone", outcome="reached_parent", reasons=[], people_present=[],
                   occurred_at=phone_time(90), saved_at=phone_time(89))
    assert lifecycle.change_role(world["admin"], User.get_by_id(clerk.id), "officer", [world["school_a"].id]) == {}
    # the change was made 20 minutes ago: between the two calls (a call's time is to the minute)
    from fieldapp.models import AuditEvent, utcnow
    AuditEvent.update(at=utcnow() - datetime.timedelta(minutes=20)).where(AuditEvent.action == "user.change").execute()
    clerk = User.get_by_id(clerk.id)
    after = entry(case, clerk, method="phone", outcome="reached_parent", reasons=[], people_present=[],
                  occurred_at=phone_time(0), saved_at=phone_time(0))
    apply_batch(clerk, [before, after])
    roles = {str(c.uuid): c.author_role for c in Contact.select().where(Contact.case == case)}
    assert roles == {before["uuid"]: "front_office", after["uuid"]: "officer"}
    apply_batch(clerk, [before])  # sent again: the same contact, no conflict
    assert Contact.select().where(Contact.case == case).count() == 2


def test_a_visit_typed_late_keeps_the_role_its_author_held_at_the_visit(world):
    """Typed online a day late, after the author moved to the front office:
    the officer's visit of yesterday stays the officer's casework."""
    from fieldapp.accounts import lifecycle
    student, case = _truant(world, "Rui")
    officer = world["officer"]
    assert lifecycle.change_role(world["admin"], User.get_by_id(officer.id), "front_office",
                                 [world["school_a"].id]) == {}
    assert _call(User.get_by_id(officer.id), case).author_role == "officer"  # the call was yesterday
