"""The supervisor's XLSX exports as jobs: the workbook is written by a worker
(fieldapp.exports.xlsx, in a process of its own while the rows are read),
with progress in rows written of the rows counted first, and
kept as the job's file for the user who asked, and for no one else, until
it expires.

The finished file discloses each student it holds: they are written to the
access log (34 CFR 99.32) once, in the same transaction that keeps the file,
so a retried or redelivered job logs nobody twice and a download, however
often repeated, logs nothing more: the disclosure is the file made for its
requester. A job that fails before the file is kept logs nobody."""
import datetime
import json
import os
import tempfile
import uuid

from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from fieldapp import policy
from fieldapp.accounts.preferences import SCREEN_LANGUAGES
from fieldapp.db import database, is_postgres
from fieldapp.exports import datasets
from fieldapp.exports.xlsx import write_xlsx
from fieldapp.jobs.runner import JobFailed, keep
from fieldapp.messages import N_
from fieldapp.models import Job, JobFile, UserSession, utcnow
from fieldapp.rules.settings import from_config

KIND = "export_xlsx"
# Each list in words, as its export is named in the user's recent work.
LIST_TITLES = {"cases": N_("The district's cases"), "contacts": N_("The contact log"),
               "letters": N_("Letters sent"), "worklist": N_("The worklist"),
               "unassigned": N_("Cases without an officer"), "students": N_("Students"),
               "office": N_("The school's open cases")}
NAMES = tuple(policy.EXPORTS)  # the lists the app exports
COUNTING, WRITING = N_("Counting the rows"), N_("Preparing the spreadsheet")
# A finished file's session had ended: it was not kept, and nobody was logged.
LOGGED_OUT = "logged_out"
EXPORT_KEYS = uuid.UUID("0c6f3f4e-8b0e-4d8a-b0a4-7e51f1f3c9a2")


def export_params(name, args, path, ip, day, session="", language=""):
    """A job's params for exporting list name (one of NAMES) filtered by args
    (the query string's (key, value) pairs), asked at path from address ip
    on day (the user's today, ISO text, which names the file) in the session
    whose token hash is `session` (fieldapp.accounts.sessions.token_hash):
    the file is kept only while that session goes on. language: the code of
    the language of the page it was asked from (SCREEN_LANGUAGES), which the
    file is written in."""
    return {"name": name, "args": sorted([str(k), str(v)] for k, v in args), "path": path, "ip": ip,
            "day": day, "session": session, "language": language}


def export_key(user, params):
    """The job key of this export for this user: the same while a job with the
    same list and filters is queued or running, so asking again joins it; a
    new one once that job has finished (done or failed), so asking later
    makes a fresh file. Two requests at once make the same key, and the
    job's unique key lets one of them start it."""
    same = (params["name"], params["args"])
    finished = sum(1 for (text,) in Job.select(Job.params_json).where(
        (Job.kind == KIND) & (Job.user == user.id) & Job.state.in_(("done", "failed"))).tuples()
        if (lambda p: (p["name"], p["args"]))(json.loads(text)) == same)
    # Asked again after logging in again: a new file, not the old session's.
    return str(uuid.uuid5(EXPORT_KEYS, json.dumps([user.id, *same, finished] + (
        [params["session"]] if params.get("session") else []))))


def export_xlsx(job, config, progress):
    """params: see export_params. Writes the list as filtered to an XLSX
    workbook, its columns and labels in the language of the page it was asked
    from (a user with no saved language reads their browser's), reporting
    rows written of rows counted, and keeps it as the job's JobFile while
    logging each student in it as disclosed to the job's user. Result:
    filename, rows."""
    with force_locale(_language_of(job)):
        return _export_xlsx(job, config, progress)


def _language_of(job):
    """The language the job's file is written in: the page's, recorded with
    the job; for a job started before that was recorded, the user's saved one."""
    for language in (job.params.get("language"), job.user.language):
        if language in SCREEN_LANGUAGES:
            return language
    return next(iter(SCREEN_LANGUAGES))


def _export_xlsx(job, config, progress):
    params = job.params
    if params.get("name") not in NAMES:
        raise JobFailed(N_("This export is not one the app makes."))
    if not policy.may_export(job.user, params["name"]):
        raise JobFailed(policy.refusal(policy.export_action(params["name"])))
    try:  # a school's list: of the schools the user works in now, as its page would be
        dataset = datasets.by_name(params["name"], MultiDict(params["args"]), from_config(config),
                                   policy.school_scope(job.user))
    except datasets.FiltersNotRecognised as refused:  # e.g. a school removed since it was asked
        raise JobFailed(N_("A filter of the list is not recognised any more: export it again from the list."))\
            from refused
    progress(0, 0, COUNTING)
    total = [0]

    def counted(n):
        total[0] = n
        progress(0, n, WRITING)
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        rows = write_xlsx(path, dataset.header, dataset.lines(counted), dataset.said_name,
                          written=lambda n: progress(n, total[0], WRITING), sections=dataset.sections)
        progress(rows, rows, WRITING)  # every row written (reports come every PROGRESS_EVERY rows): it ends full
        with open(path, "rb") as f:
            data = f.read()
    finally:
        os.unlink(path)
    result = {"filename": dataset.file_name(params["day"], "xlsx"), "rows": rows}
    with database.atomic():
        if not session_goes_on(params.get("session")):  # logged out (or revoked) while it was written
            return {**result, "discarded": LOGGED_OUT}
        keep(job, result)  # once per job: a retry after this gives the file kept
        if JobFile.get_or_none(JobFile.job == job.id) is None:
            JobFile.create(job=job.id, data=data)
            datasets.record_disclosure(job.user, dataset.disclosed(), params["path"], params["ip"])
    return result


def session_goes_on(token_hash):
    """Inside the transaction that keeps a file: is the session it was asked
    in still live? Its row is locked (PostgreSQL) so a log-out waits for the
    file to be kept and then removes it; a log-out first ends the session,
    and the file is not kept. An export asked before sessions were recorded
    (no hash) is kept as before."""
    if not token_hash:
        return True
    query = UserSession.select(UserSession.ended_at).where(UserSession.token_hash == token_hash)
    row = (query.for_update() if is_postgres() else query).first()
    return row is not None and row.ended_at is None


def expires_at(job, keep_hours):
    """When a finished export's file is removed (UTC, naive as stored)."""
    return job.finished_at + datetime.timedelta(hours=keep_hours)


def file_kept(job, keep_hours, now=None):
    """Is a finished export's file still there to download? It is removed
    keep_hours after the job finished, and when its user logs out."""
    if job.state != "done" or expires_at(job, keep_hours) <= (now or utcnow()):
        return False
    return JobFile.select(JobFile.id).where(JobFile.job == job.id).exists()


# Where on a list a page stands: not a filter of what a file holds.
PLACE_KEYS = ("page", "after")


def filters_key(args):
    """The filters of (key, value) pairs of a list's query string, as a value
    to compare: the same list filtered the same way gives the same key,
    whatever its page."""
    return sorted([str(k), str(v)] for k, v in args if k not in PLACE_KEYS and str(v).strip())


def list_of(job):
    """(list name, {filter: [values]}) the export was made of: the same list
    with the same filters, to make the file again."""
    args = {}
    for key, value in job.params.get("args", []):
        args.setdefault(key, []).append(value)
    return job.params.get("name"), args


def remove_expired(keep_hours, now=None):
    """Remove the files of exports finished more than keep_hours ago.
    Returns how many were removed."""
    cutoff = (now or utcnow()) - datetime.timedelta(hours=keep_hours)
    old = Job.select(Job.id).where((Job.kind == KIND) & (Job.finished_at < cutoff))
    return JobFile.delete().where(JobFile.job.in_(old)).execute()


def remove_of_user(user):
    """Remove every export file kept for user (at log-out). Returns how many."""
    theirs = Job.select(Job.id).where((Job.kind == KIND) & (Job.user == user.id))
    return JobFile.delete().where(JobFile.job.in_(theirs)).execute()


# A CSV is streamed in the request, never a worker's job: it is recorded as
# a finished one once the file has been sent, so the user's recent work
# lists it beside the spreadsheets (what list, when, how many rows).
CSV_KIND = "export_csv"


def record_csv(user, params, filename, rows, started_at, now=None):
    """Record a CSV export sent whole to user (params: see export_params;
    rows: the lines of the list written) as a finished Job of CSV_KIND.
    Nothing is kept of the file itself. Returns the Job."""
    return Job.create(key=str(uuid.uuid4()), kind=CSV_KIND, user=user.id, params_json=json.dumps(params),
                      state="done", done=rows, total=rows, step="",
                      result_json=json.dumps({"filename": filename, "rows": rows}),
                      created_at=started_at, started_at=started_at, finished_at=now or utcnow())


KINDS = {KIND: export_xlsx}
TITLES = {KIND: N_("Spreadsheet export"), CSV_KIND: N_("CSV export")}
