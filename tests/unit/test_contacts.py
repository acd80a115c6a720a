"""Contacts without the web: what a form must hold, storing each contact once,
amendments, household visits and what the case derives from them."""
import datetime
import uuid

import pytest

from fieldapp.cases import contacts as logic
from fieldapp.models import Case, Contact, StudentGuardian, utcnow
from fieldapp.timefmt import to_local
from tests import factories

NOW = utcnow().replace(microsecond=0)
LOCAL_NOW = to_local(NOW)


def local(delta=datetime.timedelta(0), fmt="%Y-%m-%dT%H:%M"):
    return (LOCAL_NOW + delta).strftime(fmt)


def form(**overrides):
    return factories.contact_form(**{"occurred_at": local(), **overrides})


@pytest.fixture
def people(app):
    school = factories.gen_school()
    officer = factories.gen_user("officer", [school])
    front = factories.gen_user("front_office", [school])
    student = factories.gen_student(school)
    return {"school": school, "officer": officer, "front": front, "student": student,
            "case": factories.gen_case(student, officer)}


def validate(user, **overrides):
    return logic.validate_contact(form(**overrides), user, now=NOW)


# -- validation --------------------------------------------------------------------

def test_a_complete_form_is_clean(people):
    clean, errors = validate(people["officer"], reasons=["illness", "illness", "housing"],
                             follow_up_on=local(datetime.timedelta(days=7), "%Y-%m-%d"),
                             interpreter_used="on", language="es")
    assert errors == {}
    assert clean["method"] == "home_visit" and clean["reasons"] == ["illness", "housing"]
    assert clean["interpreter_used"] is True and clean["language"] == "es"
    assert clean["occurred_at"] == NOW.replace(second=0)
    assert clean["follow_up_on"] == (LOCAL_NOW + datetime.timedelta(days=7)).date()


@pytest.mark.parametrize("overrides,field,message", [
    ({"method": ""}, "method", "Choose the method."),
    ({"method": "pigeon"}, "method", "Choose a method from the list."),
    ({"outcome": None}, "outcome", "Choose the outcome."),
    ({"outcome": "maybe"}, "outcome", "Choose an outcome from the list."),
    ({"reasons": ["illness", "aliens"]}, "reasons", "Choose reasons from the list."),
    ({"people_present": ["ghost"]}, "people_present", "Choose people present from the list."),
    ({"notes": "n" * 5001}, "notes", "Notes is too long: 5,001 characters; keep it under 5,000."),
    ({"occurred_at": "2026-02-30T09:00"}, "occurred_at", "Give the date and time as YYYY-MM-DD HH:MM."),
    ({"occurred_at": local(datetime.timedelta(minutes=30))}, "occurred_at",
     "This is in the future; give the time the contact happened."),
    ({"occurred_at": local(datetime.timedelta(days=-400))}, "occurred_at",
     "This is more than a year ago; check the year."),
    ({"occurred_at": "9999-12-31T23:59"}, "occurred_at",
     "This is in the future; give the time the contact happened."),
    ({"occurred_at": "0001-01-01T00:00"}, "occurred_at", "This is more than a year ago; check the year."),
    ({"follow_up_on": "2026-13-01"}, "follow_up_on", "Give the follow-up date as YYYY-MM-DD."),
    ({"follow_up_on": local(datetime.timedelta(days=-1), "%Y-%m-%d")}, "follow_up_on",
     "The follow-up date must be on or after the contact."),
    ({"follow_up_on": local(datetime.timedelta(days=400), "%Y-%m-%d")}, "follow_up_on",
     "The follow-up date must be within a year."),
    ({"interpreter_used": "1", "language": ""}, "language", "Say which language the interpreter used."),
    ({"language": "elvish"}, "language", "Choose a language from the list."),
    ({"latitude": "95"}, "location", "The location is not a valid position; clear it or try again."),
    ({"longitude": "inf"}, "location", "The location is not a valid position; clear it or try again."),
])
def test_each_problem_is_named_on_its_field(people, overrides, field, message):
    _, errors = validate(people["officer"], **overrides)
    assert errors == {field: message}


def test_front_office_logs_only_calls_and_excuse_notes(people):
    assert validate(people["front"], method="phone")[1] == {}
    assert validate(people["front"], method="excuse_note", outcome="note_received")[1] == {}
    assert validate(people["front"])[1] == {"method": "Choose a method from the list."}


def test_a_few_minutes_of_clock_skew_is_allowed(people):
    clean, errors = validate(people["officer"], occurred_at=local(datetime.timedelta(minutes=5)))
    assert errors == {}


def test_a_phone_sends_an_exact_instant(people):
    sent = (NOW - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    clean, errors = validate(people["officer"], occurred_at=sent)
    assert errors == {} and clean["occurred_at"] == NOW - datetime.timedelta(hours=2)


def test_no_time_given_means_now(people):
    clean, errors = validate(people["officer"], occurred_at="")
    assert errors == {} and clean["occurred_at"] == NOW


def test_invisible_characters_are_dropped_from_notes(people):
    clean, _ = validate(people["officer"], notes="\ufeff Nadie\x00 en\u200b casa \x1b\r\n")
    assert clean["notes"] == "Nadie en casa"


def test_direction_overrides_are_dropped_from_notes_and_right_to_left_marks_kept(people):
    """A right-to-left override typed or pasted into a note turned the rest of the
    history line around on screen."""
    clean, _ = validate(people["officer"], notes="Mother says \u202eyad yreve\u202c fine \u2067x\u2069 \u200fשלום")
    assert clean["notes"] == "Mother says yad yreve fine x \u200fשלום"


# -- storing once ----------------------------------------------------------------------

def log(people, contact_uuid, **overrides):
    clean, errors = validate(people["officer"], **overrides)
    assert not errors
    return logic.log_contact(people["officer"], people["case"], clean, contact_uuid)


def test_the_same_form_sent_twice_is_stored_once(people):
    key = uuid.uuid4()
    first, created = log(people, key)
    again, created_again = log(people, key)
    assert (created, created_again) == (True, False)
    assert again.id == first.id
    assert Contact.select().count() == 1
    assert Case.get_by_id(people["case"].id).contact_count == 1


def test_the_same_id_with_other_content_is_a_conflict_and_the_first_stays(people):
    key = uuid.uuid4()
    first, _ = log(people, key, notes="First version")
    with pytest.raises(logic.ContactConflict) as conflict:
        log(people, key, notes="Second version")
    assert conflict.value.existing.id == first.id
    assert [c.notes for c in Contact.select()] == ["First version"]


def test_the_same_id_on_another_case_is_a_conflict(people):
    key = uuid.uuid4()
    log(people, key)
    other_case = factories.gen_case(factories.gen_student(people["school"], first="Ana"),
                                    people["officer"])
    clean, _ = validate(people["officer"])
    with pytest.raises(logic.ContactConflict):
        logic.log_contact(people["officer"], other_case, clean, key)


def test_parse_uuid_accepts_only_uuids():
    key = uuid.uuid4()
    assert logic.parse_uuid(str(key)) == key
    for bad in (None, "", "42", "not-a-uuid", "\x00", "'; DROP TABLE contact;--"):
        assert logic.parse_uuid(bad) is None


# -- what the case derives -------------------------------------------------------------

def test_the_case_shows_the_latest_contact_and_its_follow_up(people):
    soon = local(datetime.timedelta(days=3), "%Y-%m-%d")
    log(people, uuid.uuid4(), occurred_at=local(datetime.timedelta(hours=-5)))
    latest, _ = log(people, uuid.uuid4(), occurred_at=local(datetime.timedelta(hours=-1)),
                    follow_up_on=soon)
    # Logged later but happened earlier: does not become the last contact.
    log(people, uuid.uuid4(), occurred_at=local(datetime.timedelta(days=-2)))
    case = Case.get_by_id(people["case"].id)
    assert case.contact_count == 3
    assert case.last_contact_at == latest.occurred_at
    assert case.next_follow_up.isoformat() == soon


def test_an_amendment_supersedes_the_original(people):
    original, _ = log(people, uuid.uuid4(), follow_up_on=local(datetime.timedelta(days=2), "%Y-%m-%d"))
    fixed_day = local(datetime.timedelta(days=9), "%Y-%m-%d")
    clean, _ = validate(people["officer"], outcome="no_answer", follow_up_on=fixed_day)
    reason, errors = logic.validate_amendment({"amendment_reason": "Nobody answered."}, original)
    assert errors == {}
    amendment, _ = logic.log_contact(people["officer"], people["case"], clean, uuid.uuid4(),
                                     amends=original, amendment_reason=reason)
    case = Case.get_by_id(people["case"].id)
    assert case.contact_count == 1  # the correction replaces, it does not add
    assert case.next_follow_up.isoformat() == fixed_day
    assert [c.id for c in logic.effective_contacts(case)] == [amendment.id]
    # Both stay on the timeline; nothing was edited or deleted.
    assert {c.id for c in logic.timeline(people["student"])} == {original.id, amendment.id}
    assert Contact.get_by_id(original.id).outcome == "reached_parent"


def test_an_amendment_needs_a_reason_and_a_current_original(people):
    original, _ = log(people, uuid.uuid4())
    assert logic.validate_amendment({"amendment_reason": " \x00 "}, original)[1] == {
        "amendment_reason": "The reason for the correction is required."}
    clean, _ = validate(people["officer"])
    logic.log_contact(people["officer"], people["case"], clean, uuid.uuid4(), amends=original,
                      amendment_reason="Typo")
    assert logic.validate_amendment({"amendment_reason": "Again"}, original)[1] == {
        "amendment_reason": "This contact was already corrected; amend the latest correction."}


def test_timeline_is_newest_first(people):
    old, _ = log(people, uuid.uuid4(), occurred_at=local(datetime.timedelta(days=-3)))
    new, _ = log(people, uuid.uuid4(), occurred_at=local(datetime.timedelta(hours=-1)))
    assert [c.id for c in logic.timeline(people["student"])] == [new.id, old.id]


# -- households ------------------------------------------------------------------------

@pytest.fixture
def siblings(people):
    brother = factories.gen_student(people["school"], first="Mateo")
    sister = factories.gen_student(people["school"], first="Sofía")
    guardian = factories.gen_guardian([people["student"], brother, sister])
    assert StudentGuardian.select().where(StudentGuardian.guardian == guardian).count() == 3
    return [factories.gen_case(brother, people["officer"]), factories.gen_case(sister, people["officer"])]


def test_a_household_visit_logs_one_contact_per_child_sharing_a_visit_id(people, siblings):
    clean, _ = validate(people["officer"], follow_up_on=local(datetime.timedelta(days=5), "%Y-%m-%d"))
    visit = uuid.uuid4()
    stored = logic.log_household_visit(people["officer"], people["case"], clean, siblings, visit)
    assert len(stored) == 3
    assert {c.household_visit for c in stored} == {visit}
    assert len({c.uuid for c in stored}) == 3
    assert sorted(c.case_id for c in stored) == sorted([people["case"].id] + [c.id for c in siblings])
    for case in siblings:
        assert Case.get_by_id(case.id).contact_count == 1
        assert Case.get_by_id(case.id).next_follow_up is not None


def test_a_resubmitted_household_visit_adds_nothing(people, siblings):
    clean, _ = validate(people["officer"])
    visit = uuid.uuid4()
    first = logic.log_household_visit(people["officer"], people["case"], clean, siblings, visit)
    again = logic.log_household_visit(people["officer"], people["case"], clean, siblings, visit)
    assert [c.id for c in again] == [c.id for c in first]
    assert Contact.select().count() == 3


def test_a_household_visit_is_all_or_nothing(people, siblings):
    clean, _ = validate(people["officer"])
    visit = uuid.uuid4()
    # A contact already holds the id the sister's entry would get, with other content.
    taken = uuid.uuid5(visit, str(siblings[1].student_id))
    other, _ = validate(people["officer"], notes="Something else")
    logic.log_contact(people["officer"], siblings[1], other, taken)
    with pytest.raises(logic.ContactConflict):
        logic.log_household_visit(people["officer"], people["case"], clean, siblings, visit)
    assert Contact.select().count() == 1
    assert Case.get_by_id(people["case"].id).contact_count == 0


@pytest.mark.parametrize("method, outcome", [("phone", "notice_at_door"), ("letter", "voicemail"),
                                             ("email", "wrong_number"), ("home_visit", "voicemail")])
def test_an_outcome_the_method_cannot_have_is_refused_on_its_field(people, method, outcome):
    _, errors = validate(people["officer"], method=method, outcome=outcome)
    assert list(errors) == ["outcome"]
    assert "is not an outcome of" in errors["outcome"]


def test_every_outcome_fits_at_least_one_method():
    from fieldapp import codes
    assert all(codes.methods_with_outcome(outcome) for outcome in codes.OUTCOMES)
    assert codes.methods_with_outcome("voicemail") == ("phone",)


def test_a_correction_is_pointed_to_on_the_side_of_the_timeline_it_sits(people):
    officer, case = people["officer"], people["case"]
    original = factories.gen_contact(case, officer, occurred_at=local(-datetime.timedelta(hours=3)))
    later_time, errors = logic.validate_contact(form(
        occurred_at=local(-datetime.timedelta(hours=1)), amendment_reason="Time was wrong."), officer, now=NOW)
    assert not errors
    correction, _ = logic.log_contact(officer, case, later_time, uuid.uuid4(), amends=original,
                                      amendment_reason="Time was wrong.")
    contacts = logic.timeline(people["student"])
    assert logic.corrections_placed(contacts) == {original.id: "above"}
    # A correction to an earlier time sits below what it corrects.
    earlier = Contact.update(occurred_at=original.occurred_at - datetime.timedelta(hours=5)) \
        .where(Contact.id == correction.id).execute()
    assert earlier and logic.corrections_placed(logic.timeline(people["student"])) == {original.id: "below"}
