"""What each export holds: a header, the rows (produced lazily, a chunk of
records at a time), the sections its page shows beside the list (the
referrals waiting in the unassigned queue, a school's referrals) and the
students the file discloses."""
import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace
from typing import Callable

from peewee import Case as SqlCase, DateField, DateTimeField, JOIN, NodeList, SQL

from fieldapp import codes
from fieldapp.cases import caselist, contact_log, desk_records
from fieldapp.cases.contact_notes import notes_text
from fieldapp.cases import letters_sent as sent_letters
from fieldapp.db import database
from fieldapp.documents.letter_templates import KINDS, title_of
from fieldapp.documents.letters import SENT_METHODS
from fieldapp.messages import Message
from fieldapp.models import Case, Contact, Letter, School, Student, StudentStanding, User
from fieldapp.rules import stored, worklist as work
from fieldapp.rules.calendar import load_book
from fieldapp.students import bands
from fieldapp.students.records import record_list_access
from fieldapp.timefmt import default_zone, school_year_of, to_local

# Words the lists show for codes no code list of fieldapp.codes holds.
STATUSES = {"open": "Open", "closed": "Closed"}
UNASSIGNED = "Unassigned"  # a case nobody holds, as the case list says it

# Each file's columns, in the words of its list's page (said in the reader's
# language when the file is written: _say).
CASES_HEADER = ["Case", "Local id", "SIS id", "Last name", "First name", "Grade", "School", "Time zone", "Status",
                "Stage", "Officer", "Opened", "Circumstances", "Contacts", "Last contact", "Next follow-up"]
CLOSING_HEADER = ["Closed", "Closure reason"]  # after "Opened", in a list of closed cases too
CONTACTS_HEADER = ["Contact", "When", "Time zone", "Local id", "Last name", "First name", "School", "Method",
                   "Outcome", "Reasons", "People present", "Notes", "Follow up on", "Logged by", "Corrects contact",
                   "Why corrected"]
STUDENTS_HEADER = ["Local id", "SIS id", "Last name", "First name", "School", "Grade", "Days missed",
                   "Days enrolled", "Share of days missed (%)", "Chronic absence"]
WORKLIST_HEADER = ["Local id", "Last name", "First name", "School", "Section", "Next step", "Statute", "Due on",
                   "School days left", "Share of days missed (%)", "Chronic absence", "Officer", "Why nothing due"]
LETTERS_HEADER = ["Letter", "Sent", "Time zone", "How", "Kind", "Language", "Letter date", "Local id", "Last name",
                  "First name", "School", "Template", "Template version"]

# Each file's name (Dataset.name) in words, said in the reader's language:
# its sheet's name, and its file's name in plain letters (Dataset.file_name).
FILE_NAMES = {"cases": "cases", "unassigned-cases": "unassigned cases", "open-cases": "open cases",
              "students": "students", "contacts": "contacts", "worklist": "worklist",
              "letters-sent": "letters sent"}

# Records read per query while writing. PostgreSQL joins a chunk of ids to
# the students by scanning the table once per chunk: 5,000 at a time scan it
# 20 times for 100,000 rows rather than 100, and hold a few MB.
CHUNK = 5000


@dataclass
class Section:
    """A part of a list's page beside its rows (a page's few referrals), as
    the file carries it after them: a title, a header and its rows (lists),
    and the ids of the students it names."""
    title: str
    header: list
    rows: list
    students: list

    def __post_init__(self):  # the title and columns in the reader's language
        self.title, self.header = _say(self.title), [_say(column) for column in self.header]


@dataclass
class Dataset:
    name: str  # the file name, without extension
    header: list
    # (counted=None, seen=None) -> iterator of lists, one per line; counted(n) hears the count
    # first; seen, a list, gets the id of each line's student as the line is read
    rows: Callable
    sections: list = field(default_factory=list)  # Sections the page shows beside the list, with rows
    written: list = field(default_factory=list)  # the student of each line read by lines(), in turn

    def __post_init__(self):  # the columns and the name in the reader's language
        self.header = [_say(column) for column in self.header]
        self.said_name = str(_say(FILE_NAMES.get(self.name, self.name)))

    def file_name(self, day, extension):
        """The file's name on day (ISO text), in the reader's language and in
        plain ASCII letters, which every browser and header carries:
        "casos-sin-asignar-2026-12-01.csv"."""
        return f"{plain_name(self.said_name) or self.name}-{day}.{extension}"

    def lines(self, counted=None):
        """The file's lines (see rows), each line's student kept in written as it is read."""
        return self.rows(counted, self.written)

    def disclosed(self):
        """The ids of every student of the lines read so far (lines()) and
        of the sections: those the file holds once it is written, the very
        rows, not the list asked again afterwards (a case moved meanwhile
        would be left out of the log, or one not in the file put in). A
        list; a student named twice is logged once (see record_disclosure)."""
        return self.written + [i for section in self.sections for i in section.students]


def plain_name(words):
    """words as a file's name: lower case ASCII letters, digits and hyphens
    ("Cartas enviadas" -> "cartas-enviadas"; an accent is dropped, not its letter)."""
    letters = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", letters).strip("-")


def disclosed_as_read(dataset, record):
    """The lines of dataset, the students of each CHUNK of them disclosed
    with record(ids) before any of those lines is given out, and the
    sections' with the last: a file streamed as it is read (CSV) is in the
    access log of each student it holds as far as it went, each student
    once. record: (list of Student ids) -> None, in its own transaction."""
    logged, batch = set(), []

    def new_ones(ids):
        fresh = [i for i in dict.fromkeys(ids) if i not in logged]
        logged.update(fresh)
        dataset.written.clear()
        return fresh
    for line in dataset.lines():
        batch.append(line)
        if len(batch) == CHUNK:
            record(new_ones(dataset.written))
            yield from batch
            batch = []
    record(new_ones(dataset.disclosed()))
    yield from batch


# SQLite hands dates and times over as ISO text; PostgreSQL's driver as values.
PARSERS = ((DateTimeField, datetime.datetime.fromisoformat), (DateField, datetime.date.fromisoformat))


def _plain(query):
    """The rows of query as the driver gives them (tuples, no model object
    and no per-value conversion), with its dates and times as Python values
    on every engine."""
    parsers = [(i, parse) for i, column in enumerate(query.selected_columns)
               for kind, parse in PARSERS if type(column) is kind]
    rows = database.execute(query).fetchall()
    if not parsers:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for i, parse in parsers:
            if isinstance(row[i], str):
                row[i] = parse(row[i])
        converted.append(row)
    return converted


def _among(field, ids):
    """field IN (ids) with the ids written into the SQL: they are integers
    read from the database, and a bound parameter each cost more than the
    row it picks out."""
    return NodeList((field, SQL("IN (%s)" % ",".join(str(int(i)) for i in ids))))


def _rows_in_order(ids_query, load, counted=None, seen=None):
    """The rows of load(ids) (a query whose first column is the id and
    whose last is the row's student), in the order of ids_query (a query of
    ids), read CHUNK at a time straight from the driver: only the ids are
    held for the whole export, and no model object is built (they cost most
    of an export's time). Each row is given without its student, which is
    added to seen (a list) when given. counted(n), when given, hears how
    many rows are to come (the ids read) before the first."""
    ids = [i for (i,) in database.execute(ids_query).fetchall()]
    if counted is not None:
        counted(len(ids))
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        found = {row[0]: row for row in _plain(load(part))}
        for i in part:
            row = found.get(i)
            if row is not None:
                if seen is not None:
                    seen.append(row[-1])
                yield row[:-1]


def _say(words):
    """A label or Message in the language of whoever the file is written for:
    the request's user, or the job's (fieldapp.jobs.export_kinds sets it)."""
    from fieldapp.web.i18n import translate  # the files are written for a user, in a request or a job
    return translate(words)


def _label(kind, code):
    return _say(codes.label(kind, code))


def _labels(kind, stored):
    return "; ".join(_label(kind, code) for code in stored.split(",") if code)


def cases(filters, sort, settings=None, name="cases", open_only=False):
    """A list of cases as filtered and sorted on screen: the district's case
    list, the unassigned queue or a school's open cases, whose filters
    (fieldapp.cases.caselist) fix what each list holds (settings: the rule
    settings a band filter reads stored standings under; name: the file's;
    open_only: a list of open cases alone, whose file has no closing columns).
    Times are the school's wall-clock time, its zone in the "Time zone" column."""
    def load(ids):
        return (caselist.with_people().select(
            Case.id, Student.local_id, Student.sourced_id, Student.last_name, Student.first_name,
            Student.grade, School.name, School.time_zone, Case.status, Case.stage, User.name, Case.opened_at,
            Case.closed_at, Case.closure_reason, Case.flags, Case.contact_count, Case.last_contact_at,
            Case.next_follow_up, Case.student).where(_among(Case.id, ids)))

    def rows(counted=None, seen=None):
        ordered = caselist.query(filters, sort, settings).select(Case.id)
        for (case_id, local_id, sourced_id, last, first, grade, school, zone, status, stage, officer, opened,
             closed, closure, flags, contacts, last_contact, follow_up) in _rows_in_order(ordered, load, counted,
                                                                                        seen):
            zone_name = zone or default_zone()  # times as local at the student's school
            closing = [] if open_only else [to_local(closed, zone_name),
                                            _label("closure", closure) if closure else ""]
            yield [case_id, local_id, sourced_id, last, first, grade, school, zone_name,
                   _say(STATUSES.get(status, status)), _label("stage", stage), officer or _say(UNASSIGNED),
                   to_local(opened, zone_name), *closing,
                   _labels("flag", flags), contacts, to_local(last_contact, zone_name), follow_up]
    if "band" in filters:  # as the list does: bands are read from standings brought up to date first
        bands.refresh_if_few(settings)
    header = [*CASES_HEADER[:12], *([] if open_only else CLOSING_HEADER), *CASES_HEADER[12:]]
    return Dataset(name, header, rows)


# The referrals as the pages show them (templates/office/_referrals_waiting.html,
# templates/office/home.html), with the student's ids as every file has them.
WAITING_TITLE = "Referred by the front office"
WAITING_HEADER = ["Referral", "Local id", "SIS id", "Last name", "First name", "School", "Referred", "Time zone",
                  "Referred by", "Reason", "What the officer should know"]
SCHOOL_TITLE = "Referrals to the attendance officer"
SCHOOL_HEADER = ["Referral", "Local id", "SIS id", "Last name", "First name", "School", "Referred", "Time zone",
                 "Status", "Answered by", "Answered", "Answer"]


def waiting_referrals(referrals):
    """The Section of referrals waiting for an officer (the unassigned queue's,
    fieldapp.cases.desk_records.waiting_unassigned), times at the school."""
    rows = []
    for r in referrals:
        zone = r.student.school.time_zone or default_zone()
        rows.append([r.id, r.student.local_id, r.student.sourced_id, r.student.last_name, r.student.first_name,
                     r.student.school.name, to_local(r.referred_at, zone), zone, r.referred_by.name,
                     _label("reason", r.reason), r.note])
    return Section(WAITING_TITLE, WAITING_HEADER, rows, [r.student_id for r in referrals])


def school_referrals(referrals):
    """The Section of a school's latest referrals, any status, with who
    answered them, when and what (fieldapp.cases.desk_records.school_referrals)."""
    rows = []
    for r in referrals:
        zone = r.student.school.time_zone or default_zone()
        rows.append([r.id, r.student.local_id, r.student.sourced_id, r.student.last_name, r.student.first_name,
                     r.student.school.name, to_local(r.referred_at, zone), zone,
                     _label("referral_status", r.shown_status), r.answered_by.name if r.answered_by else "",
                     to_local(r.answered_at, zone) if r.answered_at else None, r.answer])
    return Section(SCHOOL_TITLE, SCHOOL_HEADER, rows, [r.student_id for r in referrals])


def contacts(filters):
    """The district contact log as filtered on screen, newest first, notes included."""
    def load(ids):
        return (Contact.select(Contact.id, Contact.occurred_at, School.time_zone, Student.local_id,
                               Student.last_name, Student.first_name, School.name, Contact.method,
                               Contact.outcome, Contact.reasons, Contact.people_present, Contact.notes,
                               Contact.notes_code, Contact.notes_values, Contact.follow_up_on, User.name, Contact.amends, Contact.amendment_reason,
                               Contact.student)
                .join(Student).join(School).switch(Contact).join(User).where(_among(Contact.id, ids)))

    def rows(counted=None, seen=None):
        ordered = contact_log.newest_first(contact_log.matching(filters)).select(Contact.id)
        for (contact_id, occurred, zone, local_id, last, first, school, method, outcome, reasons, people,
             notes, notes_code, notes_values, follow_up, author, amends, why) in _rows_in_order(
                ordered, load, counted, seen):
            zone_name = zone or default_zone()  # local at the student's school
            yield [contact_id, to_local(occurred, zone_name), zone_name, local_id, last, first, school,
                   _label("method", method), _label("outcome", outcome),
                   _labels("reason", reasons), _labels("people", people),
                   notes_text(SimpleNamespace(method=method, notes=notes, notes_code=notes_code,
                                              notes_values=notes_values), _say),
                   follow_up, author, amends or "", why]
    return Dataset("contacts", CONTACTS_HEADER, rows)


def students(settings, school_id=None, band=None):
    """The district's students by chronic absence as the list shows them
    (fieldapp.students.bands.students: fresh stored standings, of one school
    and one band or the chronic ones when given, by name), after bringing
    the standings up to date when few are not, as the list does."""
    def load(ids):
        return (StudentStanding.select(
            StudentStanding.student, Student.local_id, Student.sourced_id, Student.last_name, Student.first_name,
            School.name, Student.grade, StudentStanding.days_missed, StudentStanding.days_enrolled,
            StudentStanding.percent_missed, StudentStanding.band, StudentStanding.student)
            .join(Student, on=(StudentStanding.student == Student.id)).join(School)
            .where(_among(StudentStanding.student, ids)))

    def rows(counted=None, seen=None):
        for (_, local_id, sourced_id, last, first, school, grade, missed, enrolled, percent,
             band) in _rows_in_order(ordered.select(StudentStanding.student), load, counted, seen):
            yield [local_id, sourced_id, last, first, school, grade, missed, enrolled, percent,
                   _label("band", band)]
    bands.refresh_if_few(settings, [school_id] if school_id is not None else None)
    ordered, _ = bands.students(settings, school_id, band)
    return Dataset("students", STUDENTS_HEADER, rows)


def worklist(settings, school_ids=None, narrowing=None):
    """Every student of today's worklist of some schools (None: the whole
    district), narrowed as on screen (narrowing: officer, step, section,
    due, as fieldapp.rules.worklist.parse_narrowing gives), in the worklist's order, read from the stored standings
    (fieldapp.rules.worklist.students_in_order) with the officer of the
    open case. School days left are counted on the school's calendar, as
    the rules engine counts them, once per school, day and due day."""
    def load(ids):
        # The stored result is read only for the section that says why nothing is due.
        why = SqlCase(None, [(StudentStanding.section == NOTHING_DUE, StudentStanding.result_json)], None)
        return (StudentStanding.select(
            StudentStanding.student, StudentStanding.as_of, StudentStanding.school_id, StudentStanding.section,
            StudentStanding.next_step, StudentStanding.next_due_on, StudentStanding.percent_missed,
            StudentStanding.band, Student.local_id, Student.last_name, Student.first_name, School.name, User.name,
            StudentStanding.status, why, StudentStanding.student)
            .join(Student, on=(StudentStanding.student == Student.id)).join(School).switch(Student)
            .join(Case, JOIN.LEFT_OUTER, on=((Case.student == Student.id) & (Case.status == "open")))
            .join(User, JOIN.LEFT_OUTER, on=(Case.officer == User.id))
            .where(_among(StudentStanding.student, ids)))

    @lru_cache(maxsize=None)
    def step(day, code):
        return settings.version_on(day).step(code)

    @lru_cache(maxsize=None)
    def days_left(school_id, day, due):
        return load_book(school_year_of(day)).for_school(school_id).school_days_left(day, due)

    def rows(counted=None, seen=None):
        for (_, day, school_id, section, code, due, percent, band, local_id, last, first, school,
             officer, status, result_json) in _rows_in_order(ordered, load, counted, seen):
            taken = step(day, code) if code else None
            yield [local_id, last, first, school, _say(work.SECTIONS.get(section, section)), _say(taken.label) if taken else "",
                   taken.statute if taken else "", due if taken else None,
                   days_left(school_id, day, due) if taken and due else None, percent,
                   _label("band", band), officer or "", _why_nothing_due(settings, day, section, status,
                                                                            result_json)]
    narrowing = narrowing or {}
    ordered = work.students_in_order(settings, school_ids, narrowing.get("officer"), narrowing.get("step"),
                                     narrowing.get("due") == "week", narrowing.get("section"))
    return Dataset("worklist", WORKLIST_HEADER, rows)


NOTHING_DUE = "not_counted"  # the worklist's section "Nothing due, and why"


def _why_nothing_due(settings, day, section, status, result_json):
    """What the worklist's card of a student with nothing due says under
    them (fieldapp.rules.explain.why_nothing_due), as one cell; "" in
    another section."""
    if section != NOTHING_DUE or not result_json:
        return ""
    result = stored.from_row(SimpleNamespace(as_of=day, result_json=result_json, status=status, section=section),
                             settings)
    return "; ".join(str(_say(said)) for said in result.why_nothing_due)


def letters_sent(filters):
    """Letters recorded as sent, newest first, filtered as the list of letters
    sent shows them (fieldapp.cases.letters_sent: school, kind, days sent)."""
    def query(*columns):
        return sent_letters.sent(filters, *columns)

    def load(ids):
        return query(Letter.id, Letter.sent_at, School.time_zone, Letter.sent_how, Letter.kind, Letter.language,
                     Letter.letter_date, Student.local_id, Student.last_name, Student.first_name, School.name,
                     Letter.template_id, Letter.template_version, Letter.student).where(_among(Letter.id, ids))

    def rows(counted=None, seen=None):
        ordered = sent_letters.newest_first(query(Letter.id))
        for (letter_id, sent, zone, how, kind, language, letter_date, local_id, last, first, school,
             template, version) in _rows_in_order(ordered, load, counted, seen):
            zone_name = zone or default_zone()
            yield [letter_id, to_local(sent, zone_name), zone_name, _say(SENT_METHODS.get(how, how)),
                   _say(KINDS.get(kind, kind)), _label("language", language), letter_date, local_id, last, first,
                   school, title_of(template, version), version]
    return Dataset("letters-sent", LETTERS_HEADER, rows)


class FiltersNotRecognised(ValueError):
    """An export asked with a filter its list does not recognise: the file
    would hold other rows than the list shows, so none is made. errors:
    filter -> Message, as the list says them."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


# Each list's filters as its page reads them (the case list's, the
# worklist's and the school's open cases': _parsed).
FILTER_PARSERS = {"contacts": lambda args: contact_log.parse_page_filters(args)[:2], "letters": sent_letters.parse_filters,
                  "unassigned": caselist.UNASSIGNED_QUEUE.parse, "students": caselist.parse_student_filters}


def _parsed(name, args, settings, schools=None):
    """(filters, errors) of export name's list from args, for a user whose
    school ids are schools (None: the district)."""
    if name == "cases":
        filters, errors = caselist.parse_filters(args)
        caselist.parse_sort(args, errors)  # a file in another order than asked: none
        return filters, errors
    if name == "office":  # within the user's schools, which its filters then hold
        return caselist.SCHOOL_OPEN_CASES.parse(args, schools)
    if name == "worklist":
        return _worklist_filters(args, settings)
    return FILTER_PARSERS[name](args)


def _worklist_filters(args, settings):
    """The worklist's filters as its page reads them (school, officer, step,
    section, due); a day other than today's is refused: the file lists the
    stored worklist of today."""
    filters, errors = caselist.parse_filters(args, ("school",))
    school_ids = [filters["school"]] if "school" in filters else None
    listing = work.frame(settings, None, school_ids)
    narrowing, more = work.parse_narrowing(args, [s.code for s in listing.version.steps], school_ids)
    filters.update(narrowing)
    errors.update(more)
    day = (args.get("on") or "").strip()
    if day and day not in {d.isoformat() for d in listing.days.values()}:
        errors["on"] = Message("A file lists today's worklist: clear the day to export it.")
    return filters, errors


def filters_in_force(name, args, settings, schools=None):
    """(filters, sort, steps) of export name's list from args as its page
    reads them, to say them in words (fieldapp.web.printed): filters
    recognised (ids, codes), the case list's sort key (None for another
    list) and, for the worklist, {step code: label} of its rule version
    (else None). A filter not recognised any more is left out."""
    filters, _ = _parsed(name, args, settings, schools)
    sort = caselist.parse_sort(args, {}) if name == "cases" and args.get("sort") else None
    steps = None
    if name == "worklist":
        filters.pop("status", None)  # the case list's default, read along: the worklist has none
        version = work.frame(settings, None, [filters["school"]] if "school" in filters else None).version
        steps = {step.code: step.label for step in version.steps}
    return filters, sort, steps


def filter_errors(name, args, settings, schools=None):
    """{filter: Message} for each filter in args (a MultiDict of the query
    string) that export name's list does not recognise; {} when all are.
    settings: the rule settings (the worklist's steps are its version's);
    schools: the user's school ids (policy.school_scope), which a school's
    list reads its filters within, as its page does."""
    return _parsed(name, args, settings, schools)[1]


def by_name(name, args, settings, schools=None):
    """The export called name ("cases", "contacts", "letters", "worklist",
    "unassigned", "students" or "office") with the list's filters as on
    screen: args, a MultiDict of the query string; settings, the rule
    settings (fieldapp.rules.settings); schools, the school ids of the
    user's scope (policy.school_scope), which a school's list ("office") is
    limited to, as its page is. Raises KeyError for another name,
    FiltersNotRecognised when a filter names nothing (the list shows it
    left out; a file never leaves it out), ValueError for "office" without
    schools."""
    if name == "office" and schools is None:
        raise ValueError("a school's open cases are listed for the schools of a user's scope")
    filters, errors = _parsed(name, args, settings, schools)
    if errors:
        raise FiltersNotRecognised(errors)
    if name == "cases":
        return cases(filters, caselist.parse_sort(args, errors), settings)
    if name == "unassigned":  # with the referrals waiting for nobody, above the queue on its page
        dataset = cases(filters, caselist.UNASSIGNED_QUEUE.sort, settings, "unassigned-cases", open_only=True)
        dataset.sections.append(waiting_referrals(desk_records.waiting_unassigned()))
        return dataset
    if name == "office":  # its filters hold the user's schools; its page shows their referrals too
        dataset = cases(filters, caselist.SCHOOL_OPEN_CASES.sort, settings, "open-cases", open_only=True)
        dataset.sections.append(school_referrals(desk_records.school_referrals(schools)))
        return dataset
    if name == "students":
        return students(settings, filters.get("school"), filters.get("band"))
    if name == "contacts":
        return contacts(filters)
    if name == "letters":
        return letters_sent(filters)
    return worklist(settings, [filters["school"]] if "school" in filters else None, filters)


def record_disclosure(user, students, path="", ip=""):
    """Write one "export" line to the access log of each student disclosed
    (34 CFR 99.32), in one INSERT ... SELECT (see record_list_access).

    students: a list of Student ids, or a query selecting Student ids.
    Returns nothing; the caller's transaction applies."""
    if not isinstance(students, list):
        students = students.order_by()
    record_list_access(user, students, "export", path, ip)
