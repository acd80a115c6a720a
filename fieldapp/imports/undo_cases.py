"""What undoing an import does to casework (see fieldapp.imports.undo): the
students it created who have casework since stay active, and a case it
opened by itself is closed unless someone worked it since."""
import json

from peewee import fn

from fieldapp.cases import history_text
from fieldapp.imports.undo_words import count
from fieldapp.messages import NP_, Message, plural_message
from fieldapp.models import (Case, CaseEvent, Contact, ExcuseNote, ImportChange, Letter, Plan, Referral, School,
                             Student, utcnow)


def students_created(run):
    """The ids of the students this run created."""
    ids = []
    for row_id, after_json in ImportChange.select(ImportChange.row_id, ImportChange.after_json).where(
            ImportChange.run == run, ImportChange.table == "student", ImportChange.action == "created").tuples():
        after = json.loads(after_json) if after_json else {}
        ids.extend(after["rows"] if "rows" in after else [row_id])
    return ids


def cases_it_opened(run):
    """{case id: the journal's after} of the cases this run opened by itself."""
    return {row_id: json.loads(after or "{}") for row_id, after in ImportChange.select(
        ImportChange.row_id, ImportChange.after_json).where(
        ImportChange.run == run, ImportChange.table == "case", ImportChange.action == "created").tuples()}


def students_kept(run):
    """{student id: the line saying who they are and what casework they have}
    of the students this run created who have casework since: a case (not
    one the import opened by itself and nobody worked, which the undo
    closes), a contact, a letter, a plan, an excuse note or a referral.
    Undoing keeps them active; the preview of the undo says so first."""
    created = set(students_created(run))
    if not created:
        return {}
    opened = cases_it_opened(run)
    # The students a run created hold ids in one span: each kind of casework is read
    # over that span of its student index (a few statements, however large the roster),
    # and kept for the students this run created.
    span = (min(created), max(created))
    work = {}
    for case in Case.select().where(Case.student.between(*span)):
        if case.student_id in created and (case.id not in opened or worked_since(case, opened[case.id])):
            work.setdefault(case.student_id, []).append(
                Message("an open case") if case.status == "open" else Message("a closed case"))
    for model, words in ((Contact, NP_("a contact", "%(num)d contacts")), (Letter, NP_("a letter", "%(num)d letters")),
                         (Plan, NP_("a plan", "%(num)d plans")),
                         (ExcuseNote, NP_("an excuse note", "%(num)d excuse notes")),
                         (Referral, NP_("a referral", "%(num)d referrals"))):
        for student_id, n in (model.select(model.student, fn.COUNT(model.id)).where(model.student.between(*span))
                              .group_by(model.student).tuples()):
            if student_id in created:
                work.setdefault(student_id, []).append(plural_message(*words, n, num=n))
    ids = sorted(work)
    kept = {}
    for start in range(0, len(ids), 500):
        for student in Student.select().where(Student.id.in_(ids[start:start + 500])):
            kept[student.id] = Message("%(student)s: %(work)s", student=f"{student.full_name} ({student.sourced_id})",
                                       work=tuple(work[student.id]))
    return kept


def worked_since(case, after):
    """Whether anything was done on a case since the import opened it."""
    return (case.status != after.get("status", "open")
            or Contact.select().where(Contact.case == case).exists()
            or Letter.select().where(Letter.case == case).exists()
            or Plan.select().where(Plan.case == case).exists()
            or CaseEvent.select().where(CaseEvent.case == case).count() > after.get("events", 1))


def close_opened_case(case_id, after, counts, run, user):
    case = Case.get_or_none(Case.id == case_id)
    if case is None:
        return
    if worked_since(case, after):
        count(counts, "kept open: cases it opened, worked since")
        return
    case.status, case.closure_reason = "closed", "opened_in_error"
    case.closed_at, case.closed_by = utcnow(), user
    case.save()
    CaseEvent.create(case=case, kind="closed", from_value=case.stage, to_value="opened_in_error",
                     by=user or case.opened_by,
                     **history_text.said("import_undone_closed", run=run.id, file=run.filename))
    count(counts, "cases it opened closed")


def case_moved_back(case_id, new_school, old_school, run, user):
    """Say in the case's history that undoing the transfer moved it back: its
    last line otherwise still reads "transferred" to a school it has left."""
    names = dict(School.select(School.id, School.name).where(School.id.in_([new_school, old_school])).tuples())
    case = Case.get_by_id(case_id)
    CaseEvent.create(case=case, kind="transferred", from_value=names.get(new_school, "")[:255],
                     to_value=names.get(old_school, "")[:255], by=user or case.opened_by,
                     **history_text.said("import_undone_moved_back", run=run.id, file=run.filename))
