"""The user's own settings: the language of their screens."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext, refresh
from flask_login import current_user, login_required

from fieldapp.accounts.preferences import SCREEN_LANGUAGES, set_language
from fieldapp.web.helpers import require

bp = Blueprint("account", __name__)


@bp.route("/account/language", methods=["GET", "POST"])
@login_required
def language():
    require("account.language")
    errors, chosen = {}, current_user.language
    if request.method == "POST":
        chosen = request.form.get("language")
        errors = set_language(current_user._get_current_object(), chosen)
        if not errors:
            refresh()  # said in the language just chosen
            flash(gettext("Language saved."), "success")
            return redirect(url_for("account.language"))
    return render_template("account/language.html", languages=SCREEN_LANGUAGES,
                           chosen=chosen, errors=errors), (422 if errors else 200)
