"""What the logic layer says to people, in English, ready to be translated.

Logic never imports Flask, so it cannot know who reads its messages or in
which language. It says them in English and keeps how to say them again:
a Message is the English text (a plain str to logs, JSON, tests and
exceptions) that also carries its catalog id and values. The web layer
(fieldapp/web/i18n.py) shows it in the user's language.

N_ marks a string for extraction into the catalog without translating it;
the string is translated where it is shown.

A value may be a date (said as "Jul 1, 2025") or a tuple of labels (said as
one list, "a, b"); the web layer says both in the user's language.
"""
import datetime


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
            english = text % {key: _english(value) for key, value in values.items()} if values else text
        message = super().__new__(cls, english)
        message.msgid, message.plural, message.n, message.values = msgid, plural, n, values
        return message


def plural_message(singular, plural, n, **values):
    """A Message whose wording depends on the number n (one minute, 2 minutes)."""
    return Message(singular, plural=plural, n=n, **values)


def _english(value):
    if isinstance(value, datetime.date):
        return f"{value:%b %-d, %Y}"
    if isinstance(value, tuple):
        return ", ".join(value)
    return value
