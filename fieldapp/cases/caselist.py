"""The district's case list: every case, filtered, sorted and paged, and the
same rows for an export."""
import datetime
from dataclasses import dataclass, field

from peewee import JOIN, SQL
from peewee import Case as Choose

from fieldapp import codes
from fieldapp.cases import filter_reach, filter_words
from fieldapp.messages import N_
from fieldapp.models import Case, School, Student, User
from fieldapp.numbers import record_id
from fieldapp.paging import PER_PAGE, Page, clamp
from fieldapp.students import bands
from fieldapp.timefmt import on_school_today

NOBODY = "none"  # the officer filter's value for cases nobody holds
STATUSES = ("open", "closed", "all")
NEW_TO_OFFICER = {"yes": N_("New to their officer")}  # the "new" filter: see new_to_officer
FOLLOW_UPS = {"overdue": N_("Overdue"), "today": N_("Due today"), "week": N_("Due within a week")}

def ladder_order():
    """A SQL expression giving a case's place on the escalation ladder: 0 for
    the first stage of codes.STAGES (monitoring) up to the last (court); a stage
    not in the list comes after them all. Sorting by the stage's code put
    "conference" before "first_notice".

    The codes and places are written into the SQL, not passed as parameters:
    the database then finds the expression of the index made for this order
    (migration 0500), and pages the list from it instead of sorting every
    open case. A change to codes.STAGES needs a new index to match."""
    assert all(code.isidentifier() for code in codes.STAGES)  # written as SQL literals
    return Choose(Case.stage, [(SQL(f"'{code}'"), SQL(str(place))) for place, code in enumerate(codes.STAGES)],
                  SQL(str(len(codes.STAGES))))


# sort code -> (label, order of the rows); every order ends on Case.id so pages never overlap.
# Case.student_sort_key is the student's Student.sort_key (kept by the database, migration 0263).
SORTS = {
    "student": (N_("Student"), lambda: (Case.student_sort_key, Case.id)),
    "school": (N_("School"), lambda: (School.name, Case.student_sort_key, Case.id)),
    "officer": (N_("Officer"), lambda: (User.name.asc(nulls="FIRST"), Case.student_sort_key, Case.id)),
    "stage": (N_("Stage"), lambda: (ladder_order(), Case.student_sort_key, Case.id)),
    "opened": (N_("Newest first"), lambda: (Case.opened_at.desc(), Case.id.desc())),
    "follow_up": (N_("Next follow-up"), lambda: (Case.next_follow_up.asc(nulls="LAST"), Case.student_sort_key,
                                                 Case.id)),
    "last_contact": (N_("Last contact"), lambda: (Case.last_contact_at.asc(nulls="FIRST"), Case.id)),
}


def _pick(args, key, allowed, filters, errors):
    value = (args.get(key) or "").strip()
    if value:
        if value in allowed:
            filters[key] = value
        else:
            errors[key] = filter_words.not_a_choice(value)


def _pick_id(args, key, filters, errors, exists, also=()):
    """filters[key] = the id typed, when exists(id) says a record has it."""
    value = (args.get(key) or "").strip()
    if not value:
        return
    if value in also:
        filters[key] = value
    elif record_id(value) is not None and exists(record_id(value)):
        filters[key] = record_id(value)
    else:
        errors[key] = filter_words.no_such(key, value)


def _school_exists(school_id):
    return School.select(School.id).where(School.id == school_id).exists()


def _officer_exists(user_id):
    return User.select(User.id).where((User.id == user_id) & (User.role == "officer")).exists()


FILTERS = ("school", "officer", "stage", "status", "flag", "band", "follow_up", "new")


def parse_filters(args, keys=FILTERS, bands=codes.BANDS, scope=None):
    """Filters from query arguments: school, officer (an id or "none"), stage,
    status (open, closed, all; open when missing), flag, band, follow_up
    (FOLLOW_UPS), new ("yes": handed to their officer, not worked since);
    only those named in keys are read (a list reads the filters it offers);
    bands: the band filter's choices; scope: the user's school ids (None: the
    district). Returns (filters, errors): a value that names nothing (a
    school or officer no record has, a code of no list) is reported by
    filter_words and left out, never fatal; so is one beyond the list's
    schools (filter_reach): a school outside scope, an officer who works none
    of the schools listed (the one chosen, else scope) and holds no case there."""
    filters, errors = {}, {}
    if "school" in keys:
        _pick_id(args, "school", filters, errors, _school_exists)
        filter_reach.school_beyond(filters, errors, scope)
    if "officer" in keys:
        _pick_id(args, "officer", filters, errors, _officer_exists, also=(NOBODY,))
        filter_reach.officer_beyond(filters, errors, [filters["school"]] if "school" in filters else scope,
                                    filter_reach.cases_held)
    for key, allowed in (("stage", codes.STAGES), ("status", STATUSES), ("flag", codes.CASE_FLAGS),
                         ("band", bands), ("follow_up", FOLLOW_UPS), ("new", NEW_TO_OFFICER)):
        if key in keys:
            _pick(args, key, allowed, filters, errors)
    filters.setdefault("status", "open")
    return filters, errors


@dataclass(frozen=True)
class CasesOfADesk:
    """A list of cases of the desk other than the district's whole list: its
    form offers the filters keys (of FILTERS), the list fixes the others
    (fixed) and its order (sort, a key of SORTS). Its page and its file read
    the list from here, so they hold the same rows in the same order."""
    keys: tuple
    fixed: dict = field(default_factory=dict)
    sort: str = "student"

    def parse(self, args, schools=None):
        """(filters, errors) of parse_filters from args for keys, with the
        list's fixed filters; schools (school ids), when given, limit the
        list to them (a user's scope: policy.school_scope)."""
        filters, errors = parse_filters(args, self.keys, scope=schools)
        filters.update(self.fixed)
        if schools is not None:
            filters["schools"] = schools
        return filters, errors


# The supervisor's queue of open cases nobody holds, the newest opened first.
UNASSIGNED_QUEUE = CasesOfADesk(("school", "stage", "flag", "band"), {"officer": NOBODY, "status": "open"}, "opened")
# The front office's open cases of its school, the next follow-up first.
SCHOOL_OPEN_CASES = CasesOfADesk(("stage", "officer", "follow_up"), {"status": "open"}, "follow_up")


def parse_student_filters(args):
    """The filters of the district's students by chronic absence
    (fieldapp.students.bands.students): school, and a band or the chronic
    bands together (bands.CHRONIC_CHOICE). Returns (filters, errors) as
    parse_filters does."""
    return parse_filters(args, ("school", "band"), bands.BAND_CHOICES)


def parse_sort(args, errors):
    """The sort code of SORTS that args (query arguments) name under "sort";
    the student's name when none is given. A value that is none of SORTS is
    said in errors["sort"] (filter_words, as a filter naming nothing) and the
    name order shown: a page sorted otherwise than asked is not silent."""
    value = (args.get("sort") or "").strip()
    if value and value not in SORTS:
        errors["sort"] = filter_words.not_a_choice(value)
    return value if value in SORTS else "student"


def with_people():
    """Cases with their student, the student's current school (a case follows
    its student) and the officer, when there is one."""
    return (Case.select(Case, Student, School, User).join(Student).join(School).switch(Case)
            .join(User, JOIN.LEFT_OUTER, on=(Case.officer == User.id)))


def query(filters, sort="student", settings=None):
    """with_people(), as filtered (parse_filters) and sorted (SORTS). A band
    is each student's stored chronic-absence band (students.bands), read
    under settings (rules.settings), which a band filter needs."""
    return _narrowed(with_people(), filters, settings).order_by(*SORTS[sort][1]())


def _narrowed(rows, filters, settings):
    """rows (a query of cases) as filtered (parse_filters)."""
    if filters.get("status", "open") != "all":
        rows = rows.where(Case.status == filters.get("status", "open"))
    # the student's current school, which each case carries (Case.student_school_id)
    if "school" in filters:
        rows = rows.where(Case.student_school_id == filters["school"])
    if "schools" in filters:  # the user's scope, set by the caller
        rows = rows.where(Case.student_school_id.in_(list(filters["schools"])))
    if filters.get("officer") == NOBODY:
        rows = rows.where(Case.officer.is_null())
    elif "officer" in filters:
        rows = rows.where(Case.officer == filters["officer"])
    if "stage" in filters:
        rows = rows.where(Case.stage == filters["stage"])
    if "flag" in filters:
        # flags are stored comma-separated: match the whole code only
        flag = filters["flag"]
        rows = rows.where((Case.flags == flag) | Case.flags.startswith(flag + ",")
                          | Case.flags.endswith("," + flag) | Case.flags.contains("," + flag + ","))
    if "follow_up" in filters:
        rows = rows.where(follow_up_is(filters["follow_up"]))
    if "new" in filters:
        rows = rows.where(new_to_officer())
    if "band" in filters:
        if settings is None:
            raise ValueError("a band filter reads stored standings: give the rule settings")
        rows = rows.where(Case.student.in_(bands.students_in_band(settings, filters["band"])))
    return rows


def new_to_officer():
    """SQL: the case was handed to its officer by someone else and not worked
    since (the caseload's "New" and the desk's "New to them")."""
    return (Case.officer.is_null(False) & (Case.assigned_by != Case.officer) & Case.assigned_at.is_null(False)
            & (Case.last_contact_at.is_null() | (Case.last_contact_at < Case.assigned_at)))


def follow_up_is(which, today=None):
    """SQL: the case's next follow-up is `which` of FOLLOW_UPS ("overdue":
    before today, "today", "week": today to 7 days on), today being the day
    at the student's current school (a case follows its student), or the day
    given for every case. The list's follow-up filter and every count that
    links to it (the supervisor's home, the officers' page) use this one
    condition, so a figure and the rows behind it cannot disagree. A closed
    case has no follow-up due: it is never overdue, due today or this week,
    whatever date its last contact planned."""
    return (Case.status == "open") & on_school_today(Case.student_school_id, lambda day: _follow_up(which, day),
                                                     today)


def _follow_up(which, today):
    if which == "overdue":
        return Case.next_follow_up < today
    if which == "today":
        return Case.next_follow_up == today
    return Case.next_follow_up.between(today, today + datetime.timedelta(days=7))


def district_cases(filters, sort="student", number=1, per_page=PER_PAGE, settings=None):
    """One page (fieldapp.paging.Page) of the district's cases (query).

    The rows are sorted by their ids and sort keys alone, and only the page's
    cases are then read whole: sorting every matching case with all its
    columns cost more than the rest of the page."""
    # the case carries its student's school and name order: counted and
    # ordered from the cases alone
    counted = Case.select(Case.id)
    total = _narrowed(counted, filters, settings).count()
    number, past_end = clamp(number, total, per_page)
    ordered = counted
    if sort == "school":
        ordered = ordered.join(School, on=(Case.student_school_id == School.id))
    elif sort == "officer":
        ordered = ordered.switch(Case).join(User, JOIN.LEFT_OUTER, on=(Case.officer == User.id))
    ids = [i for (i,) in _narrowed(ordered, filters, settings).order_by(*SORTS[sort][1]())
           .paginate(number, per_page).tuples()]
    found = {case.id: case for case in with_people().where(Case.id.in_(ids))} if ids else {}
    return Page([found[i] for i in ids if i in found], number, per_page, total, past_end)


def filter_choices():
    """Schools and officers to filter by, by name."""
    return (list(School.select().order_by(School.name)),
            list(User.select().where(User.role == "officer").order_by(User.name)))
