"""A write form is done once. Every form the csrf() macro fills carries a
form key made when the page was shown; the key with what the form says is
stored as the form is sent. The same form sent again (a double click, a
browser that sent it twice, a queue of requests) is not done again: it is
answered with what the first did (its messages, then "already sent") at the
address the first went to. The same key with other content (the page shown
again after Back, changed and sent) is a new form."""
import datetime
import hashlib
import json
import time
import uuid

from flask import Response, abort, flash, g, message_flashed, redirect, render_template_string, request
from flask_login import current_user
from peewee import IntegrityError, OperationalError

from fieldapp.db import database
from fieldapp.models import SentForm, utcnow
from fieldapp.web.i18n import gettext

# A repeat comes within seconds; a form sent the same way much later (an old
# tab) is sent again on purpose.
KEPT = datetime.timedelta(minutes=10)
# How long a repeat waits for the first copy to be done before saying so.
WAIT_SECONDS = 10


def new_key():
    return uuid.uuid4().hex


def _digest(user_id):
    fields = sorted((k, v) for k, v in request.form.items(multi=True) if k != "csrf_token")
    text = json.dumps([user_id, request.path, fields], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _claim(digest):
    """True when this request is the first to send the form."""
    try:
        with database.atomic():
            SentForm.insert(digest=digest, user=current_user.id, sent_at=utcnow()).execute()
        return True
    except IntegrityError:
        return False


def _repeat(digest):
    """The answer to a form sent again: what the first copy did, once it is done."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        first = SentForm.get_or_none(SentForm.digest == digest)
        if first is not None and first.sent_at < utcnow() - KEPT:
            # Sent longer ago than a repeat comes, and not yet removed by the
            # hourly clean-up: an old tab sending it again on purpose.
            SentForm.delete().where((SentForm.digest == digest) & (SentForm.sent_at == first.sent_at)).execute()
            first = None
        if first is None:  # the first failed or was refused: this copy is tried in its turn
            return None if _claim(digest) else _repeat(digest)
        if first.location and first.page is not None:
            return _page_again(first)
        if first.location:
            for category, message in json.loads(first.messages or "[]"):
                flash(message, category)
            flash(_already_sent(), "info")
            return redirect(first.location, 303)
        time.sleep(0.1)
    abort(409, description=gettext("This form was sent twice and the first is still being saved. "
                                   "Reload the page in a moment to see what was saved."))


def _already_sent():
    return gettext("This form had already been sent: what it did is said above. Nothing was done twice.")


# Where the base page's messages end (templates/base.html).
MESSAGES_END = "<!--/messages-->"


def _page_again(first):
    """The page a form answered in place (its messages and what it listed: the
    cases left, each with why), shown again with "already sent" below its
    messages, at the address it was shown at."""
    note = render_template_string('<p class="flash info" role="status">{{ said }}</p>', said=_already_sent())
    page = first.page.replace(MESSAGES_END, note + MESSAGES_END, 1)
    g.shown_at = first.location
    return Response(page, 200, mimetype="text/html")


def forget_old(user_id=None, now=None):
    """Remove the forms sent longer than KEPT ago (of one user, or everyone's):
    what they said may name a student, and no repeat comes that late."""
    query = SentForm.delete().where(SentForm.sent_at < (now or utcnow()) - KEPT)
    if user_id is not None:
        query = query.where(SentForm.user == user_id)
    return query.execute()


def this_address():
    """The address of the page being shown, with its query: a form's action.
    A form without one is sent by HTMX to the address in the bar when it
    goes, and a second click queued behind the first went to the page the
    first one's answer put there (the student's page: "Not allowed")."""
    return request.full_path.rstrip("?")


def init(app):
    app.jinja_env.globals.update(new_form_key=new_key, this_address=this_address)

    @app.before_request
    def _once():
        if request.method != "POST" or not request.form.get("form_key") or not current_user.is_authenticated:
            return None
        # Old forms are removed by the hourly job (forget_old), not on every
        # form sent: a DELETE per request for what a repeat almost never meets.
        digest = _digest(current_user.id)
        if not _claim(digest):
            answer = _repeat(digest)
            if answer is not None:
                return answer
        g.sent_form, g.flashed = digest, []
        return None

    @message_flashed.connect_via(app)
    def _said(sender, message, category, **extra):
        if "flashed" in g:
            g.flashed.append([category, str(message)])

    @app.after_request
    def _keep_answer(response):
        digest = g.pop("sent_form", None)
        if digest is None:
            return response
        location = _done_at(response)
        if location:
            # a page answered in place is kept whole: what it lists (cases left
            # and why) is the answer, and no redirect can carry it
            page = response.get_data(as_text=True) if response.status_code == 200 else None
            SentForm.update(location=location, messages=json.dumps(g.flashed), page=page).where(
                SentForm.digest == digest).execute()
        else:  # shown again with what to fix, or refused: sending it again is trying again
            try:
                SentForm.delete().where(SentForm.digest == digest).execute()
            except OperationalError:
                # The database too busy even to forget it (fieldapp.web.database_busy;
                # on SQLite only when another write took the lock between this
                # form's claim and its work): the answer says so already, and a
                # copy sent again within KEPT is answered 409, to reload.
                if not database.is_closed() and database.in_transaction():
                    database.rollback()
        return response


def _done_at(response):
    """Where the page that says what a form did is, or None when it did nothing:
    the address a write redirects to, or, for a page answered in place that
    says something was done (cases assigned, some left with why), the address
    that page is shown at."""
    if 300 <= response.status_code < 400:
        return response.location
    if response.status_code == 200 and any(category == "success" for category, _ in g.flashed):
        if g.get("shown_at"):
            return g.shown_at
        if request.url_rule is not None and "GET" in request.url_rule.methods:
            return this_address()
    return None
