"""HTML templates to PDF with WeasyPrint, outside any request.

Documents are rendered from plain facts (strings, numbers, lists) so that what
is printed is exactly what is fingerprinted. WeasyPrint may fetch nothing but
data: URIs, so no text typed by a user can make the server load a file or URL.
"""
import os

import jinja2
from babel.support import Translations

from fieldapp.documents import chart

TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "templates")

TRANSLATIONS = os.path.join(os.path.dirname(TEMPLATES), "translations")

_environment = None
_catalogs = {}


def _catalog(language):
    if language not in _catalogs:
        _catalogs[language] = Translations.load(TRANSLATIONS, [language])
    return _catalogs[language]


def gettext_in(language):
    """gettext(text, **values) in `language` from the app's catalog: what a
    family reads is in their language, whatever the user's screens are in."""
    translations = _catalog(language)

    def gettext(text, **values):
        translated = translations.ugettext(text)
        return translated % values if values else translated
    return gettext


def plurals_in(language):
    """ngettext(singular, plural, num, **values) in `language` from the app's
    catalog (translations/), with the plural forms that language has: letters
    are written in the guardian's language, whatever the user's."""
    translations = _catalog(language)

    def ngettext(singular, plural, num, **values):
        return translations.ungettext(singular, plural, num) % {"num": num, **values}
    return ngettext


def decimal_in(language):
    """decimal(value): a share such as a percentage (9.9) as `language`
    writes it ("9,9" in Spanish), whatever the user's language."""
    from fieldapp.web.i18n import decimal
    return lambda value: decimal(value, language)


def environment():
    """The Jinja environment for documents (autoescaped, strict about typos)."""
    global _environment
    if _environment is None:
        _environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
            undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        # Boards and courts read English; a letter sets its own language's plurals.
        _environment.globals.update(monthly_svg=chart.monthly_svg, chart_legend=chart.legend,
                                    plurals_in=plurals_in, ngettext=plurals_in("en"), decimal_in=decimal_in,
                                    decimal=decimal_in("en"))
    return _environment


def render_html(template, **context):
    return environment().get_template(template).render(**context)


def _layout(html, font_config=None):
    # WeasyPrint is imported when a document is made: loading it (its fonts
    # and text libraries) was a fifth of the start of every process, each
    # `flask` command included.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).render(font_config=font_config)


def html_to_pdf(html):
    """(pdf bytes, page count) for an HTML string."""
    document = _layout(html)
    return document.write_pdf(), len(document.pages)


def render_pdf(template, each=None, laid_out=None, **context):
    """Render a template to (pdf bytes, page count).

    each: the key of a list in context["facts"] whose items are laid out one
    at a time (the template sees a list of one) and joined into one PDF, so
    that each item counts its own pages: the family holding the third letter
    of a batch reads "Page 1 of 1", not "Page 3 of 93". laid_out(done, total),
    when given, hears after each item is laid out, and laid_out(None, None)
    before the joined pages are written (the layout is most of a batch's time)."""
    facts = context.get("facts") or {}
    if not each or len(facts.get(each) or ()) < 2:
        return html_to_pdf(render_html(template, **context))
    laid_out = laid_out or (lambda done, total: None)
    from weasyprint.text.fonts import FontConfiguration
    fonts = FontConfiguration()  # fonts found once for the whole batch (about a third of its CPU)
    items, documents = facts[each], []
    for item in items:
        documents.append(_layout(render_html(template, **{**context, "facts": {**facts, each: [item]}}), fonts))
        laid_out(len(documents), len(items))
    laid_out(None, None)
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf(), len(pages)
