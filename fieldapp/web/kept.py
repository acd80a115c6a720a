"""Pieces of a page that are the same for everyone of a role in a language,
rendered once and kept: the menu, the offline script's texts.

A page's chrome was rebuilt on every request (some forty template calls:
a policy check, an address and a translation per link), about a tenth of
the CPU of a student page. What such a piece shows may depend only on the
key it is kept under, the language and the site's root address: nothing of
one user (their id, a CSRF token) goes in a kept piece.
"""
from flask import current_app, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

EXTENSION = "fieldapp.kept_pieces"


def piece(template, *key):
    """templates/<template> rendered for this request, as markup, kept for the
    next request of the same language, site root and key (a few hashable
    values: a role, an endpoint; each takes a bounded number of values).

    Rendered anew on every call while templates reload (development), so an
    edited template shows at once. Shape: (str, *hashable) -> Markup."""
    app = current_app._get_current_object()
    kept = app.extensions.setdefault(EXTENSION, {})
    full = (template, str(get_locale()), request.script_root, *key)
    text = kept.get(full)
    if text is None:
        text = Markup(render_template(template))
        if not app.jinja_env.auto_reload:
            kept[full] = text
    return text
