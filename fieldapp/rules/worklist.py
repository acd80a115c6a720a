"""The worklist of officers and front offices: who crossed a threshold, which
letters, conferences and referrals are due, which deadlines are near or past."""
from dataclasses import dataclass, field

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
}


@dataclass
class WorkItem:
    student: Student
    result: object  # engine.Result
    step: object  # engine.StepResult: the step to take (or the one an exemption holds)
    section: str
    new: bool
    days_left: int
    case: Case = None

    def as_dict(self):
        """One line of `flask worklist --json`."""
        r, s, student = self.result, self.step, self.student
        return {
            "on": r.on_day.isoformat(), "student_id": student.id, "sourced_id": student.sourced_id,
            "local_id": student.local_id, "name": student.sort_name, "school": student.school.sourced_id,
            "section": self.section, "counts": r.counts, "days_enrolled": r.days_enrolled,
            "days_missed": r.days_missed, "percent_missed": r.percent_missed, "band": r.band,
            "status": r.status.code if r.status else None, "status_label": r.status_label,
            "next_step": s.step.code, "next_step_label": s.step.label, "statute": s.step.statute,
            "triggered_on": s.triggered_on.isoformat(), "due_on": s.due_on.isoformat(),
            "school_days_left": self.days_left, "missing": list(s.missing), "barred": s.blocked or None,
            "case_id": self.case.id if self.case else None, "rule_set": r.version.state,
            "rule_version": r.version.version_id, "band_version": r.band_version,
        }


@dataclass
class Worklist:
    on_day: object
    since: object  # crossings on or after this day are new
    version: object
    sections: dict = field(default_factory=dict)

    @property
    def items(self):
        return [item for code in SECTIONS for item in self.sections.get(code, [])]


def _section(result, since, due_soon):
    """(step, section, new) for a student with something to do, else None."""
    step = result.next_step
    if step is None:
        if not result.blocked_steps:
            return None
        step, section = result.blocked_steps[0], "barred"
    new = any(s.pending and s.triggered_on >= since for s in result.steps)
    if step.blocked:
        return step, section, new
    days_left = result.school_days_left(step)
    if days_left < 0:
        return step, "overdue", new
    return step, "new" if new else ("due_soon" if days_left <= due_soon else "later"), new


def _load(model_query, field_, ids):
    rows = []
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        rows.extend(model_query.where(field_.in_(ids[start:start + CHUNK])))
    return rows


def build(settings, on_day, school_ids=None):
    """The worklist on on_day for some schools (None: the whole district)."""
    results = standings(settings, on_day, school_ids=school_ids)
    calendar = load_book(school_year_of(on_day)).for_school(None)
    since = calendar.previous_school_day(on_day)
    picked = {sid: _section(r, since, settings.due_soon_days) for sid, r in results.items()}
    picked = {sid: p for sid, p in picked.items() if p}
    students = {s.id: s for s in _load(Student.select(Student, School).join(School), Student.id, picked)}
    cases = {c.student_id: c for c in _load(
        Case.select(Case, User).join(User, join_type="LEFT OUTER", on=(Case.officer == User.id))
        .where(Case.status == "open"), Case.student, picked)}
    worklist = Worklist(on_day, since, settings.version_on(on_day))
    for sid, (step, section, new) in picked.items():
        result = results[sid]
        item = WorkItem(students[sid], result, step, section, new,
                        result.school_days_left(step), cases.get(sid))
        worklist.sections.setdefault(section, []).append(item)
    for items in worklist.sections.values():
        items.sort(key=lambda i: (i.step.due_on, i.student.last_name, i.student.first_name, i.student.id))
    return worklist
