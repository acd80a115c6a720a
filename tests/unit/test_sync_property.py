"""Property: whatever happens to the batches on the way (duplicated, reordered,
retried, cut short by a failing server, answers lost), and whatever poison is mixed
into them, the record ends with each distinct entry exactly once, every other version
of an entry that passes the checks as one conflict, and every bad entry answered
`invalid`: never an exception, never a conflict kept for a supervisor."""
import uuid

from hypothesis import HealthCheck, given, settings, strategies as st

from fieldapp.models import Contact, SyncConflict
from fieldapp.sync.batch import apply_batch
from tests.unit.sync_entries import entry

VALID, INVALID = 4, 2  # entries a phone holds: valid ones and ones the server refuses


def _deep(levels):
    value = "x"
    for _ in range(levels):
        value = [value]
    return value


# Values no phone should send: times past the calendar's ends, ids in Unicode digits,
# ids too long or too large for a column, lists within lists, non-finite numbers.
POISON = [("occurred_at", "9999-12-31T23:30:00-08:00"), ("occurred_at", "0001-01-01T00:10:00+01:00"),
          ("case_id", "²"), ("case_id", "9" * 5000), ("case_id", 2 ** 63), ("user_id", "٣"),
          ("user_id", 2 ** 64), ("siblings", ["²"]), ("notes", _deep(2000)),
          ("reasons", _deep(300)), ("latitude", float("inf")), ("uuid", ["x"]),
          ("notes", "n" * 2_000_000)]
# A second version of a stored entry that must not be kept: a case of another school,
# notes past the limit, a code not on the lists.
BAD_SECOND = ["other_school", "long_notes", "bad_code"]

# One send: which entries (index, which version: 0 first, 1 second, 2 bad second) in
# which order, poison mixed in, and what happened.
sends = st.lists(st.tuples(
    st.lists(st.one_of(
        st.tuples(st.just("entry"), st.integers(0, VALID + INVALID - 1), st.integers(0, 2)),
        st.tuples(st.just("poison"), st.integers(0, len(POISON) - 1), st.just(0))), max_size=8),
    st.sampled_from(["answered", "answer_lost", "server_failed_midway"]),
    st.integers(0, 8)), min_size=1, max_size=6)


def phone_entries(world):
    """Each entry in three versions (the first, one with other notes, one that fails a
    check a new entry must pass), fresh UUIDs for every example."""
    officer, case = world["officer"], world["case_a"]
    versions = []
    for index in range(VALID + INVALID):
        first = entry(case, officer, uuid=str(uuid.uuid4()), notes=f"Visit {index}.",
                      outcome="reached_parent" if index < VALID else "not-a-code")
        bad = BAD_SECOND[index % len(BAD_SECOND)]
        bad_second = {**first, "notes": f"Visit {index}, sent wrong."}
        if bad == "other_school":
            bad_second["case_id"] = world["case_b"].id
        elif bad == "long_notes":
            bad_second["notes"] = "n" * 6000
        else:
            bad_second["method"] = "carrier_pigeon"
        versions.append((first, {**first, "notes": f"Visit {index}, typed again."}, bad_second))
    return versions


def poison(world, index):
    field, value = POISON[index]
    return {**entry(world["case_a"], world["officer"]), field: value, "_poison": True}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sends=sends)
def test_any_sequence_of_batches_stores_each_entry_once(world, sends):
    officer, versions = world["officer"], phone_entries(world)
    stored, conflicts = {}, set()  # what the record must hold: uuid -> notes; (uuid, notes)

    def expect(sent):
        uid, notes = sent["uuid"], sent["notes"]
        if sent.get("_poison") or sent.get("_bad"):
            return "invalid"
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
        batch = [poison(world, i) if kind == "poison" else
                 ({**versions[i][2], "_bad": True} if which == 2 else versions[i][which])
                 for kind, i, which in picks]
        if fate == "server_failed_midway":  # entries after the failure were never applied
            batch = batch[:cut % (len(batch) + 1)]
        results = apply_batch(officer, batch)
        wanted = [expect(sent) for sent in batch]
        if fate == "answered":
            assert [r["status"] for r in results] == wanted
            assert all(r["errors"] for r in results if r["status"] == "invalid")
    # The phone resends everything that has no receipt yet, until it does.
    for first, _, _ in versions:
        apply_batch(officer, [first])
        expect(first)

    uuids = [first["uuid"] for first, _, _ in versions]
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
