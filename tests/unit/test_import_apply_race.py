"""One import applied by two requests at the same moment (two administrators,
a job delivered twice), on two real connections: it is applied once. The
second waits for the first, then is told it was applied already and changes
nothing; the import's history and its undo are those of one apply. A cancel
at the same moment as an apply never overturns it."""
import datetime
import io
import os

import pytest

from fieldapp import imports
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import AttendanceEvent, ImportChange, ImportRun
from fieldapp.rules.settings import RuleSettings
from tests.races import race

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
TODAY = datetime.date(2025, 10, 1)
SETTINGS = RuleSettings(auto_open=False)


@pytest.fixture
def previewed(app):
    """An attendance file previewed and kept for applying (as an upload's job keeps it)."""
    assert import_oneroster(os.path.join(DATA, "oneroster-bulk"), "roster").applied
    with open(os.path.join(DATA, "attendance.csv"), "rb") as stream:
        data = stream.read()
    pending = imports.preview("attendance", io.BytesIO(data), "attendance.csv", SETTINGS, via="upload",
                              today=TODAY, keep_file=True)
    assert pending.run.outcome == "previewed"
    return pending.run.id


def applying(run_id):
    return lambda: imports.apply_stored(ImportRun.get_by_id(run_id), SETTINGS, today=TODAY)


def test_two_applies_at_once_apply_the_import_once(previewed):
    first, second = race(applying(previewed), applying(previewed))
    assert first[0].outcome == "applied"
    assert isinstance(second, imports.NotWaiting), second
    marks = AttendanceEvent.select().count()
    changes = ImportChange.select().where(ImportChange.run == previewed).count()
    assert marks > 0
    run = ImportRun.get_by_id(previewed)
    assert run.outcome == "applied" and run.counts == first[0].counts
    imports.undo(run, None)
    assert AttendanceEvent.select().count() == 0  # the undo puts back what was there before
    assert changes == ImportChange.select().where(ImportChange.run == previewed).count()


def test_a_cancel_at_the_moment_of_an_apply_never_overturns_it(previewed):
    first, second = race(applying(previewed), lambda: imports.cancel(ImportRun.get_by_id(previewed)))
    assert first[0].outcome == "applied"
    assert ImportRun.get_by_id(previewed).outcome == "applied" and AttendanceEvent.select().count() > 0
