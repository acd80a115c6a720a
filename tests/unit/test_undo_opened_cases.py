"""Undoing an attendance import closes the cases it opened by itself (the
rule set's first threshold), with the undo in their history, unless work was
done on them since: those stay open and the undo's summary counts them."""
import datetime
import io
import os

import pytest

from fieldapp import imports
from fieldapp.cases import lifecycle
from fieldapp.cases.history_text import note_text
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import Case, CaseEvent, ImportRun
from fieldapp.rules.settings import RuleSettings
from tests import factories

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
TODAY = datetime.date(2025, 10, 1)
HEADER = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent\n"
SETTINGS = RuleSettings(state="CA", auto_open=True)


@pytest.fixture
def crossed(app):
    """Two students who cross California's first threshold in one import,
    each given a case by it, and the school's officer."""
    assert import_oneroster(os.path.join(DATA, "oneroster-bulk"), "roster").applied
    from fieldapp.models import Student
    maria, second = Student.get(Student.local_id == "1001"), Student.get(Student.local_id == "1003")
    officer = factories.gen_user("officer", [maria.school])  # 1001 and 1003 share it
    rows = "".join(f"{kid},{school},2025-09-{d:02d},Unexcused Absence,\n"
                   for kid, school in (("1001", maria.school.sourced_id), ("1003", second.school.sourced_id))
                   for d in (2, 9, 16))
    run, report = imports.run("attendance", io.BytesIO((HEADER + rows).encode()), "sept.csv", SETTINGS,
                              today=TODAY)
    assert report.counts["cases opened"] == 2
    return {"run": run, "officer": officer, "maria": maria, "second": second,
            "cases": {c.student_id: c for c in Case.select()}}


def test_undo_closes_the_cases_the_import_opened_with_the_undo_in_their_history(crossed):
    admin = factories.gen_user("admin")
    counts = imports.undo(ImportRun.get_by_id(crossed["run"].id), admin)
    assert counts["cases it opened closed"] == 2
    for case in Case.select():
        assert case.status == "closed" and case.closure_reason == "opened_in_error"
        closed = CaseEvent.get((CaseEvent.case == case) & (CaseEvent.kind == "closed"))
        assert closed.by_id == admin.id and "was undone" in note_text(closed) and "sept.csv" in note_text(closed)
    # the case stays a record: nothing is deleted
    assert Case.select().count() == 2
    assert ImportRun.get_by_id(crossed["run"].id).undo_counts["cases it opened closed"] == 2


def test_a_case_worked_since_stays_open_and_is_counted(crossed):
    maria_case = crossed["cases"][crossed["maria"].id]
    factories.gen_contact(maria_case, crossed["officer"])  # the officer went to the door since
    counts = imports.undo(ImportRun.get_by_id(crossed["run"].id), None)
    assert counts["kept open: cases it opened, worked since"] == 1
    assert counts["cases it opened closed"] == 1
    assert Case.get_by_id(maria_case.id).is_open
    assert not Case.get_by_id(crossed["cases"][crossed["second"].id].id).is_open


def test_a_stage_change_since_is_work_too_and_a_case_closed_since_is_left_alone(crossed):
    maria_case = crossed["cases"][crossed["maria"].id]
    lifecycle.change_stage(crossed["officer"], maria_case, {"stage": "conference", "note": "Met the family."})
    other = crossed["cases"][crossed["second"].id]
    lifecycle.close_case(crossed["officer"], other, {"closure_reason": "attendance_improved"})
    counts = imports.undo(ImportRun.get_by_id(crossed["run"].id), None)
    assert counts["kept open: cases it opened, worked since"] == 2
    assert "cases it opened closed" not in counts
    assert Case.get_by_id(maria_case.id).is_open
    assert Case.get_by_id(other.id).closure_reason == "attendance_improved"


def test_a_case_opened_by_hand_is_never_closed_by_an_undo(app):
    assert import_oneroster(os.path.join(DATA, "oneroster-bulk"), "roster").applied
    from fieldapp.models import Student
    maria = Student.get(Student.local_id == "1001")
    officer = factories.gen_user("officer", [maria.school])
    by_hand = factories.gen_case(maria, officer)
    rows = "".join(f"1001,{maria.school.sourced_id},2025-09-{d:02d},Unexcused Absence,\n" for d in (2, 9, 16))
    run, report = imports.run("attendance", io.BytesIO((HEADER + rows).encode()), "sept.csv", SETTINGS,
                              today=TODAY)
    assert "cases opened" not in report.counts
    counts = imports.undo(ImportRun.get_by_id(run.id), None)
    assert "cases it opened closed" not in counts and Case.get_by_id(by_hand.id).is_open
