"""Stages the law ties to a record, and closing a case the law is not done with.

"First notice sent" and "Board referral" say that a written notice went to
the family (EC 48260.5, 48263; the other states' notices alike). Such a stage
is set only with that letter on file, or on purpose with "recorded without a
letter on file" (a notice sent on paper before the app, say), which every
place showing the stage then repeats. Closing a case while the state's rule
set still has overdue steps, or while the student is a habitual truant, asks
for a confirmation and the reason, kept in the case's history.
"""
from fieldapp.messages import Message
from fieldapp.models import Letter
from fieldapp.rules.standing import standing_of

# stage -> the kind of letter (fieldapp.documents.letter_templates.KINDS) that shows it
STAGE_LETTERS_REQUIRED = {"first_notice": "first_notice", "referral": "referral_notice"}
WITHOUT_RECORD = "recorded without a letter on file"
YES = ("yes", "on", "1", "true")


def letter_on_file(case, stage):
    """True when the case has the letter `stage` stands for (or needs none)."""
    kind = STAGE_LETTERS_REQUIRED.get(stage)
    return kind is None or (case.id is not None and Letter.select().where(
        (Letter.case == case) & (Letter.kind == kind)).exists())


def check_stage_record(case, stage, form, errors):
    """Whether `stage` is being set without its letter on file; adds an error
    unless the form says so on purpose (without_record=yes)."""
    if stage is None or letter_on_file(case, stage):
        return False
    if (form.get("without_record") or "").lower() not in YES:
        errors["without_record"] = Message(
            "No letter of this step is on file for this case. Make the letter first, or tick "
            "“Recorded without a letter on file” and say why in the note.")
    return True


def outstanding_items(settings, case, today):
    """What the law still asks on this case, for a page to show in its reader's language:
    a list of (label, statute, due_on) tuples, one per overdue step of the state's rule
    set (label in the rule set's English, statute as cited, due_on a date), then
    (status label, None, None) for a habitual-truant status."""
    if settings is None:
        return []
    result = standing_of(settings, case.student, today)
    items = [(step.step.label, step.step.statute, step.due_on) for step in result.steps if step.overdue(today)]
    if result.status is not None and "habitual" in result.status.code:
        items.append((result.status.label, None, None))
    return items


def check_closing(settings, case, form, errors, today):
    """The outstanding steps (outstanding_items) when closing needs a
    confirmation; adds errors unless the form confirms (confirm_legal=yes)
    and says why (closure_note)."""
    lines = outstanding_items(settings, case, today)
    if lines:
        if (form.get("confirm_legal") or "").lower() not in YES:
            errors["confirm_legal"] = Message(
                "The law still asks for steps on this case. Tick to confirm closing it anyway.")
        if not (form.get("closure_note") or "").strip():
            errors["closure_note"] = Message("Say why the case closes with these steps outstanding.")
    return lines
