"""Cleaning and checking what people type.

Errors are Messages (fieldapp.messages): English here, the user's language on
screen. A field's label is passed as its callers show it ("Method"); English
lower-cases it inside a sentence, translations quote it as it is.
"""
import re

from fieldapp.messages import Message

# A label that is a question ("How it was sent", "Who is signing") takes no article in English.
_QUESTION = re.compile(r"(how|who|what|which|when|where|why)\b", re.I)
# Also the direction overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069): one in a
# note turned the rest of the history line around on screen. The marks a right-to-left name may
# need (U+200E, U+200F) are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069]")


def strip_controls(value):
    """value without invisible control characters (NUL, escapes, zero-width
    marks, direction overrides)."""
    return _CONTROL.sub("", value or "")


def clean_text(value, limit, errors, field, label, required=False):
    """Strip invisible control characters; record an error if too long or missing."""
    text = strip_controls(value).replace("\r\n", "\n").strip()
    if required and not text:
        errors[field] = Message("%(label)s is required.", label=Message(label))
    elif len(text) > limit:
        errors[field] = Message("%(label)s is too long: %(count)s characters; keep it under %(limit)s.",
                                label=Message(label), count=len(text), limit=limit)
    return text


def pick_one(value, allowed, errors, field, label, required=True):
    """One code from a list, or an error naming the field."""
    value = (value or "").strip()
    if not value:
        if required:
            english = f"Choose {_named(label)}."
            # TRANSLATORS: label is the field's name as the form shows it, e.g. "Method".
            errors[field] = Message("Choose the %(label)s.", english=english, label=Message(label))
        return None
    if value not in allowed:
        english = f"Choose {_named(label, 'a')} from the list."
        # TRANSLATORS: label is the field's name as the form shows it, e.g. "Outcome".
        errors[field] = Message("Choose a %(label)s from the list.", english=english,
                                label=Message(label))
        return None
    return value


def _named(label, article="the"):
    """label inside an English sentence: "the method", "an outcome", "how it was sent"."""
    if _QUESTION.match(label):
        return label.lower()
    if article == "a" and label[:1].lower() in "aeiou":
        article = "an"
    return f"{article} {label.lower()}"


def pick_many(values, allowed, errors, field, label):
    """Several codes from a list; unknown codes are an error, duplicates dropped."""
    chosen = []
    for value in values or []:
        value = (value or "").strip()
        if not value:
            continue
        if value not in allowed:
            english = f"Choose {label.lower()} from the list."
            # TRANSLATORS: label is the field's name as the form shows it, e.g. "Reasons".
            errors[field] = Message("Choose %(label)s from the list.", english=english,
                                    label=Message(label))
            return []
        if value not in chosen:
            chosen.append(value)
    return chosen
