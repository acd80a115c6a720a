"""Every import is a dry run first: check the file, count what applying it
would change (with examples), keep that preview in the history, and apply
only on confirmation. A roster that would deactivate a whole school, or more
than a set share of the active students, needs a typed confirmation.

Plain functions, no Flask: a page, the command line or a background job
calls preview() then apply() (or apply_stored() for a preview whose file was
kept, from another process).
"""
import contextlib
import gc
import io
from dataclasses import dataclass

from peewee import DatabaseError, fn

from fieldapp.db import database
from fieldapp.imports import attendance, calendar, contacts, history, oneroster
from fieldapp.imports.report import ImportRefused, Report
from fieldapp.imports.dates import check_order
from fieldapp.imports.journal import Journal
from fieldapp.imports.since_preview import changed_since_preview
from fieldapp.messages import Message, plural_message
from fieldapp.models import ImportFile, ImportRun, Student, StudentGuardian, utcnow

MODULES = {"oneroster": oneroster, "contacts": contacts, "attendance": attendance, "calendar": calendar}


@dataclass(frozen=True)
class Limits:
    """Import limits, from the settings (see limits_from_config)."""
    deactivate_share: float = 0.10  # of active students, beyond which a typed confirmation is needed
    max_unzipped_bytes: int = 100_000_000
    max_rows: int = 5_000_000


def limits_from_config(config):
    """Limits from FIELDAPP_IMPORT_DEACTIVATE_PERCENT, _MAX_UNZIPPED_MB and _MAX_ROWS."""
    return Limits(deactivate_share=float(config.get("IMPORT_DEACTIVATE_PERCENT", 10)) / 100,
                  max_unzipped_bytes=int(config.get("IMPORT_MAX_UNZIPPED_MB", 100)) * 1_000_000,
                  max_rows=int(config.get("IMPORT_MAX_ROWS", 5_000_000)))


@dataclass
class Context:
    settings: object  # RuleSettings
    today: object  # datetime.date: no attendance after it, no birth date after it (the latest school's today)
    limits: Limits
    user: object = None
    run_id: int = None
    today_given: bool = False  # True: `today` holds for every school; else each school's zone decides
    date_order: str = ""  # how the file's slash dates read: '', 'month-first' or 'day-first' (imports.dates)


@dataclass
class Pending:
    """A checked import, previewed, not applied: its history row and plan."""
    kind: str
    run: ImportRun
    report: Report
    plan: object
    context: Context


class ConfirmationNeeded(Exception):
    """Applying needs the typed confirmation in .phrase."""

    def __init__(self, phrase):
        super().__init__(f"type '{phrase}' to confirm")
        self.phrase = phrase


class NotWaiting(ValueError):
    """The import is no longer waiting to be applied: another request applied
    (or cancelled) it first. Nothing was changed by this one."""

    def __init__(self, run_id):
        super().__init__(f"import #{run_id} is no longer waiting to be applied")
        self.run_id = run_id


def _claim(run_id):
    """Inside the apply's transaction, its first write: take the run while it
    is still a preview (its row locked until the transaction ends, on
    PostgreSQL; SQLite's one writer taken as the transaction began). A second
    apply at the same moment waits here and then finds it applied: raises
    NotWaiting. A check read before the transaction could pass for both."""
    taken = ImportRun.update(applied_at=utcnow()).where(
        (ImportRun.id == run_id) & (ImportRun.outcome == "previewed") & ImportRun.applied_at.is_null()).execute()
    if not taken:
        raise NotWaiting(run_id)


def confirmed(typed, phrase):
    """Does what was typed say the phrase (case, digit groups -- "1,205", "1.205" -- and spaces aside)?"""
    def norm(text):
        return " ".join((text or "").replace(",", "").replace(".", "").lower().split())
    return not phrase or norm(typed) == norm(phrase)


@contextlib.contextmanager
def _no_cycle_collection():
    """Python's cycle collector paused while a file is read or written: a
    district's roster makes a million small objects (rows, tuples) and keeps
    most of them in its plan, and each full collection walked them all again
    (a tenth of a roster's CPU), finding nothing: an import makes no cycles
    of its own. Running again afterwards, it frees any it missed."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _check(kind, source, filename, skip_bad_rows, context):
    report = Report(kind, filename, skip_bad_rows, date_order=context.date_order)
    try:
        with _no_cycle_collection():
            plan = MODULES[kind].check(source, filename, report, context)
    except ImportRefused as refused:  # a Message is kept with what translates it
        report.refuse(refused.args[0] if refused.args and isinstance(refused.args[0], Message) else str(refused))
        return report, None
    if hasattr(source, "finish"):  # read (a zip's other members skipped): its progress ends full
        source.finish()
    report.note_blank_rows()
    report.checked()
    return report, (plan if report.may_apply() else None)


def _active_by_school():
    return dict(Student.select(Student.school, fn.COUNT(Student.id)).where(Student.active == True)  # noqa: E712
                .group_by(Student.school).tuples())


def _links_in_force():
    return StudentGuardian.select().where(StudentGuardian.current()).count()


def danger_phrase(report, active_before, limits, links_before=0):
    """What must be typed to apply a roster that deactivates a whole school or
    more than limits.deactivate_share of active students, or ends more than
    that share of the guardian links in force (links_before: how many were,
    a bulk users.csv without agentSourcedIds ends every listed student's);
    '' when nothing."""
    students = report.counts.get("students deactivated", 0)
    schools = report.counts.get("schools deactivated", 0)
    links = report.counts.get("guardian links ended", 0)
    gone = {}
    for _, school in report.deactivated_students:
        gone[school] = gone.get(school, 0) + 1
    whole_school = any(n >= active_before.get(school, 0) > 0 for school, n in gone.items())
    if students > limits.deactivate_share * sum(active_before.values()) or whole_school:
        return f"deactivate {students}"
    if schools:
        return f"deactivate {schools} schools"
    return f"end {links} guardian links" if links > limits.deactivate_share * links_before else ""


def _write(kind, plan, report, context, journal):
    """Apply inside the caller's transaction; returns the typed confirmation it needs."""
    if kind != "oneroster":
        with _no_cycle_collection():
            MODULES[kind].apply(plan, report, journal, context)
        return ""
    before, links_before = _active_by_school(), _links_in_force()
    with _no_cycle_collection():
        MODULES[kind].apply(plan, report, journal, context)
    return danger_phrase(report, before, context.limits, links_before)


def _dry_run(kind, plan, report, context):
    """Count what applying would change and roll it back (attendance counts without writing)."""
    report.previewed = True
    try:
        if kind == "attendance":
            attendance.preview(plan, report, context)
            return
        with database.atomic() as transaction:
            report.confirm_phrase = _write(kind, plan, report, context, Journal(keep=False))
            transaction.rollback()
    except DatabaseError as error:
        report.refuse(_database_refusal(error))


def _database_refusal(error):
    return Message("The database refused a value of this file (%(error)s). Nothing was changed.",
                   error=(str(error).splitlines() or [""])[0][:200])


def preview(kind, source, filename, settings, user=None, via="cli", skip_bad_rows=False, today=None,
            limits=None, keep_file=False, date_order="", on_recorded=None):
    """Check `source` (a path, or a binary stream) and count what applying it
    would change, writing nothing but its history row (outcome 'previewed',
    or 'refused' with the reason). keep_file stores a stream's bytes with the
    run, for apply_stored(). date_order says how the file's slash dates read
    (imports.dates: '', 'month-first', 'day-first'; ValueError otherwise).
    on_recorded(run), when given, is called in the transaction that keeps the
    history row (a job keeps its result with it: fieldapp.jobs.runner.keep).
    Returns a Pending."""
    from fieldapp.timefmt import latest_today
    started = utcnow()
    context = Context(settings, today or latest_today(), limits or Limits(), user, today_given=bool(today),
                      date_order=check_order(date_order))
    data = None
    if keep_file and not isinstance(source, str):
        data = source.read()
        source = io.BytesIO(data)
    report, plan = _check(kind, source, filename, skip_bad_rows, context)
    if plan is not None:
        _dry_run(kind, plan, report, context)
    with database.atomic():
        run = history.record(report, user, via, started)
        if data is not None and run.outcome == "previewed":
            ImportFile.create(run=run, data=data)
        if on_recorded is not None:
            on_recorded(run)
    return Pending(kind, run, report, plan, context)


def apply(pending, confirmation="", user=None):
    """Apply a previewed import, journalling each change; returns (run, report).
    Raises ConfirmationNeeded when the preview asked for a typed confirmation
    that was not given, NotWaiting when another request applied or cancelled
    it first (nothing changed by this one). If applying now would deactivate more than the
    preview said, nothing is applied and the run is refused."""
    run, report, context = pending.run, pending.report, pending.context
    if run.outcome != "previewed":
        raise ValueError(f"import #{run.id} is {run.outcome}, not waiting to be applied")
    if not confirmed(confirmation, report.confirm_phrase):
        raise ConfirmationNeeded(report.confirm_phrase)
    # what reading the file counted stays; what the preview counted is counted again as it is done
    report.counts, report.previewed = dict(report.checked_counts), False
    report.examples = {name: list(kept) for name, kept in report.checked_examples.items()}
    report.deactivated_students, report.transfers = [], []
    context.run_id, context.user = run.id, user or context.user
    journal = Journal(run.id)
    try:
        with database.atomic() as transaction:
            _claim(run.id)
            phrase = _write(pending.kind, pending.plan, report, context, journal)
            if not confirmed(confirmation, phrase):
                transaction.rollback()
                report.refuse(Message("Since the preview, applying this roster would deactivate more: type "
                                      "'%(phrase)s' to confirm. Nothing was changed; import the file again.",
                                      phrase=phrase))
            else:
                journal.save(run.id)
                if _still_as_previewed(run, report, transaction):
                    report.applied = True
                    history.finish(run, report, context.user)  # applied, with what it did, in the same commit
    except DatabaseError as error:
        report.refuse(_database_refusal(error))
    _after_attendance(pending, report)
    return history.finish(run, report, context.user), report


def _still_as_previewed(run, report, transaction):
    """False, with the run refused and nothing written, when an import applied since the preview changed
    records this one would change: applying it would overwrite them without a word."""
    count, later = changed_since_preview(run)
    if not count:
        return True
    transaction.rollback()
    runs = tuple(Message("import #%(run)s (%(file)s)", run=str(r.id), file=r.filename) for r in later)
    report.refuse(plural_message(
        "Since this preview, %(runs)s changed %(num)d record this import would change; applying it would "
        "overwrite that change. Nothing was changed: import the file again to preview it as the records are now.",
        "Since this preview, %(runs)s changed %(num)d records this import would change; applying it would "
        "overwrite those changes. Nothing was changed: import the file again to preview it as the records are now.",
        count, num=count, runs=runs))
    return False


def _after_attendance(pending, report):
    settings = pending.context.settings
    if pending.kind == "attendance" and report.applied and settings.auto_open:
        from fieldapp.rules.autoopen import open_cases_at_first_threshold
        context, journal = pending.context, Journal(pending.run.id)
        with database.atomic():  # the cases it opens are the import's: undoing it closes them
            opened, already = open_cases_at_first_threshold(
                settings, context.today if context.today_given else None, report.student_ids,
                context.user, journal)
            report.add("cases opened", opened)
            report.add("already had a case", already)
            journal.save(pending.run.id)


def stored_pending(run, settings, user=None, today=None, limits=None, reading=None):
    """The Pending of a previewed run whose file was kept (checked again now).
    reading(stream) may wrap the kept file's stream (to follow the reading)."""
    from fieldapp.timefmt import latest_today
    kept = ImportFile.get_or_none(ImportFile.run == run)
    if run.outcome != "previewed" or kept is None:  # applied or cancelled since it was read
        raise NotWaiting(run.id)
    context = Context(settings, today or latest_today(), limits or Limits(), user, today_given=bool(today),
                      date_order=run.date_order)
    source = io.BytesIO(bytes(kept.data))
    report, plan = _check(run.kind, reading(source) if reading else source, run.filename,
                          run.skip_bad_rows, context)
    report.confirm_phrase = run.confirm_phrase
    return Pending(run.kind, run, report, plan, context)


def apply_stored(run, settings, user=None, confirmation="", today=None, limits=None, reading=None):
    """Apply a previewed run from its kept file; returns (run, report)."""
    pending = stored_pending(run, settings, user, today, limits, reading)
    if pending.plan is None:  # the data changed since the preview and the file no longer checks
        return history.finish(run, pending.report, user), pending.report
    return apply(pending, confirmation, user)


def cancel(run, user=None):
    """Drop a preview without applying it (kept in the history as not applied)."""
    with database.atomic():  # only a preview no apply has taken (see _claim): never over an apply
        dropped = ImportRun.update(outcome="not_applied", finished_at=utcnow()).where(
            (ImportRun.id == run.id) & (ImportRun.outcome == "previewed") & ImportRun.applied_at.is_null()).execute()
        if dropped:
            ImportFile.delete().where(ImportFile.run == run).execute()
    return history.get(run.id) if dropped else run


def apply_now(kind, source, filename, skip_bad_rows=False, today=None, settings=None, confirmation="",
              limits=None, date_order=""):
    """Check and apply at once, without preview or history (tests, scripts);
    returns the Report. A roster needing a typed confirmation is refused
    unless `confirmation` says it."""
    from fieldapp.rules.settings import RuleSettings
    from fieldapp.timefmt import latest_today
    context = Context(settings or RuleSettings(), today or latest_today(), limits or Limits(),
                      today_given=bool(today), date_order=check_order(date_order))
    report, plan = _check(kind, source, filename, skip_bad_rows, context)
    if plan is None:
        return report
    try:
        with database.atomic() as transaction:
            phrase = _write(kind, plan, report, context, Journal(keep=False))
            if not confirmed(confirmation, phrase):
                transaction.rollback()
                report.confirm_phrase = phrase
                return report.refuse(Message("Type '%(phrase)s' to confirm. Nothing was changed.", phrase=phrase))
            report.applied = True
    except DatabaseError as error:
        report.refuse(_database_refusal(error))
    return report
