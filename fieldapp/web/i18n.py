"""The screens in the user's language: which one, and saying things in it.

A logged-in user sees the language they chose (User.language); a visitor who
is not logged in, the best of ours their browser asks for. Letters are not
concerned: they follow the guardian's language (fieldapp/documents).
"""
import datetime
import functools

from babel.dates import format_datetime
from babel.numbers import format_decimal
from flask import g, has_request_context, request
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup, escape

from fieldapp import codes
from fieldapp.accounts.preferences import SCREEN_LANGUAGES
from fieldapp.messages import Message, grouped, listed, with_numbers

# strftime formats the templates use -> the same date in CLDR's words, for
# languages other than English (English keeps strftime's exact output).
DATE_PATTERNS = {
    "%b %-d": "d MMM",
    "%b %-d, %Y": "d MMM y",
    "%a %b %-d": "EEE d MMM",
    "%a %b %-d, %Y": "EEE d MMM y",
    "%b %-d, %Y %-I:%M %p": "d MMM y, h:mm a",
    "%-I:%M %p": "h:mm a",
    "%B %Y": "LLLL y",  # a calendar's month: "noviembre 2026" fits where "noviembre de 2026" wraps
}


def select_locale():
    """The user's chosen language, else the browser's best among ours."""
    default = next(iter(SCREEN_LANGUAGES))
    if not has_request_context():
        return default
    if current_user.is_authenticated and current_user.language in SCREEN_LANGUAGES:
        return current_user.language
    return request.accept_languages.best_match(list(SCREEN_LANGUAGES)) or default


def catalog():
    """The translations of this request's language. flask-babel finds them anew
    on every call (five look-ups of the request's context), and a page says a
    few hundred words: they are kept, once found, in the slot flask-babel itself
    empties when the language changes (refresh, force_locale)."""
    try:
        here = g._get_current_object()
    except RuntimeError:  # outside a request: flask-babel's own answer
        return get_translations()
    found = getattr(getattr(here, "_flask_babel", None), "babel_translations", None)
    if found is None:
        found = get_translations()  # makes g._flask_babel
        here._flask_babel.babel_translations = found
    return found


def install(jinja_env):
    """Templates' _(), gettext(), ngettext(), pgettext() and npgettext() through
    catalog(), as Jinja's new-style gettext says them (the values filled in,
    escaped; always read as a format string, so "%%" is "%") with one full
    stop where a value ends a sentence (one_full_stop).

    Each is one call: Jinja's own goes through its _() alias, a wrapper and
    the function it wraps, each called through the template's context, and a
    page says some fifty to a hundred and twenty words."""
    jinja_env.install_gettext_callables(  # Jinja's: the {% trans %} tags as new-style calls
        gettext=lambda s: catalog().ugettext(s), ngettext=lambda s, p, n: catalog().ungettext(s, p, n),
        pgettext=lambda c, s: catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalog().unpgettext(c, s, p, n), newstyle=True)

    # Their own arguments are positional only: a template may give a value named num or context.
    def said(context, text, given, values):
        values = _decimals(values)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        if any(grouped(value) for value in values.values()):
            text = with_numbers(text, values, number, _same)
        else:
            text = text % values
        return one_full_stop(text, given.values()) if given else text

    @pass_context
    def gettext(context, string, /, **values):
        return said(context, catalog().ugettext(string), values, values)

    @pass_context
    def ngettext(context, singular, plural, number, /, **values):
        return said(context, catalog().ungettext(singular, plural, number), values, {"num": number, **values})

    @pass_context
    def pgettext(context, string_context, string, /, **values):
        return said(context, catalog().upgettext(string_context, string), values,
                    {"context": string_context, **values})

    @pass_context
    def npgettext(context, string_context, singular, plural, number, /, **values):
        return said(context, catalog().unpgettext(string_context, singular, plural, number), values,
                    {"context": string_context, "num": number, **values})

    jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext,
                             npgettext=npgettext)


def gettext(string, **values):
    """flask_babel's gettext for the views' own words (flash messages, page
    titles), saying whole numbers as translate and the templates do: a count
    of 1,341 handed over reads "1,341" in English, "1.341" in Spanish."""
    text = catalog().ugettext(string)
    return with_numbers(text, values, number, _same) if values else text


def pgettext(context, string, **values):
    """gettext of a word whose translation depends on its context ("date range": "To" is "Hasta")."""
    text = catalog().upgettext(context, string)
    return with_numbers(text, values, number, _same) if values else text


def ngettext(singular, plural, num, **values):
    """flask_babel's ngettext (num is %(num)s unless given), whole numbers said as gettext says them."""
    values.setdefault("num", num)
    return with_numbers(catalog().ungettext(singular, plural, num), values, number, _same)


def one_full_stop(text, values):
    """text, a sentence made with values, without a double full stop where a
    value that ends in one ends a sentence: a Spanish time ends in "a. m."
    and "Iniciado 1 dic 2026, 2:35 a. m.. Puede…" read wrong."""
    for value in values:
        if isinstance(value, str) and value.endswith(".") and not value.endswith(".."):
            text = text.replace(value + ".", value)
    return text


def translate(value, say=None):
    """A Message from the logic layer, or a label from a code list, in the user's language.

    What the catalog lacks stays in the English the logic composed. say (see
    _value) says each of a Message's values."""
    if not isinstance(value, Message):
        # gettext("") would answer the catalog's header.
        return catalog().ugettext(value) if isinstance(value, str) and value else value
    words = catalog()
    # English has no catalog; a translation may read as its msgid ("%(count)s %(unit)s").
    known = getattr(words, "_catalog", {})
    if value.plural is None and value.msgid in known:
        text = words.ugettext(value.msgid)
    elif value.plural is not None and (value.msgid, 0) in known:
        text = words.ungettext(value.msgid, value.plural, value.n)
    else:
        return str(value)
    say = say or _value
    said = with_numbers(text, value.values, number, say)
    return one_full_stop(said, [say(item) for item in value.values.values()])


def file_words(value):
    """What an import says about a district's file, in the user's language:
    its names (the file's, a column's, a cell's text) said as written, never
    taken for words to translate (a column "school" is no "escuela")."""
    return translate(value, _as_written) if isinstance(value, Message) else translate(value)


def _as_written(item):
    if type(item) is float:  # a number the import worked out (a day's shares), not the file's text
        return decimal(item)
    if isinstance(item, datetime.date):
        return local_date(item, "%b %-d, %Y")
    if isinstance(item, tuple):
        return listed(str(_as_written(part)) for part in item)
    return translate(item, _as_written) if isinstance(item, Message) else item


def _same(value):
    return value


def number(value):
    """A whole number as the reader's language writes it ("1,341"; "1.341" in
    Spanish): every number a page or a message puts into words."""
    if value is None or isinstance(value, bool):
        return value
    locale = get_locale()
    return format_decimal(value, locale=locale) if locale is not None else f"{value:,}"


def decimal(value, language=None):
    """A share such as a percentage (9.9) with its one decimal as the reader's
    language writes it: "9.9" in English, "9,9" in Spanish. language (a
    locale code such as "es") when given, else the page's; None and bools
    are given back as they are."""
    if value is None or isinstance(value, bool):
        return value
    locale = language or (get_locale() if has_request_context() else None)
    return format_decimal(value, "#,##0.0##", locale=locale or "en")


def _decimals(values):
    """values with each float said by decimal (a percentage: "9,9" in Spanish)."""
    if not any(type(value) is float for value in values.values()):
        return values
    return {key: decimal(value) if type(value) is float else value for key, value in values.items()}


def _value(item):
    """A value of a Message in the user's language: a date in their words, a
    tuple of labels as one list ("a, b"), a float its decimal as the reader
    writes it, anything else through translate."""
    if type(item) is float:
        return decimal(item)
    if isinstance(item, datetime.date):
        return local_date(item, "%b %-d, %Y")
    if isinstance(item, tuple):  # labels, or dates
        return listed(str(_value(part)) for part in item)
    return translate(item)


def label(kind, code):
    """The label of a code, in the user's language (see fieldapp.codes)."""
    return translate(codes.label(kind, code))


def choices(kind):
    """(code, label) pairs of a code list, labels in the user's language."""
    return [(code, translate(text)) for code, text in codes.choices(kind)]


def local_date(value, fmt):
    """value formatted by the strftime fmt, or in CLDR's words outside English."""
    locale = get_locale()
    pattern = DATE_PATTERNS.get(fmt)
    if locale is None or locale.language == "en" or pattern is None:
        return value.strftime(fmt)
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    return format_datetime(value, pattern, locale=locale)


def say_days(months, excused_days=frozenset()):
    """Give each Day of a year's months (rules.yearview) its words for a
    screen reader and tooltip, "Sep 3: Present", in the user's language, and
    each Month its weeks as table cells (Month.rows: one piece of HTML per
    week), a day covered by an excuse note (a date in excused_days) marked so.
    A year has some 300 days but a handful of different words: each is
    translated and escaped once (every piece of a cell is escaped: none is markup), and the locale is looked up once. The cells
    are made here as plain strings, not by a loop of the template over every
    day nor by Markup's escaping per piece: they were a fifth of the student
    page's time."""
    locale = get_locale()
    language = None if locale is None or locale.language == "en" else str(locale)
    words = {}  # what a day says (a label) -> (its words, escaped)
    kinds = {}  # a day's kind -> the same escaped, as its cell's class
    noted_words = str(escape(" · " + catalog().ugettext("excuse note")))  # a translation is text, never markup
    for month in months:
        month.rows = []
        for week in month.weeks:
            cells = []
            for day in week:
                if day is None:
                    cells.append(_EMPTY_CELL)
                    continue
                key = day.what if isinstance(day.what, str) else None
                found = words.get(key) if key is not None else None
                if found is None:
                    what = str(translate(day.what))
                    found = (what, str(escape(what)))
                    if key is not None:
                        words[key] = found
                when, escaped = _short_day(language, day.date)
                day.said = f"{when}: {found[0]}"
                said = escaped + ": " + found[1]
                kind = kinds.get(day.kind)
                if kind is None:
                    kind = kinds[day.kind] = str(escape(day.kind))
                if day.date in excused_days:
                    cells.append(_NOTED_CELL % (kind, said + noted_words, day.date.day, said + noted_words))
                else:
                    cells.append(_CELL % (kind, said, day.date.day, said))
            month.rows.append(Markup("".join(cells)))
    return months


@functools.lru_cache(maxsize=4096)
def _short_day(language, day):
    """A calendar's day as local_date(day, "%b %-d") says it in language (None:
    English), and the same escaped for HTML: ("Sep 3", "Sep 3"), ("3 sept", ...).
    The same few hundred days are on every student page of a year, and CLDR's
    formatting costs some 30 µs a day."""
    if language is None:
        when = day.strftime("%b %-d")
    else:
        when = format_datetime(datetime.datetime.combine(day, datetime.time()), DATE_PATTERNS["%b %-d"],
                               locale=language)
    return when, str(escape(when))


# One day of templates/students/_attendance_calendar.html's months; a kind is a
# css class of ours (rules.yearview.KINDS), the words are escaped before.
_EMPTY_CELL = "<td></td>"
_CELL = '<td class="day %s" title="%s"><span aria-hidden="true">%d</span><span class="vh">%s</span></td>'
_NOTED_CELL = ('<td class="day %s noted" title="%s"><span aria-hidden="true">%d</span>'
               '<span class="vh">%s</span></td>')


def screen_language():
    """The language code of this page, for <html lang>."""
    locale = get_locale()
    return locale.language if locale else next(iter(SCREEN_LANGUAGES))


def offline_text():
    """The texts the offline script writes on the page (templates/sync/_text.html)
    in the reader's language, as markup. They are the same on every page in one
    language, so each language's is rendered once (again on every page while
    templates reload, in development): fieldapp.web.kept."""
    from fieldapp.web import kept
    return kept.piece("sync/_text.html")
