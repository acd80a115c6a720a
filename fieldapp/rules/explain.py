"""What a standing says beyond its steps: why nothing is due, and the
provisos on a state's labels (California's chronic truant)."""
from fieldapp.messages import Message, plural_message
from fieldapp.rules.counting import EXCUSED, NOT_ENROLLED, NOT_OF_AGE, NOT_SCHOOL_DAY


def _left_out(reason, n):
    """The sentence for n marks left out for one reason (literal, for the catalog)."""
    if reason == NOT_OF_AGE:
        return plural_message("%(num)d absence or tardy not counted: the student was not of compulsory "
                              "school age that day",
                              "%(num)d absences or tardies not counted: the student was not of "
                              "compulsory school age those days", n, num=n)
    if reason == EXCUSED:
        return plural_message("%(num)d excused part of a day (tardy, early departure or partial day) not "
                              "counted: only unexcused ones count",
                              "%(num)d excused parts of days (tardies, early departures or partial days) "
                              "not counted: only unexcused ones count", n, num=n)
    if reason == NOT_SCHOOL_DAY:
        return plural_message("%(num)d mark on a day without school (holiday, weekend or outside the "
                              "school year) not counted",
                              "%(num)d marks on days without school (holidays, weekends or outside the "
                              "school year) not counted", n, num=n)
    return plural_message("%(num)d mark on a day the student was not enrolled not counted",
                          "%(num)d marks on days the student was not enrolled not counted", n, num=n)


def not_counted(result):
    """Messages, one per reason, for marks that would count but do not."""
    left_out = result.left_out or {}
    return [_left_out(reason, len(left_out[reason]))
            for reason in (NOT_OF_AGE, EXCUSED, NOT_SCHOOL_DAY, NOT_ENROLLED) if left_out.get(reason)]


def why_nothing_due(result):
    """Why a student with marks on file has no step due: the age rule that
    leaves them out, marks the statutes do not count, and steps the law does
    not ask of them. [] when a step is due or on hold."""
    if result.next_step is not None or result.blocked_steps:
        return []
    said = [result.not_bound] if result.not_bound else []
    said += not_counted(result)
    said += [Message("%(step)s (%(statute)s): not required. %(why)s", step=s.step.label,
                     statute=s.step.statute, why=s.waived) for s in result.waived
             if s.waived != result.not_bound]
    return said


def chronic_notes(version, steps, share, not_bound):
    """The chronic-truancy note of a version that defines one (percent of
    school days unexcused, label[, text while its proviso is not met])."""
    if not version.chronic_truancy or not_bound or share < version.chronic_truancy[0]:
        return []
    label = version.chronic_truancy[1]
    if not version.chronic_requires:
        return [label]
    # The first required step must have been taken; the others only once triggered.
    gate = version.chronic_requires[0]
    still = [s for s in steps if s.step.code in version.chronic_requires and s.applies
             and (s.done_on is None if s.triggered else s.step.code == gate)]
    if not still:
        return [label]
    return [Message(version.chronic_truancy[2], percent=share,
                    steps=tuple(s.step.label for s in still))]
