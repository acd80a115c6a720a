"""Whether the record shows what a letter states, before it is made.

A letter asserts facts: California's truancy notification says the student
was absent or tardy without excuse "on three or more occasions" and "is
therefore classified as truant" (EC 48260, 48260.5); a referral notice says
the student is being referred as the law provides (EC 48263, Texas Ed Code
25.0951, 24 P.S. § 13-1333.1, RCW 28A.225.030). A notice that asserts what
is not true is worse than none: the family is told something false in the
law's name, and a board or court later reads a notice the record does not
support. So a letter of a kind the law defines is made only when the
state's rule set (fieldapp.rules, the same standing the letters due are
chosen from) shows its step reached, for this student, and allowed; there is
no override with a reason, because no reason makes the letter's statements
true: the record is corrected first (attendance, the conference on file).

The conference invitation states only the counts on record and invites the
family: a school may offer a meeting at any time, so it needs no step.
"""
from dataclasses import dataclass

from fieldapp.messages import Message
from fieldapp.rules.ladder import Threshold

# Kinds whose text states a step of the law, and the stages that stand for
# that step in a rule set that names no letter for it (a PA or WA referral).
STATED_STEPS = {"first_notice": ("first_notice",), "referral_notice": ("referral", "court")}


@dataclass(frozen=True)
class Grounds:
    """What the record says for one letter kind: `step` the step of the law
    it serves (an engine StepResult, None for a kind that states none),
    `refused` why the letter may not be made (a Message, "" when it may)."""
    kind: str
    step: object = None
    refused: str = ""

    @property
    def allowed(self):
        return not self.refused


def _steps_for(kind, result):
    """The StepResults of the rule set whose letter is of kind (or, where the
    rule set names none, whose stage stands for it)."""
    steps = [s for s in result.steps if s.step.letter == kind]
    return steps or [s for s in result.steps if s.step.stage in STATED_STEPS[kind]]


def _why_not(step, result):
    """Why one step gives no ground for its letter (a Message), or ""."""
    label, statute = step.step.label, step.step.statute
    if not step.triggered:
        window = step.step.threshold.window
        shown = Threshold(result.counts.get(window, 0), window).describe(result.version.units)
        return Message("The record does not show what this letter states: “%(step)s” (%(statute)s) comes "
                       "at %(threshold)s, and the record shows %(shown)s.", step=label, statute=statute,
                       threshold=step.step.describe_threshold(result.version), shown=shown)
    if not step.applies:
        return Message("The law does not ask “%(step)s” (%(statute)s) of this student: %(why)s",
                       step=label, statute=statute,
                       why=step.waived or result.not_bound or Message("their age, grade or case leaves it out."))
    if step.blocked:
        return Message("“%(step)s” may not be taken: %(why)s", step=label, why=step.blocked)
    if step.missing:
        return Message("“%(step)s” (%(statute)s) needs first what the record does not show: %(missing)s",
                       step=label, statute=statute, missing=step.missing)
    return ""


def grounds_for(kind, result):
    """The Grounds of a letter of kind (a key of letter_templates.KINDS) on
    a student's standing (an engine Result, or None when no rule set
    applies). A kind that states a step is allowed when one of its steps is
    reached, applies to the student and is neither barred by an exemption
    nor waiting on a requirement; else refused with what the record shows,
    for the step nearest to being met."""
    if kind not in STATED_STEPS:
        return Grounds(kind)
    if result is None:
        return Grounds(kind, refused=Message("No attendance rule set applies to this student: the record "
                                             "shows no step of the law this letter could state."))
    steps = _steps_for(kind, result)
    if not steps:
        return Grounds(kind, refused=Message("The rules of this state name no step this letter states."))
    reasons = [(step, _why_not(step, result)) for step in steps]
    ready = [step for step, why in reasons if not why]
    if ready:
        return Grounds(kind, step=max(ready, key=lambda s: s.index))
    # The nearest to being met: reached and applying before reached, then the earliest.
    step, why = min(reasons, key=lambda pair: (not pair[0].triggered, not pair[0].applies, pair[0].index))
    return Grounds(kind, step=step, refused=why)
