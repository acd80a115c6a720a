"""A user's life as an administrator manages it: added with a temporary
password, given a role and schools, deactivated and reactivated, reset,
unlocked. Every change is written to the audit trail with who did it, from
where, and the user as they were before and became after.

`actor` is the administrator (None for the command line); `ip` where they
were. Records a user wrote stay theirs whatever happens to the account.
"""
import datetime

from fieldapp.accounts import audit, login, sessions
from fieldapp.accounts.passwords import hash_password
from fieldapp.accounts.users import (UserError, check_role_and_schools, create_user,
                                     temporary_password)
from fieldapp.cases import assignment
from fieldapp.db import database
from fieldapp.messages import Message
from fieldapp.models import AuditEvent, User, UserSchool, utcnow


def add_user(actor, email, name, role, school_ids, ip=""):
    """(user, temporary password) or raises UserError. The user must choose
    their own password at first log-in."""
    password = temporary_password()
    user = create_user(email, password, role, name, school_ids, must_change=True)
    audit.record(actor, "user.add", user, ip, after=audit.user_snapshot(user))
    return user, password


def _other_active_admins(user):
    return User.select().where(User.role == "admin", User.active == True,  # noqa: E712
                               User.id != user.id).exists()


def change_role(actor, user, role, school_ids, ip=""):
    """Give user a role and schools; returns errors by field (nothing saved if
    any). Open cases and waiting referrals of students at a school the user no
    longer serves as an officer go to the unassigned queue
    (user.released: (cases, referrals))."""
    schools, errors = check_role_and_schools(role, school_ids)
    if not errors and user.role == "admin" and role != "admin" and not _other_active_admins(user):
        errors["role"] = Message("This is the last active administrator; make another first.")
    if errors:
        return errors
    before = audit.user_snapshot(user)
    # The change and the work it sends to the queue in one transaction: never
    # an account changed with its cases still held, nor cases half moved.
    with database.atomic():
        user.role = role
        user.save(only=[User.role])
        UserSchool.delete().where(UserSchool.user == user).execute()
        for school in schools:
            UserSchool.create(user=user, school=school)
        user._school_ids = None
        user.released = assignment.release_unheld(actor or user, user, _released_note(user))
        after = audit.user_snapshot(user)
        if after != before:
            audit.record(actor, "user.change", user, ip, before=before, after=after)
    return {}


def _released_note(user):
    """Why an account change sends work to the queue, as the case's history
    says it (a code of fieldapp.cases.history_text.NOTES)."""
    return "school_removed" if user.active else "account_deactivated"


def deactivate(actor, user, ip=""):
    """Stop user from logging in and end their sessions at once; returns errors.
    The open cases and waiting referrals an officer held go to the unassigned
    queue (user.released: (cases, referrals)), where the supervisor and the
    school's other officers see them: deactivation is never held up by work
    still to hand over, as an account that must close (someone left, a
    credential leaked) closes now."""
    if actor is not None and actor.id == user.id:
        return {"user": Message("You cannot deactivate your own account.")}
    if user.role == "admin" and not _other_active_admins(user):
        return {"user": Message("This is the last active administrator; make another first.")}
    before = audit.user_snapshot(user)
    with database.atomic():  # all of it or nothing (see change_role)
        user.active = False
        user.save(only=[User.active])
        user.released = assignment.release_unheld(actor or user, user, _released_note(user))
        ended = sessions.end_all(user, "deactivated")
        audit.record(actor, "user.deactivate", user, ip, **audit.sessions_ended(ended),
                     before=before, after=audit.user_snapshot(user))
    return {}


def reactivate(actor, user, ip=""):
    """Let user log in again."""
    before = audit.user_snapshot(user)
    user.active = True
    user.save(only=[User.active])
    audit.record(actor, "user.reactivate", user, ip, before=before, after=audit.user_snapshot(user))
    return {}


def reset_password(actor, user, ip=""):
    """Give user a new temporary password (returned) to change at next log-in;
    end their sessions."""
    password = temporary_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.password_changed_at = utcnow()
    user.save(only=[User.password_hash, User.must_change_password, User.password_changed_at])
    ended = sessions.end_all(user, "reset")
    audit.record(actor, "user.reset_password", user, ip, **audit.sessions_ended(ended))
    return password


def unlock(actor, user, limiter, throttle, ip=""):
    """Let user log in again at once after too many failed attempts."""
    since = utcnow() - datetime.timedelta(minutes=throttle.minutes)
    recent = (AuditEvent.select(AuditEvent.ip).distinct()
              .where(AuditEvent.object_type == "user", AuditEvent.object_id == str(user.id),
                     AuditEvent.action.in_(["login.failed", "login.throttled"]),
                     AuditEvent.at > since))
    login.unlock(user.email, [row.ip for row in recent], limiter, throttle)
    audit.record(actor, "user.unlock", user, ip)


def find_user(email):
    """The user with this email, or raises UserError."""
    user = User.get_or_none(User.email == login.normalise_email(email)[:254])
    if user is None:
        raise UserError(Message("No user has this email."))
    return user


def is_locked(user, limiter, throttle, now=None):
    """True while user is locked out after failed log-ins: from everywhere, or
    from the address the guesses came from (until unlocked or logged in since)."""
    if login.is_locked(user.email, limiter, throttle):
        return True
    now = now or utcnow()
    mine = (AuditEvent.object_type == "user") & (AuditEvent.object_id == str(user.id))
    lock = (AuditEvent.select(AuditEvent.at).where(mine, AuditEvent.action.startswith("login.locked"),
                                                   AuditEvent.at > now - datetime.timedelta(
                                                       minutes=throttle.minutes))
            .order_by(AuditEvent.at.desc()).first())
    if lock is None:
        return False
    return not AuditEvent.select().where(mine, AuditEvent.action.in_(["login", "user.unlock"]),
                                         AuditEvent.at >= lock.at).exists()
