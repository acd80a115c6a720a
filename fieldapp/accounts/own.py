"""What a user does to their own account: change their password, end their
other sessions."""
from fieldapp.accounts import audit, sessions
from fieldapp.accounts.passwords import hash_password, verify_password, weakness
from fieldapp.messages import Message
from fieldapp.accounts.users import context_words
from fieldapp.models import School, User, utcnow


def change_password(user, current, new, repeat, keep_token, ip=""):
    """Set user's password after checking the current one; end their other
    sessions (whoever knew the old password is logged out). Returns errors by field."""
    errors = {}
    if not verify_password(user.password_hash, current or ""):
        errors["current"] = Message("This is not your current password.")
    schools = School.select().where(School.id.in_(user.school_ids()))
    problem = weakness(new or "", user.email, user.name, context_words(user.role, schools))
    if problem:
        errors["new"] = problem
    elif new != repeat:
        errors["repeat"] = Message("The two new passwords differ.")
    elif verify_password(user.password_hash, new):
        errors["new"] = Message("Choose a password you have not used here.")
    if errors:
        return errors
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    user.save(only=[User.password_hash, User.must_change_password, User.password_changed_at])
    ended = sessions.end_all(user, "password", keep_token=keep_token)
    audit.record(user, "password.change", user, ip, detail=f"{ended} other session(s) ended")
    return {}


def end_other_sessions(user, keep_token, ip=""):
    """Log user out everywhere but here; returns how many sessions ended."""
    ended = sessions.end_all(user, "others", keep_token=keep_token)
    audit.record(user, "sessions.end_others", user, ip, detail=f"{ended} session(s) ended")
    return ended
