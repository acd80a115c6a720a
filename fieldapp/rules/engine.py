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
from fieldapp.rules import ages
from fieldapp.rules.bands import CHRONIC_ABSENCE, percent
from fieldapp.rules.calendar import CalendarBySpan
from fieldapp.rules.counting import (  # noqa: F401 (the engine's counting, re-exported)
    EXCUSED_PART_DAY, FULL_DAY_ABSENCES, PART_DAY, counted_days, crossings, days_missed_in_parts, enrolled_days,
    in_window, months_before, tally, window_counts,
)
from fieldapp.rules.explain import chronic_notes, not_counted, why_nothing_due
from fieldapp.timefmt import school_year_of, school_year_start


NOT_TRUANT = N_("Not truant")  # the status label of a student with no truancy status


@dataclass(frozen=True)
class CaseRecord:
    """What the engine reads from a student's case this school year."""
    flags: frozenset = frozenset()
    contacts: tuple = ()  # (date, method, outcome, by): by is ladder.CASEWORK or ladder.RECORD
    stages: tuple = ()  # (date, stage the case moved to)
    letters: tuple = ()  # (date, kind) of the letters generated for the case


@dataclass
class StudentFacts:
    student_id: int
    school_id: int
    events: list  # (date, category, minutes)
    enrolled_from: datetime.date = None  # at the current school, when no spans are known
    enrolled_until: datetime.date = None
    case: CaseRecord = None
    birth_date: datetime.date = None
    grade: str = ""
    enrolments: tuple = ()  # every span in the district: (school id, begin, end or None)


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
    applies: bool = True  # False: the student's age, grade or case flags leave this step out
    waived: str = ""  # why the law does not ask this step of this student (age), when said

    @property
    def triggered(self):
        return self.triggered_on is not None

    @property
    def pending(self):
        return self.triggered and self.done_on is None and self.applies

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
    enrolled_on: frozenset = None  # every school day enrolled in the district, up to on_day
    age: int = None  # whole years on on_day (None: birth date unknown)
    not_bound: str = ""  # why the attendance law does not bind the student on on_day
    left_out: dict = None  # reason -> days that would count but for it (rules.counting)
    excused_part_days: int = 0

    def is_enrolled(self, day):
        """Was day a school day on which the student was enrolled in the district?"""
        if self.enrolled_on is not None:
            return day in self.enrolled_on
        return self.enrolled[0] <= day <= self.enrolled[1] and self.calendar.is_school_day(day)

    @property
    def waived(self):
        """Triggered steps the law does not ask of this student, with why."""
        return [s for s in self.steps if s.triggered and s.done_on is None and s.waived]

    @property
    def not_counted(self):
        """Messages for marks on file that the statutes do not count."""
        return not_counted(self)

    @property
    def why_nothing_due(self):
        """Messages saying why nothing is due although marks are on file
        (age, excused parts of days, days without school); [] otherwise."""
        return why_nothing_due(self)

    @property
    def school_year(self):
        return school_year_of(self.on_day)

    @property
    def status_label(self):
        return self.status.label if self.status else NOT_TRUANT

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
        return next((s.step for s in self.steps if not s.triggered and s.applies), None)

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


# -- the ladder -----------------------------------------------------------------------

def _requirements(version):
    return {r.code: r for step in version.steps for r in step.requires}


def _blocked(step, case):
    flags = sorted(set(step.exempt_flags) & set(case.flags if case else ()))
    if not flags:
        return ""
    return Message("Not allowed while the absences result from: %(flags)s (%(statute)s)",
                   flags=tuple(codes.label("flag", f) for f in flags), statute=step.exempt_statute)


def _hits(step, marks, done):
    """The days the step's threshold was crossed, in order."""
    days = marks.excused if step.series == "excused" else marks.counted
    if step.after:
        if done.get(step.after) is None:
            return []
        days = [d for d in days if d > done[step.after]]
    hits = crossings(days, step.threshold, step.repeats_monthly, step.repeats_each)
    if step.or_threshold is not None:
        more = crossings(days, step.or_threshold, step.repeats_monthly, step.repeats_each)
        hits = sorted(set(hits) | set(more))
        if not (step.repeats_monthly or step.repeats_each):
            hits = hits[:1]
    return hits


def _applies(step, facts, age):
    """(applies, waived): whether the student's flags, grade and age put the
    step on their ladder, and the step's note when their age leaves it out."""
    if step.only_flags and not set(step.only_flags) & set(facts.case.flags if facts.case else ()):
        return False, ""
    if step.elementary and not ages.is_elementary(facts.grade):
        return False, ""
    if not ages.in_ages(step.ages, age):
        return False, step.age_note
    return True, ""


def _step_result(index, step, marks, facts, calendar, context):
    year_start, on_day, done, not_bound, reached, taken = context
    hits = _hits(step, marks, done)
    result = StepResult(step=step, index=index)
    if not hits:
        result.applies = _applies(step, facts, ages.age_on(facts.birth_date, on_day))[0]
        return result
    result.first_triggered_on, result.triggered_on = hits[0], hits[-1]
    reached.setdefault(step.code, hits[0])
    result.due_on = calendar.add_school_days(result.triggered_on, step.due_days)
    # A route that changes with age is decided on the day the duty arose (the 10th
    # absence in TX, the 7th or 15th in WA), not on a birthday after it.
    # A step that follows another (PA's conference after the notice) is done by what
    # was on record since that one was taken.
    since = done[step.after] if step.after else result.triggered_on
    shared = taken.setdefault(step.evidence, set())
    result.done_on, contact = step.evidence.first_in(facts.case, since, shared)
    done[step.code] = result.done_on
    result.missing = tuple(r.text for r in step.requires
                           if r.evidence.found_in(facts.case, _since(r, reached, year_start)) is None)
    result.blocked = _blocked(step, facts.case)
    result.applies, result.waived = _applies(step, facts, ages.age_on(facts.birth_date,
                                                                      result.triggered_on))
    if not_bound and result.applies and result.done_on is None:
        result.applies, result.waived = False, not_bound
    # One contact is one act: the step that took it leaves it for no later step
    # asking the same evidence (ladder.Evidence); a step the student's age or
    # flags leave out, or an exemption bars, takes nothing.
    # A letter is the written notice itself, on file for every report it stands for
    # (a referral notice after earlier notices were never sent): it is not taken.
    if contact is not None and result.applies and not result.blocked \
            and facts.case.contacts[contact][1] != "letter":
        shared.add(contact)
    return result


def _since(requirement, reached, year_start):
    """The day from which evidence of a requirement counts (see ladder.Requirement);
    a requirement whose step was not reached yet counts from the school year."""
    return reached.get(requirement.after, year_start) if requirement.after else year_start


def _status(version, steps, facts, year_start, age):
    requirements = _requirements(version)
    reached = {s.step.code: s.first_triggered_on for s in steps if s.first_triggered_on}
    triggered = {s.step.code for s in steps if s.triggered and s.applies}
    current = None
    for status in version.statuses:
        if not status.reached_by(triggered) or not status.fits_age(age):
            continue
        need = requirements.get(status.requires)
        if need is None or need.evidence.found_in(facts.case, _since(need, reached, year_start)) is not None:
            current = status
    return current


def enrolled_span(calendar, enrolled_from, enrolled_until, on_day):
    """(first, last) day the student was enrolled this school year, up to on_day."""
    start = max(calendar.first_day, enrolled_from or calendar.first_day)
    end = min(on_day, calendar.last_day, enrolled_until or on_day)
    return start, end


def _enrolled(facts, calendar, book, on_day, year_start):
    """(days or None, first, last, count): the school days this year, up to
    on_day, enrolled in the district. Several spans give the set of days (each
    span on its school's calendar); one span, or none on record (the current
    school from enrolled_from to enrolled_until), gives only first and last,
    counted on the calendar without building the set."""
    spans = facts.enrolments
    if len(spans) > 1 or (spans and book is not None and spans[0][0] != facts.school_id):
        calendar_of = book.for_school if book is not None else (lambda _school: calendar)
        days = enrolled_days(spans, calendar_of, on_day, year_start)
        if days:
            return days, min(days), max(days), len(days)
    begin, end = (spans[0][1], spans[0][2]) if len(spans) == 1 else (facts.enrolled_from, facts.enrolled_until)
    start, end = enrolled_span(calendar, begin, end, on_day)
    return None, start, end, calendar.count(start, end)


def evaluate(facts, version, calendar, on_day, book=None):
    """The standing of one student on on_day under a rule-set version.

    Only the school year on_day falls in counts, up to on_day included, and
    only marks the statutes count (rules.counting.tally): on days with school
    on `calendar` (the student's school's), while of compulsory age
    (rules.ages, from facts.birth_date and facts.grade). Days enrolled cover
    every enrolment span of facts.enrolments, each on its own school's
    calendar when `book` (rules.calendar.CalendarBook) is given."""
    year_start = school_year_start(on_day)
    events = [e for e in facts.events if year_start <= e[0] <= on_day]
    rule = version.compulsory
    bound = None
    if rule is not None and facts.birth_date is not None:
        def bound(day):
            return ages.bound_on(rule, facts.birth_date, facts.grade, day)[0]
    not_bound = ages.bound_on(rule, facts.birth_date, facts.grade, on_day)[1]
    counting = CalendarBySpan(facts.enrolments, book, calendar) if book and facts.enrolments else calendar
    marks = tally(events, version, counting, bound)
    context = (year_start, on_day, {}, not_bound, {}, {})
    steps = [_step_result(i, step, marks, facts, calendar, context)
             for i, step in enumerate(version.steps)]
    enrolled_on, first, last, enrolled = _enrolled(facts, calendar, book, on_day, year_start)
    if enrolled_on is None:
        def is_enrolled(day):
            return first <= day <= last and calendar.is_school_day(day)
    else:
        is_enrolled = enrolled_on.__contains__
    unexcused = {d for d, c, _ in events if c == "unexcused" and is_enrolled(d)}
    # Chronic absence counts every day missed: whole-day absences, excused or not, and days
    # whose parts missed add up to the whole school day (a split day's two absent halves).
    missed = unexcused | {d for d, c, _ in events if c == "excused" and is_enrolled(d)} \
        | {d for d in days_missed_in_parts(events, version.school_day_minutes) if is_enrolled(d)}
    share = percent(len(missed), enrolled)
    return Result(
        student_id=facts.student_id, version=version, on_day=on_day,
        counts=window_counts(marks.counted, on_day),
        unexcused_days=sum(1 for _, c, _ in events if c == "unexcused"),
        excused_days=sum(1 for _, c, _ in events if c == "excused"),
        part_days=sum(1 for _, c, _ in events if c in PART_DAY),
        days_enrolled=enrolled, days_missed=len(missed), percent_missed=share,
        band=CHRONIC_ABSENCE.band_for(share), status=_status(version, steps, facts, year_start, ages.age_on(facts.birth_date, on_day)),
        notes=chronic_notes(version, steps, percent(len(unexcused), enrolled) if enrolled else 0.0,
                            not_bound),
        steps=steps, calendar=calendar, case=facts.case, events=events,
        enrolled=(first, last), enrolled_on=None if enrolled_on is None else frozenset(enrolled_on),
        age=ages.age_on(facts.birth_date, on_day), not_bound=not_bound, left_out=marks.left_out,
        excused_part_days=sum(1 for _, c, _ in events if c in EXCUSED_PART_DAY))
