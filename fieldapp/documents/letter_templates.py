"""Letter templates: each a versioned text with the date it takes effect.

A letter dated on or after a version's effective date uses that version (the
newest such), so a statute's change is a new version, never an edit: letters
already sent keep saying what they said. Bodies live in
templates/letters/<id>-v<version>.<language>.html.
"""
import datetime
from dataclasses import dataclass

LANGUAGES = {"en": "English", "es": "Español"}

KINDS = {
    # One kind for the first notice and the reports the law asks again after
    # it (EC 48261, 48262): its name must fit each of those steps.
    "first_notice": "Truancy notification",
    "conference_invitation": "Invitation to an attendance conference",
    "referral_notice": "Notice of referral to the attendance review board",
}

# The case stage whose arrival calls for each letter.
STAGE_LETTERS = {"first_notice": "first_notice", "conference": "conference_invitation",
                 "referral": "referral_notice"}


@dataclass(frozen=True)
class LetterTemplate:
    id: str
    kind: str
    version: int
    effective_from: datetime.date
    states: tuple  # state codes, or ("*",) for any state
    source: str
    titles: dict  # language -> title printed on the letter

    def body(self, language):
        return f"letters/{self.id}-v{self.version}.{language}.html"


TEMPLATES = (
    # The pre-SB 691 text of EC 48260.5; the app holds no letter older than it.
    LetterTemplate("ca-first-notice", "first_notice", 1, datetime.date(2000, 1, 1), ("CA",),
                   "Education Code 48260.5 (text in force until 30 June 2025)",
                   {"en": "Notification of truancy", "es": "Notificación de ausentismo escolar"}),
    # SB 691 (Stats. 2024, ch. 863): prosecution and "attend class with your
    # child" removed; support services and the 10% research added.
    LetterTemplate("ca-first-notice", "first_notice", 2, datetime.date(2025, 7, 1), ("CA",),
                   "Education Code 48260.5 as amended by SB 691, operative 1 July 2025",
                   {"en": "Notification of truancy", "es": "Notificación de ausentismo escolar"}),
    LetterTemplate("ca-sarb-referral", "referral_notice", 1, datetime.date(2000, 1, 1), ("CA",),
                   "Education Code 48263",
                   {"en": "Notice of referral to the School Attendance Review Board",
                    "es": "Aviso de remisión a la Junta de Revisión de Asistencia Escolar (SARB)"}),
    LetterTemplate("attendance-notice", "first_notice", 1, datetime.date(2000, 1, 1), ("*",),
                   "State attendance law; district practice",
                   {"en": "Notice of unexcused absences", "es": "Aviso de ausencias injustificadas"}),
    LetterTemplate("conference-invitation", "conference_invitation", 1, datetime.date(2000, 1, 1),
                   ("*",), "District practice",
                   {"en": "Invitation to an attendance conference",
                    "es": "Invitación a una reunión sobre la asistencia"}),
    LetterTemplate("referral-notice", "referral_notice", 1, datetime.date(2000, 1, 1), ("*",),
                   "State attendance law; district practice",
                   {"en": "Notice of referral for continued absences",
                    "es": "Aviso de remisión por ausencias continuas"}),
)


class NoTemplate(LookupError):
    """No template of this kind is in force on that date."""


def template_for(state, kind, on_date):
    """The template version in force on on_date for state's letter of kind;
    a state's own template is preferred to the general one."""
    state = (state or "").upper()
    for wanted in (state, "*"):
        versions = [t for t in TEMPLATES if t.kind == kind and wanted in t.states
                    and t.effective_from <= on_date]
        if versions:
            return max(versions, key=lambda t: t.effective_from)
    raise NoTemplate(f"no {kind} letter in force on {on_date} for {state}")


def source_of(template_id, version):
    """What a stored letter's template says it implements ("" if unknown)."""
    for template in TEMPLATES:
        if (template.id, template.version) == (template_id, version):
            return template.source
    return ""


def title_of(template_id, version, language="en"):
    """The title a stored letter's template prints ("Notification of truancy"),
    in language; the template's id when no template has that id and version."""
    for template in TEMPLATES:
        if (template.id, template.version) == (template_id, version):
            return template.titles.get(language) or template.titles["en"]
    return template_id


def language_for(guardian):
    """The guardian's preferred language when a letter exists in it, else English."""
    language = getattr(guardian, "preferred_language", "") or ""
    return language if language in LANGUAGES else "en"
