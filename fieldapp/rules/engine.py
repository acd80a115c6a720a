"""The engine: one student's attendance (and open case) in, their standing
under the state's rule set out.

Pure functions over plain data, so the rules are tested without a database
and every student of a district is computed from one query. For each
student: counts in the state's windows, the share of enrolled days missed and
its band, the truancy status, every step the attendance has triggered with
its due date in school days, whether the case shows it taken, what the law
still asks first, and exemptions.
"""
import datetime
from dataclasses import dataclass

from fieldapp import codes
from fieldapp.messages import Message, N_
from fieldapp.rules.bands import CHRONIC_ABSENCE, percent
from fieldapp.timefmt import school_year_of, school_year_start

FULL_DAY_ABSENCES = ("excused", "unexcused")
PART_DAY = ("tardy", "early_departure", "partial")


@dataclass(frozen=True)
class CaseRecord:
    """What the engine reads from a student's case this school year."""
    flags: frozenset = frozenset()
    contacts: tuple = ()  # (date, method, outcome)
    stages: tuple = ()  # (date, stage the case moved to)


@dataclass
class StudentFacts:
    student_id: int
    school_id: int
    events: list  # (date, category, minutes)
    enrolled_from: datetime.date = None
    enrolled_until: datetime.date = None
    case: CaseRecord = None


@dataclass
class StepResult:
    step: object  # ladder.Step
    index: int
    triggered_on: datetime.date = None  # the latest crossing (of a step due again each month)
    first_triggered_on: datetime.date = None
    due_on: datetime.date = None
    done_on: datetime.date = None
    missing: tuple = ()  # what the law asks before this step, not yet on record
    blocked: str = ""  # why the step may not be taken (an exemption)

    @property
    def triggered(self):
        return self.triggered_on is not None

    @property
    def pending(self):
        return self.triggered and self.done_on is None

    def overdue(self, on_day):
        return self.pending and not self.blocked and self.due_on < on_day


@dataclass
class Result:
    student_id: int
    version: object  # ladder.RuleVersion
    on_day: datetime.date
    counts: dict  # window -> counted absences as of on_day
    unexcused_days: int
    excused_days: int
    part_days: int
    days_enrolled: int
    days_missed: int
    percent_missed: float
    band: str
    status: object  # ladder.Status or None
    notes: list
    steps: list
    calendar: object  # rules.calendar.Calendar
    band_version: str = CHRONIC_ABSENCE.version
    case: CaseRecord = None
    events: list = None  # this school year's marks up to on_day: (date, category, minutes)
    enrolled: tuple = None  # (first, last) enrolled day this year, up to on_day

    @property
    def school_year(self):
        return school_year_of(self.on_day)

    @property
    def status_label(self):
        return self.status.label if self.status else N_("Not truant")

    @property
    def pending(self):
        return [s for s in self.steps if s.pending]

    @property
    def next_step(self):
        """The pending step to take first: the earliest due, then the earliest on
        the ladder. Steps barred by an exemption are never next."""
        open_steps = [s for s in self.steps if s.pending and not s.blocked]
        return min(open_steps, key=lambda s: (s.due_on, s.index)) if open_steps else None

    @property
    def blocked_steps(self):
        return [s for s in self.steps if s.pending and s.blocked]

    @property
    def upcoming(self):
        """The first step not yet triggered, with its threshold (None at the top)."""
        return next((s.step for s in self.steps if not s.triggered), None)

    @property
    def step_reached(self):
        """How far up the ladder the attendance has gone: the index of the
        highest triggered step, -1 for none."""
        return max((s.index for s in self.steps if s.triggered), default=-1)

    @property
    def status_rank(self):
        return -1 if self.status is None else self.version.statuses.index(self.status)

    def school_days_left(self, step_result):
        return self.calendar.school_days_left(self.on_day, step_result.due_on)


# -- counting ---------------------------------------------------------------------

def counted_days(events, version):
    """The days that count toward the state's thresholds, sorted: unexcused full
    days, and parts of days of at least the state's part-day minutes."""
    days = set()
    minimum = version.part_day_minutes
    for day, category, minutes in events:
        if category == "unexcused" or (minimum and category in PART_DAY and (minutes or 0) >= minimum):
            days.add(day)
    return sorted(days)


def months_before(day, months):
    """The same day `months` months earlier (the last day of a shorter month)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue


def in_window(first, last, window):
    """Do first..last both fall in one window of this kind ending on last?"""
    if window == "four_weeks":
        return (last - first).days < 28
    if window == "six_months":
        return first > months_before(last, 6)
    if window == "month":
        return (first.year, first.month) == (last.year, last.month)
    return True


def window_counts(days, on_day):
    """Counted absences on or before on_day in each window the states use."""
    four_weeks = on_day - datetime.timedelta(days=28)
    six_months = months_before(on_day, 6)
    past = [d for d in days if d <= on_day]
    return {
        "year": len(past),
        "four_weeks": sum(1 for d in past if d > four_weeks),
        "six_months": sum(1 for d in past if d > six_months),
        "month": sum(1 for d in past if (d.year, d.month) == (on_day.year, on_day.month)),
    }


def crossings(days, threshold, monthly=False):
    """The days on which the threshold was crossed: the first only, or the
    first in each month when the step repeats monthly."""
    n, hits, months = threshold.count, [], set()
    for i in range(n - 1, len(days)):
        day = days[i]
        if monthly and (day.year, day.month) in months:
            continue
        if in_window(days[i - n + 1], day, threshold.window):
            hits.append(day)
            if not monthly:
                break
            months.add((day.year, day.month))
    return hits


# -- the ladder -----------------------------------------------------------------------

def _requirements(version):
    return {r.code: r for step in version.steps for r in step.requires}


def _blocked(step, case):
    flags = sorted(set(step.exempt_flags) & set(case.flags if case else ()))
    if not flags:
        return ""
    return Message("Not allowed while the absences result from: %(flags)s (%(statute)s)",
                   flags=tuple(codes.label("flag", f) for f in flags), statute=step.exempt_statute)


def _step_result(index, step, days, facts, calendar, year_start):
    hits = crossings(days, step.threshold, step.repeats_monthly)
    result = StepResult(step=step, index=index)
    if not hits:
        return result
    result.first_triggered_on, result.triggered_on = hits[0], hits[-1]
    result.due_on = calendar.add_school_days(result.triggered_on, step.due_days)
    result.done_on = step.evidence.found_in(facts.case, result.triggered_on)
    result.missing = tuple(r.text for r in step.requires
                           if r.evidence.found_in(facts.case, year_start) is None)
    result.blocked = _blocked(step, facts.case)
    return result


def _status(version, steps, facts, year_start):
    requirements = _requirements(version)
    triggered = {s.step.code for s in steps if s.triggered}
    current = None
    for status in version.statuses:
        if status.step not in triggered:
            continue
        need = requirements.get(status.requires)
        if need is None or need.evidence.found_in(facts.case, year_start) is not None:
            current = status
    return current


def enrolled_span(calendar, enrolled_from, enrolled_until, on_day):
    """(first, last) day the student was enrolled this school year, up to on_day."""
    start = max(calendar.first_day, enrolled_from or calendar.first_day)
    end = min(on_day, calendar.last_day, enrolled_until or on_day)
    return start, end


def evaluate(facts, version, calendar, on_day):
    """The standing of one student on on_day under a rule-set version.

    Only the school year on_day falls in counts, up to on_day included."""
    year_start = school_year_start(on_day)
    events = [e for e in facts.events if year_start <= e[0] <= on_day]
    days = counted_days(events, version)
    steps = [_step_result(i, step, days, facts, calendar, year_start)
             for i, step in enumerate(version.steps)]
    start, end = enrolled_span(calendar, facts.enrolled_from, facts.enrolled_until, on_day)
    enrolled = calendar.count(start, end)
    unexcused = {d for d, c, _ in events if c == "unexcused" and start <= d <= end}
    missed = unexcused | {d for d, c, _ in events if c == "excused" and start <= d <= end}
    share = percent(len(missed), enrolled)
    notes = []
    if version.chronic_truancy and enrolled and \
            percent(len(unexcused), enrolled) >= version.chronic_truancy[0]:
        notes.append(version.chronic_truancy[1])
    return Result(
        student_id=facts.student_id, version=version, on_day=on_day,
        counts=window_counts(days, on_day),
        unexcused_days=sum(1 for _, c, _ in events if c == "unexcused"),
        excused_days=sum(1 for _, c, _ in events if c == "excused"),
        part_days=sum(1 for _, c, _ in events if c in PART_DAY),
        days_enrolled=enrolled, days_missed=len(missed), percent_missed=share,
        band=CHRONIC_ABSENCE.band_for(share), status=_status(version, steps, facts, year_start),
        notes=notes, steps=steps, calendar=calendar, case=facts.case, events=events,
        enrolled=(start, end))

