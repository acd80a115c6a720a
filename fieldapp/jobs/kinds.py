"""The work each kind of job does: the paperwork's own functions, run by a
worker with progress. Each checks again that the user may still do it: a
job may wait in the queue while access changes. Each keeps its result in
the transaction that keeps its document (runner.keep): a retry after the
document was kept gives it again, and makes no second one."""
from fieldapp import policy
from fieldapp.documents.case_report import produce_case_report
from fieldapp.documents.letters import LetterError
from fieldapp.documents.letters_due import print_due_letters
from fieldapp.jobs import export_kinds, import_kinds
from fieldapp.jobs.runner import JobFailed, keep
from fieldapp.messages import N_
from fieldapp.models import Case, School
from fieldapp.rules.settings import from_config

NOT_ALLOWED = N_("Your account may no longer do this for this school.")


def case_report(job, config, progress):
    """params: case_id, recipient, origin ([path, address]). Result: document_id, pages."""
    params = job.params
    case = Case.get_or_none(Case.id == params["case_id"])
    if case is None:
        raise JobFailed(N_("The case is no longer there."))
    if not policy.can_on_case(job.user, "document.case_report", case):
        raise JobFailed(NOT_ALLOWED)
    def result(record):
        return {"document_id": record.id, "pages": record.page_count}
    record = produce_case_report(job.user, case, config["STATE"], recipient=params["recipient"],
                                 origin=tuple(params["origin"]), progress=progress,
                                 on_kept=lambda record: keep(job, result(record)))
    return result(record)


def letters_due(job, config, progress):
    """params: school_id, origin, and either reviewed ([case id, letter kind,
    cycle] of the letters left ticked, as shown) or case_ids (the cases left
    ticked); neither: all due. Result: document_id (None when none was
    made), letters (how many), and left_out: each ticked letter not made,
    with why (fieldapp.documents.owed.LeftOut.as_json)."""
    params = job.params
    school = School.get_or_none(School.id == params["school_id"])
    if school is None:
        raise JobFailed(N_("The school is no longer there."))
    if not policy.allowed(job.user, "letter.generate") or not policy.in_scope(job.user, school.id):
        raise JobFailed(NOT_ALLOWED)
    reviewed = {int(row[0]): (row[1], row[2] if len(row) > 2 else "")
                for row in params["reviewed"]} if params.get("reviewed") else None
    left_out = []

    def result(record, made):
        return {"document_id": record.id if record else None, "letters": len(made),
                "left_out": [left.as_json() for left in left_out]}
    try:
        record, made = print_due_letters(job.user, school, from_config(config),
                                         origin=tuple(params["origin"]), case_ids=params.get("case_ids"),
                                         progress=progress, reviewed=reviewed, left_out=left_out,
                                         on_kept=lambda record, made: keep(job, result(record, made)))
    except LetterError as error:
        raise JobFailed("; ".join(map(str, error.errors.values())))
    return result(record, made)


KINDS = {"case_report": case_report, "letters_due": letters_due, **import_kinds.KINDS, **export_kinds.KINDS}
TITLES = {"case_report": N_("Case report"), "letters_due": N_("Letters due"), **import_kinds.TITLES,
          **export_kinds.TITLES}
# The steps the paperwork reports while it works (fieldapp/documents), named
# here too so the catalog has them: the job's page shows them translated.
STEPS = (N_("Gathering the record"), N_("Laying out the pages"), N_("Keeping the document"),
         N_("Gathering each family's letter"), N_("Writing the PDF"),
         N_("Keeping the document and logging each letter"))
