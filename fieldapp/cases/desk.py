"""The supervisor's figures: the district at a glance, per school and per
officer, each a count a list can show row by row.

Every figure is one grouped query; nothing here loads cases one by one.
"""
import datetime
from dataclasses import dataclass, field

from peewee import SQL, Case as SqlCase, fn

from fieldapp import codes
from fieldapp.cases import caselist
from fieldapp.models import Case, Contact, School, Student, User, UserSchool
from fieldapp.students import bands
from fieldapp.timefmt import in_local_days, school_year_start, school_zones

WEEKS = 12  # weeks of contacts on the chart


@dataclass
class SchoolRow:
    school: School
    students: int = 0
    open: int = 0
    unassigned: int = 0
    overdue: int = 0  # open cases whose follow-up date has passed
    steps_overdue: int = 0  # students with a legal step past its deadline
    steps_this_week: int = 0  # students with a legal step due this week
    bands: dict = field(default_factory=dict)  # band code -> students


@dataclass
class OfficerRow:
    officer: User
    open: int = 0
    new: int = 0  # handed to them, not worked since
    overdue: int = 0
    due_today: int = 0
    steps_overdue: int = 0
    steps_this_week: int = 0
    schools: list = field(default_factory=list)  # school names


def _one_if(condition):
    """1 where condition holds, else 0 (a portable CASE WHEN)."""
    return SqlCase(None, ((condition, 1),), 0)


def school_rows(settings, today=None):
    """([SchoolRow] of every school, by name; students not counted): cases by
    the students' current school, follow-ups against today (a date, or None
    for each school's own today); bands and legal steps from the stored
    standings of each school's today (students.bands.figures_by_school)."""
    rows = {s.id: SchoolRow(s) for s in School.select().order_by(School.name)}
    # each case carries its student's current school (Case.student_school_id): no join
    overdue = caselist.follow_up_is("overdue", today)  # the list a school's figure links to
    query = (Case.select(Case.student_school_id, fn.COUNT(SQL("*")), fn.SUM(_one_if(Case.officer.is_null())),
                         fn.SUM(_one_if(overdue)))
             .where(Case.status == "open").group_by(Case.student_school_id))
    for school_id, open_, unassigned, overdue in query.tuples():
        row = rows.get(school_id)
        if row:
            row.open, row.unassigned, row.overdue = open_, unassigned or 0, overdue or 0
    figures, missing = bands.figures_by_school(settings)
    for school_id, counted in figures.items():
        if school_id in rows:
            row = rows[school_id]
            row.bands, row.students = counted["bands"], sum(counted["bands"].values())
            row.steps_overdue, row.steps_this_week = counted["steps_overdue"], counted["steps_this_week"]
    for row in rows.values():
        row.bands = {band: row.bands.get(band, 0) for band in codes.BANDS}
    return list(rows.values()), missing


def officer_workload(today=None, settings=None):
    """[OfficerRow] of every active officer, and of any deactivated one who
    still holds open cases (to hand them over), by name, with their schools.
    today: a date, or None for the today of each case's school. With
    settings (rules.settings), also their legal steps overdue and due this
    week, from the stored standings."""
    holding = Case.select(Case.officer).where((Case.status == "open") & Case.officer.is_null(False))
    officers = {u.id: OfficerRow(u) for u in User.select().where(
        (User.role == "officer") & ((User.active == True) | User.id.in_(holding))  # noqa: E712
    ).order_by(User.name)}
    new = caselist.new_to_officer()  # the case list's "new" filter lists these
    # the case list's follow-up filter, which each figure links to
    overdue, due_today = caselist.follow_up_is("overdue", today), caselist.follow_up_is("today", today)
    query = (Case.select(Case.officer, fn.COUNT(Case.id), fn.SUM(_one_if(new)),
                         fn.SUM(_one_if(overdue)), fn.SUM(_one_if(due_today)))
             .where((Case.status == "open") & Case.officer.is_null(False)).group_by(Case.officer))
    for officer_id, open_, new_, overdue, due_today in query.tuples():
        row = officers.get(officer_id)
        if row:
            row.open, row.new, row.overdue, row.due_today = open_, new_ or 0, overdue or 0, due_today or 0
    if settings is not None:
        for officer_id, (late, soon) in bands.legal_steps_by_officer(settings).items():
            if officer_id in officers:
                officers[officer_id].steps_overdue, officers[officer_id].steps_this_week = late, soon
    for user_id, name in (UserSchool.select(UserSchool.user, School.name).join(School)
                          .order_by(School.name).tuples()):
        if user_id in officers:
            officers[user_id].schools.append(name)
    return list(officers.values())


def held_by_nobody(today=None):
    """An OfficerRow (officer None) of the open cases no officer holds: open,
    follow-ups overdue and due today, by the same conditions as officer_workload
    (the unassigned queue; the case list's officer "none")."""
    overdue, due_today = caselist.follow_up_is("overdue", today), caselist.follow_up_is("today", today)
    open_, late, due = (Case.select(fn.COUNT(Case.id), fn.SUM(_one_if(overdue)), fn.SUM(_one_if(due_today)))
                        .where((Case.status == "open") & Case.officer.is_null()).tuples().get())
    return OfficerRow(None, open=open_ or 0, overdue=late or 0, due_today=due or 0)


def _nobodys_steps(row, officers, totals):
    """Give row (held_by_nobody) the district's legal steps that no officer's row
    counts: students with no open case, or whose open case has no officer (the
    worklist's officer "none"). A student has one open case at most, so the
    district's figure less the officers' is exactly theirs."""
    for key in ("steps_overdue", "steps_this_week"):
        setattr(row, key, totals[key] - sum(getattr(r, key) for r in officers))
    return row


def _with_schools(contacts):
    """A query of contacts joined to their students (for the school's zone)
    only when the district's schools are in more than one zone."""
    return contacts.join(Student) if len(set(school_zones().values())) > 1 else contacts


def reasons_this_year(today, limit=8):
    """[(reason code, contacts)] most frequent first: the reasons for absence
    recorded in contacts this school year (a contact may give several), the
    year starting at local midnight in the zone of each student's school."""
    # Contacts grouped by their list of reasons (a few hundred lists at most),
    # each list then split: one pass over an index, no pattern per row.
    query = _with_schools(Contact.select(Contact.reasons, fn.COUNT(SQL("*"))))  # from the index alone
    counts = dict.fromkeys(codes.REASONS, 0)
    for reasons, contacts in (query.where(in_local_days(Contact.occurred_at, Student.school,
                                                        school_year_start(today), None))
                              .group_by(Contact.reasons).tuples()):
        for code in set(filter(None, (reasons or "").split(","))):
            if code in counts:
                counts[code] += contacts
    found = [(code, n) for code, n in counts.items() if n]
    return sorted(found, key=lambda item: -item[1])[:limit]


def contacts_by_week(today, weeks=WEEKS):
    """[(Monday, contacts)] for the last `weeks` weeks up to today's, oldest
    first: a contact counts in the week of the local day it happened, in the
    zone of the student's school. Each week is one count of a range of the
    index of contacts by when they happened (a CASE over every contact of
    the weeks cost several times more)."""
    monday = today - datetime.timedelta(days=today.weekday())
    mondays = [monday - datetime.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    six = datetime.timedelta(days=6)
    return [(day, _with_schools(Contact.select(fn.COUNT(SQL("*"))))
             .where(in_local_days(Contact.occurred_at, Student.school, day, day + six)).scalar() or 0)
            for day in mondays]


def district_figures(settings, today):
    """Everything the supervisor's home page shows, as a dict. today: the
    day the weeks and the school year are counted to; follow-ups, bands and
    legal steps are each read against their own school's today; "nobody":
    the row of work no officer holds, so the officers' rows add up to the
    district's figures. Figures from stored standings count the students whose standing is fresh;
    "not_counted" says how many are not yet (students.bands.figures_by_school)."""
    schools, not_counted = school_rows(settings)
    officers = officer_workload(None, settings)
    totals = {key: sum(getattr(r, key) for r in schools)
              for key in ("students", "open", "unassigned", "overdue", "steps_overdue", "steps_this_week")}
    return {
        "schools": schools,
        "not_counted": not_counted,
        "officers": officers,
        # the row that makes the officers' figures add up to the district's
        "nobody": _nobodys_steps(held_by_nobody(), officers, totals),
        "reasons": reasons_this_year(today),
        "weeks": contacts_by_week(today),
        "totals": totals,
        "band_totals": {band: sum(r.bands.get(band, 0) for r in schools) for band in codes.BANDS},
    }


def installation_counts():
    """What the administrator's home page counts: active users by role,
    schools, active students, open cases."""
    roles = dict(User.select(User.role, fn.COUNT(User.id)).where(User.active == True)  # noqa: E712
                 .group_by(User.role).tuples())
    return {"users": {role: roles.get(role, 0) for role in codes.ROLES},
            "schools": School.select().count(),
            "students": Student.select().where(Student.active == True).count(),  # noqa: E712
            "open_cases": Case.select().where(Case.status == "open").count()}
