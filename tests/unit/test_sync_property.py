"""Property: whatever happens to the batches on the way (duplicated, reordered,
retried, cut short by a failing server, answers lost), the record ends with each
distinct entry exactly once, and every other version of an entry as one conflict."""
import uuid

from hypothesis import HealthCheck, given, settings, strategies as st

from fieldapp.models import Contact, SyncConflict
from fieldapp.sync.batch import apply_batch
from tests.unit.sync_entries import entry

VALID, INVALID = 4, 2  # entries a phone holds: valid ones and ones the server refuses

# One send: which entries (index, second version?) in which order, and what happened.
sends = st.lists(st.tuples(
    st.lists(st.tuples(st.integers(0, VALID + INVALID - 1), st.booleans()), max_size=8),
    st.sampled_from(["answered", "answer_lost", "server_failed_midway"]),
    st.integers(0, 8)), min_size=1, max_size=6)


def phone_entries(world):
    """Each entry in two versions (other notes), fresh UUIDs for every example."""
    officer, case = world["officer"], world["case_a"]
    versions = []
    for index in range(VALID + INVALID):
        first = entry(case, officer, uuid=str(uuid.uuid4()), notes=f"Visit {index}.",
                      outcome="reached_parent" if index < VALID else "not-a-code")
        versions.append((first, {**first, "notes": f"Visit {index}, typed again."}))
    return versions


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sends=sends)
def test_any_sequence_of_batches_stores_each_entry_once(world, sends):
    officer, versions = world["officer"], phone_entries(world)
    stored, conflicts = {}, set()  # what the record must hold: uuid -> notes; (uuid, notes)

    def expect(sent):
        uid, notes = sent["uuid"], sent["notes"]
        if sent["outcome"] == "not-a-code" and uid not in stored:
            return "invalid"
        if uid not in stored:
            stored[uid] = notes
            return "created"
        if stored[uid] == notes:
            return "duplicate"
        conflicts.add((uid, notes))
        return "conflict"

    for picks, fate, cut in sends:
        batch = [versions[i][1 if second else 0] for i, second in picks]
        if fate == "server_failed_midway":  # entries after the failure were never applied
            batch = batch[:cut % (len(batch) + 1)]
        results = apply_batch(officer, batch)
        wanted = [expect(sent) for sent in batch]
        if fate == "answered":
            assert [r["status"] for r in results] == wanted
    # The phone resends everything that has no receipt yet, until it does.
    for first, _ in versions:
        apply_batch(officer, [first])
        expect(first)

    uuids = [first["uuid"] for first, _ in versions]
    rows = list(Contact.select().where(Contact.uuid.in_(uuids)))
    assert sorted((str(c.uuid), c.notes) for c in rows) == sorted(stored.items())
    assert len(rows) == len({str(c.uuid) for c in rows}) == VALID
    recorded = {(str(c.contact_uuid), c.payload) for c in
                SyncConflict.select().where(SyncConflict.contact_uuid.in_(uuids))}
    assert {(u, n) for u, n in conflicts} == {(u, _notes_of(p)) for u, p in recorded}
    assert len(recorded) == len(conflicts)


def _notes_of(payload):
    import json
    return json.loads(payload)["notes"]
