"""What the logic layer says to people, in English, ready to be translated.

Logic never imports Flask, so it cannot know who reads its messages or in
which language. It says them in English and keeps how to say them again:
a Message is the English text (a plain str to logs, JSON, tests and
exceptions) that also carries its catalog id and values. The web layer
(fieldapp/web/i18n.py) shows it in the user's language.

N_ marks a string for extraction into the catalog without translating it;
the string is translated where it is shown.

A value may be a date (said as "Jul 1, 2025"), a tuple of labels (said as
one list, "a, b") or a whole number (said "5,000" in English, "5.000" in
Spanish); the web layer says each in the user's language.
"""
import datetime
import functools
import re


def N_(msgid):
    """Mark msgid for the translation catalog; returns it unchanged."""
    return msgid


def NP_(singular, plural):
    """Mark a singular and plural pair for the catalog's plural forms; returns
    (singular, plural) unchanged, to be said with plural_message once the
    number is known."""
    return (singular, plural)


class Message(str):
    """English text plus the catalog id and values to translate it from.

    `english` is given when the English wording is not simply msgid % values
    (a lower-cased field label, "a" or "an"); translations then start from
    msgid. With `plural` and `n`, the catalog's plural forms are used.
    """

    def __new__(cls, msgid, english=None, plural=None, n=None, **values):
        if english is None:
            text = plural if plural is not None and n != 1 else msgid
            english = with_numbers(text, values, "{:,}".format) if values else text
        message = super().__new__(cls, english)
        message.msgid, message.plural, message.n, message.values = msgid, plural, n, values
        return message


def plural_message(singular, plural, n, **values):
    """A Message whose wording depends on the number n (one minute, 2 minutes)."""
    return Message(singular, plural=plural, n=n, **values)


def grouped(value):
    """Whether value is a whole number a language writes with digit groups (1,000 or more, either sign)."""
    return type(value) is int and not -1000 < value < 1000  # smaller ones read alike in every language


@functools.lru_cache(maxsize=512)
def _as_text(text, keys):
    """text with %(key)d of each of keys written %(key)s, to take a number already said."""
    return re.sub(r"%\((\w+)\)d", lambda m: f"%({m[1]})s" if m[1] in keys else m[0], text)


def with_numbers(text, values, say_number, say=None):
    """text % values, each whole number of 1,000 or more said by say_number
    (int -> str: the reader's digit grouping, "1,341" or "1.341") whether text
    writes it %(name)s or %(name)d; say (value -> value) says the others
    (default: as English says them). One rule for every message and page."""
    say = say or _english
    big = tuple(sorted(key for key, value in values.items() if grouped(value)))
    if big:  # the same type back: markupsafe's Markup still escapes what it takes
        text = type(text)(_as_text(str(text), big))
    return text % {key: say_number(value) if key in big else say(value) for key, value in values.items()}


def _english(value):
    if isinstance(value, datetime.date):
        return f"{value:%b %-d, %Y}"
    if isinstance(value, tuple):  # labels, or dates
        return listed(str(_english(part)) for part in value)
    return value


def listed(parts):
    """Items said as one list: "a, b", or "a; b" when an item holds a comma itself (a date "Nov 16,
    2026", a name "García, María"), so that where one ends and the next begins stays plain."""
    parts = list(parts)
    return ("; " if any("," in part for part in parts) else ", ").join(parts)
