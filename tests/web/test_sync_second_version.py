"""A second version of a stored entry passes every check a new entry must pass."""
from fieldapp.models import SyncConflict
from fieldapp.sync.batch import apply_batch
from tests.unit.sync_entries import entry


def test_a_second_version_naming_another_schools_sibling_is_judged_as_a_new_entry(world):
    officer = world["officer"]
    first = entry(world["case_a"], officer)
    assert apply_batch(officer, [first])[0]["status"] == "created"
    as_new = apply_batch(officer, [entry(world["case_a"], officer, siblings=[world["student_b"].id])])[0]
    second = apply_batch(officer, [{**first, "notes": "Also the sister.", "siblings": [world["student_b"].id]}])[0]
    assert as_new["status"] == second["status"] == "invalid", (as_new, second)
    assert second["errors"]["siblings"]
    assert SyncConflict.select().count() == 0
