"""What the app itself writes in a contact's notes, in the reader's language.

The contact that logs a letter the app made says which letter, template and
language, and to whom. It is stored as a code and its values
(Contact.notes_code, notes_values: JSON, made by said()), never as an English
sentence; Contact.notes keeps only what a person typed. said_in_notes() gives
it back as a Message the web layer says in the reader's language, an export
in its requester's. Contacts are never edited: those stored before the code
(migration 0705) keep the English sentence the app wrote, which is
recognised here where it reads exactly as written, and shown as typed
where it does not."""
import json
import re

from fieldapp import codes
from fieldapp.documents.letter_templates import KINDS
from fieldapp.messages import Message, N_

# Contact.notes_code -> what it says. Values: kind (letter_templates.KINDS),
# template, version, language (codes.LANGUAGES) and guardian (a name).
NOTES = {
    "letter": N_("%(kind)s (%(template)s v%(version)s, %(language)s) to %(guardian)s."),
    "letter_to_nobody": N_("%(kind)s (%(template)s v%(version)s, %(language)s)."),
}

# The sentence the app wrote before the code (fieldapp.documents.letters, until 0705).
_LANGUAGE_CODES = {text: code for code, text in codes.LANGUAGES.items()}
_KIND_CODES = {text: code for code, text in KINDS.items()}
_WRITTEN = re.compile(r"(?P<kind>%s) \((?P<template>[^ ()]+) v(?P<version>\d+), (?P<language>%s)\)"
                      r"(?: to (?P<guardian>.+))?\.\Z" % ("|".join(map(re.escape, _KIND_CODES)),
                                                         "|".join(map(re.escape, _LANGUAGE_CODES))), re.S)


def said(code, **values):
    """The Contact fields of notes the app says itself, code a key of NOTES:
    log_contact(..., {**clean, **said("letter", kind=..., ...)})."""
    if code not in NOTES:
        raise KeyError(code)
    return {"notes_code": code, "notes_values": json.dumps(values, ensure_ascii=False)}


def letter_notes(kind, template_id, version, language, guardian_name=""):
    """said() of the contact that logs a letter: kind (KINDS), its template's
    id and version, its language (a codes.LANGUAGES code), to whom (a name)."""
    values = {"kind": kind, "template": template_id, "version": version, "language": language}
    if guardian_name:
        return said("letter", guardian=guardian_name, **values)
    return said("letter_to_nobody", **values)


def said_in_notes(contact):
    """(notes a person typed, Message of what the app wrote or None) of a
    Contact (or any object with method, notes, notes_code, notes_values)."""
    code = getattr(contact, "notes_code", "") or ""
    if code in NOTES:
        return contact.notes or "", _message(code, json.loads(contact.notes_values or "{}"))
    found = _WRITTEN.match(contact.notes or "") if contact.method == "letter" else None
    if found is None:
        return contact.notes or "", None
    values = {"kind": _KIND_CODES[found["kind"]], "template": found["template"],
              "version": int(found["version"]), "language": _LANGUAGE_CODES[found["language"]]}
    if found["guardian"]:
        return "", _message("letter", {**values, "guardian": found["guardian"]})
    return "", _message("letter_to_nobody", values)


def _message(code, values):
    """The Message of NOTES[code]: the kind and language said as their labels
    (a one-label tuple: translated where said), the rest as stored."""
    said_values = dict(values)
    if "kind" in said_values:
        said_values["kind"] = (KINDS.get(said_values["kind"], said_values["kind"]),)
    if "language" in said_values:
        said_values["language"] = (codes.label("language", said_values["language"]),)
    return Message(NOTES[code], **said_values)


def notes_text(contact, say=str):
    """A contact's notes as one text: what a person typed, then what the app
    wrote, said by say (Message -> text; str: English)."""
    typed, app = said_in_notes(contact)
    return "\n".join(part for part in (typed, str(say(app)) if app is not None else "") if part)
