"""Cleaning and checking what people type."""
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2028\u2029\ufeff]")


def strip_controls(value):
    """value without invisible control characters (NUL, escapes, zero-width marks)."""
    return _CONTROL.sub("", value or "")


def clean_text(value, limit, errors, field, label, required=False):
    """Strip invisible control characters; record an error if too long or missing."""
    text = strip_controls(value).replace("\r\n", "\n").strip()
    if required and not text:
        errors[field] = f"{label} is required."
    elif len(text) > limit:
        errors[field] = f"{label} is too long: {len(text):,} characters; keep it under {limit:,}."
    return text


def pick_one(value, allowed, errors, field, label, required=True):
    """One code from a list, or an error naming the field."""
    value = (value or "").strip()
    if not value:
        if required:
            errors[field] = f"Choose the {label.lower()}."
        return None
    if value not in allowed:
        article = "an" if label[:1].lower() in "aeiou" else "a"
        errors[field] = f"Choose {article} {label.lower()} from the list."
        return None
    return value


def pick_many(values, allowed, errors, field, label):
    """Several codes from a list; unknown codes are an error, duplicates dropped."""
    chosen = []
    for value in values or []:
        value = (value or "").strip()
        if not value:
            continue
        if value not in allowed:
            errors[field] = f"Choose {label.lower()} from the list."
            return []
        if value not in chosen:
            chosen.append(value)
    return chosen
