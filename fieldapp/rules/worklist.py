"""The worklist of officers and front offices: who crossed a threshold, which
letters, conferences and referrals are due, which deadlines are near or past."""
from dataclasses import dataclass, field

from peewee import JOIN

from fieldapp.models import Case, School, Student, User
from fieldapp.rules.calendar import load_book
from fieldapp.rules.standing import CHUNK, standings
from fieldapp.timefmt import school_year_of

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
        """One line of `flask worklist --json`."""
        r, s, student = self.result, self.step, self.student
        if s is None:
            return {"on": r.on_day.isoformat(), "student_id": student.id, "sourced_id": student.sourced_id,
                    "local_id": student.local_id, "name": student.sort_name,
                    "school": student.school.sourced_id, "section": self.section, "counts": r.counts,
                    "why_nothing_due": [str(m) for m in r.why_nothing_due], "rule_set": r.version.state,
                    "rule_version": r.version.version_id}
        return {
            "on": r.on_day.isoformat(), "student_id": student.id, "sourced_id": student.sourced_id,
            "local_id": student.local_id, "name": student.sort_name, "school": student.school.sourced_id,
            "section": self.section, "counts": r.counts, "days_enrolled": r.days_enrolled,
            "days_missed": r.days_missed, "percent_missed": r.percent_missed, "band": r.band,
            "status": r.status.code if r.status else None, "status_label": r.status_label,
            "next_step": s.step.code, "next_step_label": s.step.label, "statute": s.step.statute,
            "triggered_on": s.triggered_on.isoformat(), "due_on": s.due_on.isoformat(),
            "school_days_left": self.days_left, "missing": list(s.missing), "barred": s.blocked or None,
            "crossed": [n.step.code for n in self.new_steps],
            "case_id": self.case.id if self.case else None, "rule_set": r.version.state,
            "rule_version": r.version.version_id, "band_version": r.band_version,
        }


@dataclass
class Worklist:
    on_day: object
    since: object  # crossings on or after this day are new
    version: object
    sections: dict = field(default_factory=dict)  # code -> [WorkItem], the first `limit` of each
    totals: dict = field(default_factory=dict)  # code -> how many students the section has

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


def build(settings, on_day, school_ids=None, limit=None):
    """The worklist on on_day for some schools (None: the whole district), the
    first `limit` students of each section (all when None)."""
    results = standings(settings, on_day, school_ids=school_ids)
    since = load_book(school_year_of(on_day)).for_school(None).previous_school_day(on_day)
    worklist = Worklist(on_day, since, settings.version_on(on_day))
    picked = {}
    for sid, result in results.items():
        found = _section(result, since, settings.due_soon_days)
        if found:
            due = found[0].due_on if found[0] else on_day
            picked.setdefault(found[1], []).append((due, sid, found[0]))
    shown = {}
    for section, rows in picked.items():
        worklist.totals[section] = len(rows)
        shown[section] = sorted(rows)[:limit]
    ids = [sid for rows in shown.values() for _, sid, _ in rows]
    students = {s.id: s for s in _load(Student.select(Student, School).join(School), Student.id, ids)}
    cases = {c.student_id: c for c in _load(
        Case.select(Case, User).join(User, join_type=JOIN.LEFT_OUTER, on=(Case.officer == User.id))
        .where(Case.status == "open"), Case.student, ids)}
    for section, rows in shown.items():
        items = [WorkItem(students[sid], results[sid], step, section, _crossed(results[sid], since),
                          results[sid].school_days_left(step) if step else 0, cases.get(sid))
                 for _, sid, step in rows]
        items.sort(key=lambda i: (i.step.due_on if i.step else on_day, i.student.sort_key, i.student.id))
        worklist.sections[section] = items
    return worklist
