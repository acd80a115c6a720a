"""What a user does to their own account: change their password, end their
other sessions, confirm it is them before turning the second step off."""
from fieldapp.accounts import audit, login, sessions
from fieldapp.accounts.passwords import hash_password, verify_password, weakness
from fieldapp.accounts.ratelimit import per_minutes
from fieldapp.accounts.users import context_words
from fieldapp.messages import Message
from fieldapp.models import School, User, utcnow


def confirm_password(user, plain, limiter, throttle, ip=""):
    """(None, False) when plain is user's password, else (Message for the field,
    throttled). A signed-in session guessing its own password is counted like
    a log-in (before the check, atomically): at most throttle.per_account_address
    checks per throttle.minutes for one user, then refused unchecked
    (throttled True). limiter: a `limits` rate limiter; throttle: login.Throttle."""
    item = per_minutes(throttle.per_account_address, throttle.minutes)
    if not limiter.hit(item, "password-check", str(user.id)):
        audit.record(user, "password.check_throttled", user, ip)
        return login.wait_message(limiter, item, "password-check", str(user.id)), True
    if verify_password(user.password_hash, plain or ""):
        limiter.clear(item, "password-check", str(user.id))
        return None, False
    audit.record(user, "password.check_failed", user, ip)
    return Message("This is not your current password."), False


def change_password(user, current, new, repeat, keep_token, limiter, throttle, ip=""):
    """Set user's password after checking the current one (see confirm_password);
    end their other sessions (whoever knew the old password is logged out).
    Returns (errors by field, throttled)."""
    errors = {}
    wrong, throttled = confirm_password(user, current, limiter, throttle, ip)
    if wrong:
        errors["current"] = wrong
    schools = School.select().where(School.id.in_(user.school_ids()))
    problem = weakness(new or "", user.email, user.name, context_words(user.role, schools))
    if problem:
        errors["new"] = problem
    elif new != repeat:
        errors["repeat"] = Message("The two new passwords differ.")
    elif verify_password(user.password_hash, new):
        errors["new"] = Message("Choose a password you have not used here.")
    if errors:
        return errors, throttled
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    user.save(only=[User.password_hash, User.must_change_password, User.password_changed_at])
    ended = sessions.end_all(user, "password", keep_token=keep_token)
    audit.record(user, "password.change", user, ip, **audit.sessions_ended(ended, others=True))
    return {}, False


def end_other_sessions(user, keep_token, ip=""):
    """Log user out everywhere but here; returns how many sessions ended."""
    ended = sessions.end_all(user, "others", keep_token=keep_token)
    audit.record(user, "sessions.end_others", user, ip, **audit.sessions_ended(ended))
    return ended
