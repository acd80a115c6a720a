"""The worklist of officers and front offices: who crossed a threshold, which
letters, conferences and referrals are due, which deadlines are near or past."""
import operator
from dataclasses import dataclass, field
from functools import reduce

from peewee import Case as SqlCase, fn, JOIN, Tuple

from fieldapp.models import Case, School, Student, StudentStanding, User, open_among_students
from fieldapp.numbers import record_id
from fieldapp.paging import Page, clamp
from fieldapp.rules import stored
from fieldapp.rules.engine import NOT_TRUANT
from fieldapp.rules import worklist_pages as pages
from fieldapp.rules.standing import CHUNK, standings
from fieldapp.timefmt import local_today, todays

SECTIONS = {
    "overdue": "Overdue",
    "new": "Crossed a threshold",
    "due_soon": "Due soon",
    "later": "Coming up",
    "barred": "On hold: exemption",
    "not_counted": "Nothing due, and why",
}


@dataclass
class WorkItem:
    student: Student
    result: object  # engine.Result
    step: object  # engine.StepResult: the step to take (or the one an exemption holds)
    section: str
    new_steps: list  # steps whose threshold was crossed since the last school day
    days_left: int
    case: Case = None

    @property
    def new(self):
        return bool(self.new_steps)

    def as_dict(self):
        """One line of `flask worklist --json` (see json_line)."""
        r, s, student = self.result, self.step, self.student
        who = (student.id, student.sourced_id, student.local_id, student.sort_name, student.school.sourced_id)
        if s is None:
            return json_line(r.on_day.isoformat(), who, self.section, r.counts, r.version,
                             why_nothing_due=[str(m) for m in r.why_nothing_due])
        standing = {"days_enrolled": r.days_enrolled, "days_missed": r.days_missed,
                    "percent_missed": r.percent_missed, "band": r.band,
                    "status": r.status.code if r.status else None, "band_version": r.band_version}
        step = {"code": s.step.code, "triggered_on": s.triggered_on.isoformat(), "due_on": s.due_on.isoformat(),
                "school_days_left": self.days_left, "missing": list(s.missing), "barred": s.blocked or None,
                "crossed": [n.step.code for n in self.new_steps], "case_id": self.case.id if self.case else None}
        return json_line(r.on_day.isoformat(), who, self.section, r.counts, r.version, standing, step)


def json_line(on, student, section, counts, version, standing=None, step=None, why_nothing_due=None):
    """One line of `flask worklist --json`, as a dict of JSON values, from
    the page's WorkItem or straight from a stored row
    (fieldapp.rules.worklist_lines): the two give the same lines.

    on: ISO day; student: (id, sourced id, local id, sort name, school's
    sourced id); counts: {window: absences}; version: ladder.RuleVersion.
    A student with a step: standing {days_enrolled, days_missed,
    percent_missed, band, status code or None, band_version} and step {code,
    triggered_on, due_on (ISO), school_days_left, missing [text], barred
    (text or None), crossed [step codes], case_id}. Else why_nothing_due
    [text]."""
    line = {"on": on, "student_id": student[0], "sourced_id": student[1], "local_id": student[2],
            "name": student[3], "school": student[4], "section": section, "counts": counts}
    if step is None:
        return {**line, "why_nothing_due": why_nothing_due, "rule_set": version.state,
                "rule_version": version.version_id}
    ladder_step = version.step(step["code"])
    status = next((s.label for s in version.statuses if s.code == standing["status"]), NOT_TRUANT)
    line.update(days_enrolled=standing["days_enrolled"], days_missed=standing["days_missed"],
                percent_missed=standing["percent_missed"], band=standing["band"], status=standing["status"],
                status_label=status, next_step=step["code"], next_step_label=ladder_step.label,
                statute=ladder_step.statute, triggered_on=step["triggered_on"], due_on=step["due_on"],
                school_days_left=step["school_days_left"], missing=step["missing"], barred=step["barred"],
                crossed=step["crossed"], case_id=step["case_id"], rule_set=version.state,
                rule_version=version.version_id, band_version=standing["band_version"])
    return line


@dataclass
class Worklist:
    on_day: object  # the day asked for, else the today most schools in scope share
    since: object  # crossings on or after this day are new
    version: object
    sections: dict = field(default_factory=dict)  # code -> [WorkItem], the first `limit` of each
    totals: dict = field(default_factory=dict)  # code -> how many students the section has
    days: dict = field(default_factory=dict)  # {school id: the day its students are read on}
    computed: bool = False  # a day other than today: computed, not read from the stored rows

    @property
    def spans_days(self):
        """True when the schools in scope are on different days (their zones differ)."""
        return len(set(self.days.values())) > 1

    @property
    def items(self):
        return [item for code in SECTIONS for item in self.sections.get(code, [])]

    @property
    def total(self):
        return sum(self.totals.values())


def _held_back(result):
    """Would the marks on file have crossed the first threshold, but for the
    student's age, excused parts of days or days without school?"""
    first = next((s.step for s in result.steps if s.applies), None)
    if first is None or not result.why_nothing_due:
        return False
    left_out = sum(len(days) for days in (result.left_out or {}).values())
    return bool(result.not_bound and result.counts["year"]) or \
        result.counts["year"] + left_out >= first.threshold.count


def _section(result, since, due_soon):
    """(step, section) for a student with something to do (step None for
    one whose marks the statutes leave out), else None."""
    step = result.next_step
    if step is None:
        if result.blocked_steps:
            return result.blocked_steps[0], "barred"
        return (None, "not_counted") if _held_back(result) else None
    if result.school_days_left(step) < 0:
        return step, "overdue"
    if _crossed(result, since):
        return step, "new"
    return step, "due_soon" if result.school_days_left(step) <= due_soon else "later"


def _crossed(result, since):
    """Pending steps whose threshold was crossed on or after since."""
    return [s for s in result.steps if s.pending and s.triggered_on >= since]


def _load(query, field_, ids):
    ids = list(ids)
    return [row for i in range(0, len(ids), CHUNK) for row in query.where(field_.in_(ids[i:i + CHUNK]))]


def _open_cases(student_ids, ids_only=False):
    """{student id: open Case (with its officer; ids_only: the case's id alone)}."""
    query = (Case.select(Case.id, Case.student) if ids_only else
             Case.select(Case, User).join(User, join_type=JOIN.LEFT_OUTER, on=(Case.officer == User.id)))
    return {c.student_id: c for c in _load(query.where(open_among_students()), Case.student, student_ids)}


def _item(settings, row, since):
    """A WorkItem of a stored row joined with its student and school; since:
    a day, or {as_of: day} for rows of different days."""
    result = stored.from_row(row, settings)
    if isinstance(since, dict):
        if row.as_of not in since:
            since[row.as_of] = stored.since_day(row.as_of)
        since = since[row.as_of]
    step = next((s for s in result.steps if s.step.code == row.next_step), None)
    return WorkItem(row.student, result, step, row.section, _crossed(result, since),
                    result.school_days_left(step) if step else 0)


# What a line of `flask worklist` reads of the stored row (stored.from_row),
# the student and the school: read alone, a district's worklist builds a
# fraction of the objects.
LINE_COLUMNS = (StudentStanding.student, StudentStanding.as_of, StudentStanding.result_json,
                StudentStanding.status, StudentStanding.section, StudentStanding.next_step,
                StudentStanding.next_due_on,
                Student.id, Student.sourced_id, Student.local_id, Student.first_name, Student.last_name,
                Student.sort_key, Student.school, School.id, School.sourced_id, School.name)


def _rows(fresh, columns=(StudentStanding, Student, School)):
    """Fresh stored rows with a section, scoped by the school each row was
    computed at (a transfer marks a row stale, so it is the student's own)."""
    return (fresh.select(*columns)
            .join(Student, on=(StudentStanding.student == Student.id)).join(School)
            .where(StudentStanding.section.is_null(False)))


def _totals(fresh):
    """{section: how many students} from the stored rows alone."""
    return dict(fresh.select(StudentStanding.section, fn.COUNT(StudentStanding.student))
                .where(StudentStanding.section.is_null(False)).group_by(StudentStanding.section).tuples())


def _ordered(query):
    return query.order_by(StudentStanding.next_due_on, Student.sort_key, Student.id)


def _computed(settings, on_day, school_ids, since):
    """{section: [StudentStanding with .student]} computed for a day other than
    today, in chunks, keeping only students with something to do; the
    stored rows (which answer for today) are left alone."""
    query = Student.select(Student.id).where(Student.active == True)  # noqa: E712
    if school_ids is not None:
        query = query.where(Student.school.in_(list(school_ids)))
    ids = [sid for (sid,) in query.tuples()]
    key, found = stored.rules_key(settings, on_day), []
    for i in range(0, len(ids), stored.REFRESH_CHUNK):
        part = ids[i:i + stored.REFRESH_CHUNK]
        schools = stored._schools_of(part)
        for sid, result in standings(settings, on_day, student_ids=part).items():
            row = stored.row_of(result, schools[sid], key, since, settings.due_soon_days)
            if row["section"]:
                found.append(StudentStanding(**row))
    students = {s.id: s for s in _load(Student.select(Student, School).join(School), Student.id,
                                       [r.student_id for r in found])}
    sections = {}
    for row in found:
        row.student = students[row.student_id]
        sections.setdefault(row.section, []).append(row)
    for rows in sections.values():
        rows.sort(key=lambda r: (r.next_due_on, r.student.sort_key, r.student.id))
    return sections


def _today(on_day, school_ids):
    """({school id: day}, main day, is today): the day each school in scope is
    read on. No day asked (None), or a day that is today at every school in
    scope, reads each school's stored standing for its own today; any other
    day is computed for every school."""
    days = todays(school_ids)
    if on_day is not None and set(days.values()) - {on_day}:
        return {school_id: on_day for school_id in days}, on_day, False
    counts = {}
    for day in days.values():
        counts[day] = counts.get(day, 0) + 1
    main = max(counts, key=lambda day: (counts[day], day)) if counts else (on_day or local_today())
    return days, main, True


def frame(settings, on_day=None, school_ids=None):
    """An empty Worklist for some schools (None: the whole district) on
    on_day (None: each school's own today): its day, the day crossings are
    new from, the rule-set version and each school's day; computed is True
    when on_day is not today at every school in scope."""
    days, main, today = _today(on_day, school_ids)
    return Worklist(main, stored.since_day(main), settings.version_on(main), days=days, computed=not today)


def build(settings, on_day=None, school_ids=None, limit=None):
    """The worklist for some schools (None: the whole district), the first
    `limit` students of each section (all when None). on_day None means
    today, each school's own in its zone: read from the stored standings
    (refreshed first where not fresh). Another day is computed."""
    worklist = frame(settings, on_day, school_ids)
    main, since = worklist.on_day, worklist.since
    if worklist.computed:
        for section, rows in _computed(settings, main, school_ids, since).items():
            worklist.totals[section] = len(rows)
            worklist.sections[section] = _with_cases([_item(settings, r, since) for r in rows[:limit]])
        return worklist
    stored.ensure_fresh(settings, None, school_ids=school_ids)
    fresh = stored.fresh_today(settings, school_ids)
    rows, sinces = _rows(fresh), {}
    worklist.totals = _totals(fresh)
    for section in worklist.totals:
        worklist.sections[section] = _with_cases([
            _item(settings, row, sinces)
            for row in _ordered(rows.where(StudentStanding.section == section)).limit(limit)])
    return worklist


def _narrowing(days, officer=None, step=None, due_this_week=False):
    """The SQL condition on stored rows of fieldapp.rules.worklist_pages.narrow
    (officer: an id or NOBODY; step: a code), or None for no narrowing; days:
    {school id: the day its rows answer for}."""
    condition = []
    if officer is not None:
        held = Case.select(Case.student).where(Case.status == "open")
        if officer == pages.NOBODY:
            condition.append(StudentStanding.student.not_in(held.where(Case.officer.is_null(False))))
        else:
            condition.append(StudentStanding.student.in_(held.where(Case.officer == officer)))
    if step is not None:
        condition.append(StudentStanding.next_step == step)
    if due_this_week:
        by_day = [(StudentStanding.as_of == day) & (StudentStanding.next_due_on <= pages.due_by(day))
                  for day in sorted(set(days.values()))]
        condition.append(StudentStanding.section.in_(pages.TO_TAKE) & StudentStanding.next_step.is_null(False)
                         & reduce(operator.or_, by_day or [StudentStanding.student.is_null()]))
    return reduce(operator.and_, condition) if condition else None


def page(settings, worklist, school_ids=None, officer=None, step=None, due_this_week=False,
         section=None, number=1, per_page=50, preview=pages.PREVIEW):
    """Fill worklist (from frame()) with what one screen shows, narrowed as
    fieldapp.rules.worklist_pages.narrow does: with a section, page `number`
    of it (`per_page` students), else the first `preview` of each section;
    totals count every student the narrowing keeps. Returns {section code:
    fieldapp.paging.Page}. Today's worklist is narrowed, counted and paged in
    SQL over the stored rows, so a screen reads only the rows it shows;
    another day is computed whole, then narrowed."""
    if worklist.computed:
        built = build(settings, worklist.on_day, school_ids)
        worklist.sections, worklist.totals = built.sections, built.totals
        pages.narrow(worklist, officer, step, due_this_week)
        return pages.pages(worklist, section, number, per_page)
    stored.ensure_fresh(settings, None, school_ids=school_ids)
    fresh = stored.fresh_today(settings, school_ids)
    condition = _narrowing(worklist.days, officer, step, due_this_week)
    if condition is not None:
        fresh = fresh.where(condition)
    worklist.totals = {code: n for code, n in _totals(fresh).items() if n}
    sinces, shown = {}, {}
    for code, total in worklist.totals.items():
        if section is not None and code != section:
            continue
        size, wanted = (per_page, number) if section is not None else (preview, 1)
        wanted, past_end = clamp(wanted, total, size)
        worklist.sections[code] = _with_cases([_item(settings, row, sinces)
                                               for row in _page_of(fresh, code, wanted, size)])
        shown[code] = Page(worklist.sections[code], wanted, size, total, past_end and section is not None)
    if section is not None and section not in shown:
        shown[section] = Page([], 1, per_page, 0, number > 1)
    return shown


def _page_of(fresh, section, number, size):
    """Page `number` of a section's rows (_rows), in the worklist's order.

    The page's students are found and sorted by their ids and sort keys alone
    (from the index of migration 0320, and each student's sort key), and only
    they are then read whole: sorting a large section (the overdue of three
    schools are some thousands) with every row's stored result cost several
    times the rest of the page."""
    in_section = StudentStanding.section == section
    # The due day of the page's last student, found in due-day order alone
    # (from the index, without the students' names): no student the page
    # shows is due later, so the students due later need not be sorted by
    # name. The overdue of three schools are thousands; most are due later.
    last_day = (fresh.select(StudentStanding.next_due_on).where(in_section)
                .order_by(StudentStanding.next_due_on).limit(1).offset(number * size - 1).scalar())
    ranked = _rows(fresh, (StudentStanding.student,)).where(in_section)
    if last_day is not None:
        ranked = ranked.where(StudentStanding.next_due_on <= last_day)
    ids = [sid for (sid,) in _ordered(ranked).paginate(number, size).tuples()]
    if not ids:
        return []
    # By id alone: with the conditions of `rows` beside the ids, SQLite without
    # statistics walks the section's index again rather than look the ids up.
    found = {row.student_id: row for row in _rows(StudentStanding.select())
             .where(StudentStanding.student.in_(ids)) if not row.stale}
    return [found[sid] for sid in ids if sid in found]


def _with_cases(items, ids_only=False):
    cases = _open_cases([i.student.id for i in items], ids_only)
    for item in items:
        item.case = cases.get(item.student.id)
    return items


def stream(settings, on_day=None, school_ids=None, batch=1000):
    """Every WorkItem of the worklist in order, section by section, read in
    batches so that a district of any size runs in bounded memory. Yields
    (section, total, items of one batch). on_day as for build()."""
    _, main, today = _today(on_day, school_ids)
    if not today:
        since = stored.since_day(main)
        for section, rows in _computed(settings, main, school_ids, since).items():
            for i in range(0, len(rows), batch):
                yield section, len(rows), _with_cases([_item(settings, r, since) for r in rows[i:i + batch]])
        return
    stored.ensure_fresh(settings, None, school_ids=school_ids)
    fresh, since = stored.fresh_today(settings, school_ids), {}
    rows = _rows(fresh, LINE_COLUMNS)
    totals = _totals(fresh)
    for section in SECTIONS:
        if not totals.get(section):
            continue
        # Keyset pages: (due, sort key, id) after the last one seen.
        last = None
        while True:
            query = _ordered(rows.where(StudentStanding.section == section))
            if last is not None:
                due, sort_key, sid = last
                query = query.where(Tuple(StudentStanding.next_due_on, Student.sort_key, Student.id)
                                    > Tuple(due, sort_key, sid))
            items = _with_cases([_item(settings, row, since) for row in query.limit(batch)], ids_only=True)
            if not items:
                break
            yield section, totals[section], items
            tail = items[-1]
            last = (tail.step.due_on if tail.step else tail.result.on_day, tail.student.sort_key, tail.student.id)


DUE_CHOICES = ("week",)  # "due this week": today and the six days after


def parse_narrowing(args, step_codes, school_ids=None):
    """The worklist's narrowing from query arguments (a mapping): officer
    (an id of an officer, or worklist_pages.NOBODY), step (one of
    step_codes), section (SECTIONS), due (DUE_CHOICES). Returns
    ({"officer", "step", "section", "due"}: value or None, errors): a value
    that names nothing is reported (fieldapp.cases.filter_words) and left out;
    so is an officer who works none of school_ids (the schools listed; None:
    the district) and holds no open case there (fieldapp.cases.filter_reach)."""
    from fieldapp.cases import filter_reach, filter_words
    chosen, errors = {}, {}
    typed = {key: (args.get(key) or "").strip() for key in ("officer", "step", "section", "due")}
    officer = typed["officer"] or None
    if officer and officer != pages.NOBODY:
        officer = record_id(officer)
        if officer is None or not User.select().where((User.id == officer) & (User.role == "officer")).exists():
            errors["officer"], officer = filter_words.no_such("officer", typed["officer"]), None
        else:
            held = {"officer": officer}
            filter_reach.officer_beyond(held, errors, school_ids, filter_reach.open_cases_held)
            officer = held.get("officer")
    chosen["officer"] = officer
    for key, allowed in (("step", set(step_codes)), ("section", SECTIONS), ("due", DUE_CHOICES)):
        chosen[key] = typed[key] or None
        if chosen[key] and chosen[key] not in allowed:
            errors[key], chosen[key] = filter_words.not_a_choice(typed[key]), None
    return chosen, errors


def students_in_order(settings, school_ids=None, officer=None, step=None, due_this_week=False, section=None):
    """A query of the student ids on today's worklist of some schools (None:
    the whole district), narrowed as page() narrows it (officer, step,
    due_this_week, section), in the order the worklist shows them: section by
    section as SECTIONS, then due day, name and id. Stored standings not
    fresh are refreshed first. For exports, which read the rows themselves
    a chunk at a time rather than decoding each stored result."""
    stored.ensure_fresh(settings, None, school_ids=school_ids)
    by_section = SqlCase(StudentStanding.section, [(code, rank) for rank, code in enumerate(SECTIONS)])
    fresh = stored.fresh_today(settings, school_ids)
    condition = _narrowing(todays(school_ids), officer, step, due_this_week)
    if condition is not None:
        fresh = fresh.where(condition)
    if section is not None:
        fresh = fresh.where(StudentStanding.section == section)
    rows = _rows(fresh, (StudentStanding.student,))
    return rows.order_by(by_section, StudentStanding.next_due_on, Student.sort_key, Student.id)
