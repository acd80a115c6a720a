"""What a printed desk list says above its table: on paper the filter form is
gone, so the sheet names the filters it was printed with and the day."""
from flask_login import current_user

from fieldapp.cases import caselist
from fieldapp.messages import N_
from fieldapp.documents.letter_templates import KINDS as LETTER_KINDS
from fieldapp.models import School, Student, User
from fieldapp.web import i18n
from fieldapp.web.helpers import user_today
from fieldapp.web.i18n import gettext, pgettext

_STATUSES = {"open": N_("Open"), "closed": N_("Closed"), "all": N_("Open or closed")}
# filter key -> (its label, the code list its value is a code of)
_CODED = {"stage": (N_("Stage"), "stage"), "flag": (N_("Circumstance"), "flag"),
          "band": (N_("Chronic absence"), "band"), "method": (N_("Method"), "method"),
          "outcome": (N_("Outcome"), "outcome"), "reason": (N_("Reason"), "reason")}


def _name(model, key, value, words):
    if key == "officer" and value == caselist.NOBODY:
        return gettext("Unassigned")
    row = model.get_or_none(model.id == value)
    return words(row) if row else str(value)


def filters_in_words(filters, sort=None, steps=None):
    """[(label, value)], both translated, of the filters a list was shown with
    (the dict its parse_filters returned: ids for school, officer and student,
    codes for the rest, ISO dates; a key whose value is None is no filter);
    sort (a key of caselist.SORTS) is said last. steps: {step code: label}
    of the worklist's rule version, to name its step filter (its code
    otherwise). Keys it does not know are left out. Never raises."""
    words = []
    for key, value in filters.items():
        if value is None or value == "":
            continue
        if key in _WORKLIST:
            words.append(_worklist_words(key, value, steps or {}))
        elif key == "school":
            words.append((gettext("School"), _name(School, key, value, lambda s: s.name)))
        elif key == "officer":
            words.append((gettext("Officer"), _name(User, key, value, lambda u: u.name)))
        elif key == "student":
            words.append((gettext("Student"), _name(Student, key, value,
                                                    lambda s: f"{s.last_name}, {s.first_name}")))
        elif key in _CODED:
            text, kind = _CODED[key]
            words.append((i18n.translate(text), i18n.label(kind, value)))
        elif key == "status":
            words.append((gettext("Status"), i18n.translate(_STATUSES.get(value, value))))
        elif key == "follow_up":
            words.append((gettext("Follow-up"), i18n.translate(caselist.FOLLOW_UPS.get(value, value))))
        elif key == "new":
            words.append((gettext("Handed over"), i18n.translate(caselist.NEW_TO_OFFICER.get(value, value))))
        elif key == "kind":
            words.append((gettext("Kind"), i18n.translate(LETTER_KINDS.get(value, value))))
        elif key in ("date_from", "date_to"):
            text = i18n.local_date(value, "%b %-d, %Y") if hasattr(value, "strftime") else str(value)
            name = pgettext("date range", "From") if key == "date_from" else pgettext("date range", "To")
            words.append((name, text))
    if sort:
        words.append((gettext("Sort by"), i18n.translate(caselist.SORTS[sort][0])))
    return words


# The worklist's own narrowing (fieldapp.rules.worklist.parse_narrowing).
_WORKLIST = ("section", "due", "step")


def _worklist_words(key, value, steps):
    from fieldapp.rules import worklist
    if key == "section":
        return gettext("Section"), i18n.translate(worklist.SECTIONS.get(value, value))
    if key == "due":
        return gettext("Due"), gettext("This week (the next 7 days)") if value == "week" else str(value)
    return gettext("Step"), i18n.translate(steps.get(value, value))


def printed_day():
    """Today in the zone of the signed-in user's schools (a date)."""
    return user_today(current_user)
