"""Recording that the letters of a batch went out: one method and time for
all of them at once, with the exceptions left for later.

After a mailing of 93 letters the officer records it once; a letter held
back or sent another way is unticked and keeps its own "record sending" form.
"""
from fieldapp.db import database
from fieldapp.documents.letters import LetterError, parse_sent, sent_detail
from fieldapp.messages import Message
from fieldapp.models import AuditEvent, Letter, utcnow


def record_batch_sent(user, batch, form, now=None):
    """Record one sending (form: sent_how, sent_at, and "letter", the ids of
    the letters ticked as sent this way, as strings) for each letter of
    `batch` (a list of Letter) ticked and not yet recorded as sent. Returns
    (recorded, left): the Letters this call recorded (not those another user
    recorded meanwhile: only these get an audit line) and those left unticked. Raises
    LetterError (field -> message) when nothing is ticked or the method or
    time is wrong; then nothing is recorded."""
    now = now or utcnow()
    unsent = [letter for letter in batch if not letter.is_sent]
    ticked = {str(value) for value in form.get("letter") or ()}
    chosen = [letter for letter in unsent if str(letter.id) in ticked]
    errors = {}
    if not unsent:
        errors["letter"] = Message("Every letter of this batch is already recorded as sent.")
    elif not chosen:
        errors["letter"] = Message("Tick the letters that went out this way.")
    try:
        how, when = parse_sent(form, max(chosen or unsent or batch, key=lambda x: x.generated_at), now)
    except LetterError as error:
        errors = {**error.errors, **errors}
    if errors:
        raise LetterError(errors)
    with database.atomic():
        recorded = [letter for letter in chosen if _mark_sent(letter, how, when, user)]
        if recorded:
            AuditEvent.insert_many([
                {"user": user.id, "action": "letter.sent", "object_type": "letter", "object_id": str(letter.id),
                 **sent_detail(how, when, batch=True), "at": now}
                for letter in recorded]).execute()
    for letter in recorded:
        letter.sent_how, letter.sent_at, letter.sent_recorded_by = how, when, user
    return recorded, [letter for letter in unsent if letter not in chosen]


def _mark_sent(letter, how, when, user):
    """Record the sending of one letter unless it is recorded already (by
    another user since the page was read); True when this call recorded it.
    One statement per letter, so its row count says which were ours on every engine."""
    return Letter.update(sent_how=how, sent_at=when, sent_recorded_by=user).where(
        (Letter.id == letter.id) & Letter.sent_at.is_null()).execute() == 1
