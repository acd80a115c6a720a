"""The shape of a rule set: thresholds, the steps they trigger, their
deadlines, what must come first, and who is exempt.

A rule set has versions by effective date; a version is plain data, so a
change in the law is a new version beside the old one, and every result
names the version that produced it.
"""
import dataclasses
import datetime
from dataclasses import dataclass, field

from fieldapp import codes
from fieldapp.messages import Message, N_, NP_, plural_message
from fieldapp.rules.ages import in_ages

# The words of a rule set (labels, statuses, what the law asks) are English
# marked with N_ for the catalog; screens show them in the user's language,
# paperwork for boards and courts keeps the English of the statutes.
WINDOWS = {
    "year": N_("this school year"),
    "four_weeks": N_("in 4 weeks"),
    "six_months": N_("in 6 months"),
    "month": N_("in a calendar month"),
    "semester": N_("in a semester"),
}
# The same windows as a count's caption: "3 this year", "2 in 4 weeks".
WINDOW_CAPTIONS = {"year": N_("this year"), "four_weeks": N_("in 4 weeks"), "six_months": N_("in 6 months"),
                   "month": N_("this month"), "semester": N_("this semester")}
STAGE_RANK = {code: rank for rank, code in enumerate(codes.STAGES)}
# What a step counts when its series is "excused" (RCW 28A.225.018).
EXCUSED_UNITS = NP_("excused absence", "excused absences")


@dataclass(frozen=True)
class Threshold:
    """`count` counted absences within `window` (a key of WINDOWS)."""
    count: int
    window: str = "year"

    def describe(self, units):
        """ "1 truancy this school year", "3 truancies this school year": units
        is the rule set's (singular, plural) pair (RuleVersion.units), said in
        the catalog's plural form for count."""
        return Message("%(count)s %(unit)s %(window)s", count=self.count,
                       unit=plural_message(units[0], units[1], self.count), window=WINDOWS[self.window])


# Who made a contact (the fourth member of a CaseRecord contact): casework is a contact
# on a case by staff whose role does casework (fieldapp.policy.does_casework); a record is
# any other (a call the front office logs about a student with no case, migration 0211).
CASEWORK = "casework"
RECORD = "record"


def contact_by(contact):
    """Who made a CaseRecord contact, (date, method, outcome[, by]): CASEWORK
    or RECORD; a contact given without it is casework (the engine's tests)."""
    return contact[3] if len(contact) > 3 else CASEWORK


@dataclass(frozen=True)
class Evidence:
    """What in a case shows something was done, on or after the day that
    counts: a contact matching one of `contacts` -- (method, outcomes) pairs,
    where method "*" is any method and empty outcomes any outcome, or
    (method, outcomes, by) where `by` names who must have made it (CASEWORK:
    a contact on a case by staff who do casework; a record of contact is not
    the legal act) -- or the case moved to `stage` or beyond, or a letter of
    a kind in `letters`.

    A contact is one act: where several steps of a ladder ask for the same
    evidence (CA's first notification and the reports of EC 48261), one
    contact is taken by one step occurrence only, in ladder order (see
    `first_in`; the engine keeps what each evidence's steps took). Steps
    asking different evidence (TX's prevention measures and its court
    referral) may each count the same contact. A stage reached is a
    standing fact and serves every step."""
    contacts: tuple = ()
    stage: str = ""
    letters: tuple = ()  # kinds of letter whose date shows it (a conference invitation)
    said: str = ""  # what counts as done, in the officer's words, shown beside the step due

    def _matches(self, contact):
        _day, method, outcome = contact[:3]
        return any((want[0] in ("*", method)) and (not want[1] or outcome in want[1])
                   and (len(want) < 3 or contact_by(contact) in want[2])
                   for want in self.contacts)

    def first_in(self, record, since, taken=frozenset()):
        """(day, contact index or None): the first day on or after `since`
        that the case record shows this, leaving out the contacts whose
        indexes (in record.contacts) are in `taken`; the index says which
        contact showed it (None: a stage or a letter did), so the caller can
        take it. (None, None) when nothing shows it."""
        if record is None:
            return None, None
        found = [(day, i) for i, (day, *_rest) in enumerate(record.contacts)
                 if day >= since and i not in taken and self._matches(record.contacts[i])]
        found += [(day, None) for day, kind in getattr(record, "letters", ())
                  if day >= since and kind in self.letters]
        if self.stage:
            floor = STAGE_RANK[self.stage]
            found += [(day, None) for day, stage in record.stages
                      if day >= since and STAGE_RANK.get(stage, -1) >= floor]
        # On one day, a stage or letter before a contact: it leaves the contact for another step.
        return min(found, key=lambda f: (f[0], f[1] is not None, f[1] or 0)) if found else (None, None)

    def found_in(self, record, since):
        """The first day on or after `since` that the case record shows this, or None."""
        return self.first_in(record, since)[0]


@dataclass(frozen=True)
class Requirement:
    """Something the law asks before a step is allowed: evidence on record
    since the school year began, or since the step `after` was first reached
    (CA EC 48262: the effort follows the first truancy report)."""
    code: str
    text: str
    evidence: Evidence
    after: str = ""


@dataclass(frozen=True)
class Step:
    """One rung of a state's ladder."""
    code: str
    label: str
    statute: str
    threshold: Threshold
    evidence: Evidence
    due_days: int  # school days after the threshold is crossed
    due_basis: str = "statute"  # or "district practice" where the law sets no deadline
    repeats_monthly: bool = False  # due again in each month the threshold is crossed
    requires: tuple = ()
    exempt_flags: tuple = ()  # case flags that bar this step
    exempt_statute: str = ""
    stage: str = "monitoring"  # where the case stands once this step is taken
    letter: str = ""  # the kind of letter this step sends (fieldapp.documents.letter_templates.KINDS);
    # the template version in force on the letter's date is chosen there
    ages: tuple = (None, None)  # [from, until) the student's age on the day the step is taken
    age_note: str = ""  # said when the step would be due but the student's age leaves it out;
    # without one, the step is another age's route and is not shown
    elementary: bool = False  # only for pupils in kindergarten to grade 5
    series: str = "counted"  # what the threshold counts: "counted" (the unit) or "excused" full days
    or_threshold: Threshold = None  # a second threshold that also triggers the step
    after: str = ""  # only counted days after this step was taken trigger it (PA 13-1333(b))
    repeats_each: bool = False  # due again on each further counted day (CA 48261)
    only_flags: tuple = ()  # the step exists only while the case has one of these flags

    def describe_threshold(self, version):
        """When this step falls due, as a Message: "1 unexcused absence in a
        calendar month", "5 excused absences in a calendar month, or 10
        excused absences this school year", or, for a step counted from
        another (`after`), "the first unexcused absence after ..."."""
        units = EXCUSED_UNITS if self.series == "excused" else version.units
        if self.after:
            return Message("the first %(unit)s after “%(step)s” was done",
                           unit=plural_message(units[0], units[1], 1), step=version.step(self.after).label)
        said = self.threshold.describe(units)
        if self.or_threshold is not None:
            said = Message("%(first)s, or %(second)s", first=said, second=self.or_threshold.describe(units))
        return said

    @property
    def ages_text(self):
        """A Message, 'ages 12 to 18', 'under 12', '19 and older', or '' (the rule-set page)."""
        low, high = self.ages
        if low is not None and high is not None:
            return Message("ages %(low)d to %(high)d", low=low, high=high - 1)
        if high is not None:
            return Message("under %(high)d", high=high)
        return Message("%(low)d and older", low=low) if low is not None else ""


# What a step's deadline rests on (Step.due_basis), said on the rule-set page.
DUE_BASES = (N_("statute"), N_("district practice"), N_("district setting"))


@dataclass(frozen=True)
class Status:
    """A legal status the student holds once `step` has been triggered
    (and `requires`, a requirement code, is met)."""
    code: str
    label: str
    step: str  # a step code, or several separated by "|" (any of them)
    requires: str = ""
    # (low, high): the ages [low, high) the status is defined for, a known age only
    # (WIC 601(b) speaks of a minor of 12 to 17); (None, None): any age.
    ages: tuple = (None, None)

    def fits_age(self, age):
        return self.ages == (None, None) or (age is not None and in_ages(self.ages, age))

    def reached_by(self, triggered):
        return bool(set(self.step.split("|")) & triggered)


@dataclass(frozen=True)
class RuleVersion:
    state: str
    state_name: str
    version: str
    effective: datetime.date
    source: str
    unit: str  # what one counted absence is called, explained: "truancies (unexcused full days, ...)"
    units: tuple  # one counted absence and several, without the explanation: NP_("truancy", "truancies")
    part_day_minutes: int  # a tardy, early departure or partial day counts from this many minutes; 0: never
    steps: tuple
    statuses: tuple
    chronic_truancy: tuple = ()  # (percent of unexcused days, label) where the state defines it
    compulsory: object = None  # rules.ages.Compulsory: who the statutes bind
    chronic_requires: tuple = ()  # steps that must be taken before the chronic label applies
    adjustments: tuple = field(default=())  # local settings applied over the statute
    # A school day's minutes (FIELDAPP_SCHOOL_DAY_MINUTES): parts of one day adding up to it are the day missed.
    school_day_minutes: int = 360

    @property
    def unit_short(self):
        """The plural of the unit ("truancies"), for a heading without a number."""
        return self.units[1]

    @property
    def label(self):
        if self.adjustments:
            return Message("%(state)s rule set %(version)s (in effect from %(day)s); adjusted locally: "
                           "%(changes)s", state=self.state_name, version=self.version,
                           day=self.effective, changes=self.adjustments)
        return Message("%(state)s rule set %(version)s (in effect from %(day)s)",
                       state=self.state_name, version=self.version, day=self.effective)

    @property
    def version_id(self):
        return self.version + ("+local" if self.adjustments else "")

    def step(self, code):
        return next(s for s in self.steps if s.code == code)

    @property
    def windows(self):
        """The windows this state counts in, in the order its steps use them."""
        return tuple(dict.fromkeys(s.threshold.window for s in self.steps))

    def adjusted(self, thresholds=None, deadlines=None, part_day_minutes=None):
        """A copy with local thresholds (step code -> count), deadlines (step
        code -> school days) and part-day minutes; the copy lists what changed
        (Messages naming each step by its label, as every page names it)."""
        thresholds, deadlines = thresholds or {}, deadlines or {}
        steps, notes = [], list(self.adjustments)
        for step in self.steps:
            if step.code in thresholds and thresholds[step.code] != step.threshold.count:
                step = dataclasses.replace(
                    step, threshold=Threshold(thresholds[step.code], step.threshold.window))
                count = step.threshold.count
                notes.append(Message("%(step)s at %(count)s %(unit)s", step=step.label, count=count,
                                     unit=plural_message(self.units[0], self.units[1], count)))
            if step.code in deadlines and deadlines[step.code] != step.due_days:
                step = dataclasses.replace(step, due_days=deadlines[step.code],
                                           due_basis="district setting")
                notes.append(plural_message("%(step)s due in %(num)s school day", "%(step)s due in %(num)s school days",
                                            step.due_days, step=step.label, num=step.due_days))
            steps.append(step)
        minutes = self.part_day_minutes
        if part_day_minutes is not None and part_day_minutes != minutes:
            minutes = part_day_minutes
            notes.append(plural_message("parts of days count from %(num)s minute",
                                        "parts of days count from %(num)s minutes", minutes, num=minutes))
        return dataclasses.replace(self, steps=tuple(steps), part_day_minutes=minutes,
                                   adjustments=tuple(notes))


@dataclass(frozen=True)
class RuleSet:
    """A state's versions, oldest first."""
    state: str
    name: str
    versions: tuple

    def version_on(self, day):
        """The version in effect on day (the oldest one before any took effect)."""
        current = self.versions[0]
        for version in self.versions:
            if version.effective <= day:
                current = version
        return current

    def step_codes(self):
        return {step.code for version in self.versions for step in version.steps}
