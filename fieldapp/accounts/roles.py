"""The role a user held at a moment, from the audit trail of account changes.

A contact keeps its author's role when it was made (Contact.author_role),
which decides whether it is casework that carries the law's steps
(fieldapp.policy.does_casework). A contact saved on a phone reaches the
server later, maybe after the author's role changed: the role it takes is
the one the author held when the contact happened (its occurred_at), read
from the "user.change" audit lines that hold every role change with its
time (fieldapp.accounts.lifecycle.change_role); with no change since then,
it is the role they hold now."""
import json

from fieldapp.db import Param, Prepared
from fieldapp.models import AuditEvent


def role_changes(user, since=None):
    """[(when, role before)] of user's role changes after `since` (all when
    None), oldest first (UTC, naive as stored). Read from the audit trail's
    index on time: the lines since a contact happened are few."""
    changes = []
    rows = _CHANGES.rows(user=str(user.id)) if since is None else _CHANGES_SINCE.rows(user=str(user.id), since=since)
    for at, before, after in rows:
        was = json.loads(before or "{}").get("role")
        if was and was != json.loads(after or "{}").get("role"):
            changes.append((at, was))
    return changes


def _changes(since):
    query = AuditEvent.select(AuditEvent.at, AuditEvent.before, AuditEvent.after).where(
        (AuditEvent.object_type == "user") & (AuditEvent.object_id == Param("user"))
        & (AuditEvent.action == "user.change"))
    if since:
        query = query.where(AuditEvent.at > Param("since"))
    return query.order_by(AuditEvent.at, AuditEvent.id).tuples()


# Asked on every chunk a phone syncs (store.store_new): building its SQL cost
# more of the request's CPU than the query took the server to answer.
_CHANGES, _CHANGES_SINCE = Prepared(lambda: _changes(False)), Prepared(lambda: _changes(True))


def role_at(user, when, changes=None):
    """The role user held at `when` (UTC, naive): the role before the first
    role change after it, or user.role when none came since. changes: what
    role_changes(user) gives, read once for many contacts of one user."""
    for at, was in (role_changes(user, when) if changes is None else changes):
        if when is not None and at > when:
            return was
    return user.role
