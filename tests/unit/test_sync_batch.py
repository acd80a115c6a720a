"""Applying outbox batches: created, duplicate, conflict, invalid, wrong user; races."""
import threading

import pytest

from fieldapp.db import database
from fieldapp.models import Case, Contact, StudentGuardian, SyncConflict
from fieldapp.sync.batch import BatchRefused, MAX_ENTRIES, apply_batch, count_by_status, parse_batch
from tests import factories
from tests.unit.sync_entries import entry, phone_time


def statuses(results):
    return [r["status"] for r in results]


def test_new_entries_are_stored_with_receipts(world):
    batch = [entry(world["case_a"], world["officer"]) for _ in range(3)]
    results = apply_batch(world["officer"], batch)
    assert statuses(results) == ["created"] * 3
    for sent, result in zip(batch, results):
        contact = Contact.get(Contact.uuid == sent["uuid"])
        assert result["uuid"] == sent["uuid"]
        assert result["receipt"]["contact_id"] == contact.id
        assert result["receipt"]["received_at"].endswith("Z")
        assert contact.author_id == world["officer"].id
    assert Case.get_by_id(world["case_a"].id).contact_count == 4


def test_resend_is_a_duplicate_with_the_same_receipt(world):
    batch = [entry(world["case_a"], world["officer"])]
    first = apply_batch(world["officer"], batch)
    again = apply_batch(world["officer"], batch)
    assert statuses(again) == ["duplicate"]
    assert again[0]["receipt"] == first[0]["receipt"]
    assert Contact.select().where(Contact.uuid == batch[0]["uuid"]).count() == 1


def test_same_uuid_other_content_keeps_the_first_and_records_one_conflict(world):
    first = entry(world["case_a"], world["officer"])
    apply_batch(world["officer"], [first])
    changed = {**first, "notes": "Nobody home."}
    results = apply_batch(world["officer"], [changed])
    apply_batch(world["officer"], [changed])  # the same second version again
    assert statuses(results) == ["conflict"]
    assert Contact.get(Contact.uuid == first["uuid"]).notes == first["notes"]
    conflicts = list(SyncConflict.select())
    assert len(conflicts) == 1 and "Nobody home." in conflicts[0].payload
    assert results[0]["conflict"]["id"] == conflicts[0].id


def test_invalid_entry_does_not_block_the_others(world):
    good = [entry(world["case_a"], world["officer"]) for _ in range(2)]
    bad = entry(world["case_a"], world["officer"], outcome="teleported")
    results = apply_batch(world["officer"], [good[0], bad, good[1]])
    assert statuses(results) == ["created", "invalid", "created"]
    assert "outcome" in results[1]["errors"]
    assert not Contact.select().where(Contact.uuid == bad["uuid"]).exists()


@pytest.mark.parametrize("field, value", [
    ("occurred_at", ""), ("occurred_at", "2026-05-01T10:00"), ("reasons", "transportation"),
    ("notes", {"a": 1}), ("case_id", "abc"), ("uuid", "not-a-uuid"), ("method", ["x"]),
])
def test_malformed_values_are_invalid_not_errors(world, field, value):
    results = apply_batch(world["officer"], [entry(world["case_a"], world["officer"], **{field: value})])
    assert statuses(results) == ["invalid"]
    assert results[0]["errors"]


def test_entries_that_are_not_objects_are_invalid(world):
    assert statuses(apply_batch(world["officer"], [None, 3, "x", []])) == ["invalid"] * 4


def test_entry_of_another_account_is_never_stored_under_this_one(world):
    other = factories.gen_user("officer", [world["school_a"]])
    sent = entry(world["case_a"], other)
    results = apply_batch(world["officer"], [sent])
    assert statuses(results) == ["wrong_user"]
    assert not Contact.select().where(Contact.uuid == sent["uuid"]).exists()
    assert statuses(apply_batch(other, [sent])) == ["created"]
    assert Contact.get(Contact.uuid == sent["uuid"]).author_id == other.id


def test_another_account_replaying_a_stored_uuid_is_a_conflict(world):
    sent = entry(world["case_a"], world["officer"])
    apply_batch(world["officer"], [sent])
    colleague = factories.gen_user("officer", [world["school_a"]])
    results = apply_batch(colleague, [{**sent, "user_id": colleague.id}])
    assert statuses(results) == ["conflict"]
    assert Contact.get(Contact.uuid == sent["uuid"]).author_id == world["officer"].id


def test_case_outside_scope_or_missing_is_invalid(world):
    results = apply_batch(world["officer"], [entry(world["case_b"], world["officer"]),
                                             entry(world["case_a"], world["officer"], case_id=99999)])
    assert statuses(results) == ["invalid", "invalid"]
    assert "case_id" in results[0]["errors"] and "case_id" in results[1]["errors"]


def test_role_that_cannot_log_contacts_gets_invalid(world):
    results = apply_batch(world["admin"], [entry(world["case_a"], world["admin"])])
    assert statuses(results) == ["invalid"]


def test_contact_made_before_the_case_closed_still_lands(world):
    from fieldapp.cases import lifecycle
    before = entry(world["case_a"], world["officer"], occurred_at=phone_time(120))
    lifecycle.close_case(world["officer"], world["case_a"], {"closure_reason": "attendance_improved"})
    after = entry(world["case_a"], world["officer"], occurred_at=phone_time(-1))
    results = apply_batch(world["officer"], [before, after])
    assert statuses(results) == ["created", "invalid"]


def test_household_visit_from_the_phone_lands_on_each_sibling(world):
    sibling = factories.gen_student(world["school_a"], first="Luis")
    link = StudentGuardian.get(StudentGuardian.student == world["student_a"])
    StudentGuardian.create(student=sibling, guardian=link.guardian_id, relationship="mother")
    sibling_case = factories.gen_case(sibling, world["officer"])
    sent = entry(world["case_a"], world["officer"], siblings=[str(sibling.id)])
    assert statuses(apply_batch(world["officer"], [sent])) == ["created"]
    assert statuses(apply_batch(world["officer"], [sent])) == ["duplicate"]
    assert Contact.select().where(Contact.case == sibling_case).count() == 1


def test_batch_shape_and_size_limit():
    with pytest.raises(BatchRefused):
        parse_batch([1, 2])
    with pytest.raises(BatchRefused):
        parse_batch({"entries": "x"})
    with pytest.raises(BatchRefused) as refused:
        parse_batch({"entries": [{}] * (MAX_ENTRIES + 1)})
    assert refused.value.status == 413
    assert parse_batch({"entries": [], "device": "x"}) == ([], None)


def test_two_senders_racing_store_each_entry_once(world, app):
    """The page and the service worker send the same outbox at the same moment."""
    batch = [entry(world["case_a"], world["officer"]) for _ in range(20)]
    officer = world["officer"]
    barrier, answers, failures = threading.Barrier(2), [], []

    def send():
        try:
            with database.connection_context():
                barrier.wait()
                answers.append(apply_batch(officer, batch))
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not failures, failures
    uuids = [e["uuid"] for e in batch]
    assert Contact.select().where(Contact.uuid.in_(uuids)).count() == 20
    combined = count_by_status(answers[0] + answers[1])
    assert combined == {"created": 20, "duplicate": 20}
    assert not SyncConflict.select().exists()


def test_contacts_from_a_batch_are_stored_as_log_contact_stores_them(world):
    """The chunk store and log_contact keep the same fields, so a resend compares equal."""
    from fieldapp.cases import contacts
    officer, case = world["officer"], world["case_a"]
    sent = entry(case, officer, reasons=["illness", "housing"], people_present=["parent", "student"],
                 follow_up_on=phone_time(-60 * 24 * 3)[:10], interpreter_used=True, language="es",
                 latitude=34.05, longitude=-118.25)
    results = apply_batch(officer, [sent, entry(case, officer)])
    assert statuses(results) == ["created", "created"]
    from fieldapp.sync.entries import entry_form
    from fieldapp.sync.schema import read_entry
    clean, errors = contacts.validate_contact(entry_form(read_entry(sent).entry)[0], officer)
    assert not errors
    by_sync = Contact.get(Contact.uuid == sent["uuid"])
    by_form, _ = contacts.log_contact(officer, case, clean)
    assert contacts._stored_content(by_sync) == contacts._stored_content(by_form)
    skip = {"id", "uuid", "received_at", "student_school_id"}  # the last: the database's copy (migration 0700)
    fields = [f for f in Contact._meta.sorted_field_names if f not in skip]
    assert {f: getattr(by_sync, f + "_id" if f in ("case", "student", "author", "amends") else f)
            for f in fields} == {f: getattr(by_form, f + "_id" if f in ("case", "student", "author", "amends") else f)
                                 for f in fields}
    assert Case.get_by_id(case.id).contact_count == 4


def test_resend_compares_every_field_that_makes_the_contact(world):
    officer, case = world["officer"], world["case_a"]
    sent = entry(case, officer, follow_up_on=phone_time(-60 * 24)[:10], latitude=34.0522,
                 longitude=-118.2437, interpreter_used=True, language="es")
    apply_batch(officer, [sent])
    assert statuses(apply_batch(officer, [dict(sent)])) == ["duplicate"]
    for change in ({"latitude": 34.0523}, {"interpreter_used": False, "language": ""},
                   {"follow_up_on": ""}, {"reasons": ["illness"]}, {"occurred_at": phone_time(31)}):
        assert statuses(apply_batch(officer, [{**sent, **change}])) == ["conflict"], change


def test_a_chunk_over_many_cases_decides_scope_from_the_cases_it_reads(world):
    """The scope of every entry follows its student's current school, read with the
    chunk's cases (each case row carries it): not one more query per entry, which
    was most of a phone's chunk."""
    from tests.query_plans import recorded
    cases = [factories.gen_case(factories.gen_student(world["school_a"], first=f"Kid{n}"), world["officer"])
             for n in range(12)]
    batch = [entry(case, world["officer"]) for case in cases for _ in range(2)]
    batch.append(entry(world["case_b"], world["officer"]))  # another school's case
    results, reads = recorded(lambda: apply_batch(world["officer"], batch), "student")
    assert statuses(results) == ["created"] * 24 + ["invalid"]
    assert "case_id" in results[-1]["errors"]
    assert reads == []
