"""Finding users and reading the audit trail, for the administrator's pages."""
import datetime

from fieldapp import codes
from fieldapp.messages import Message
from fieldapp.numbers import whole_number
from fieldapp.models import AuditEvent, School, User, UserSchool
from fieldapp.timefmt import day_bounds_utc

PAGE = 100


def find_users(text="", role="", status=""):
    """Users matching the filters, by email: text in email or name, a role
    code, status "active" or "inactive"; unknown values are ignored."""
    query = User.select().order_by(User.email)
    text = (text or "").strip().lower()[:100].replace("\x00", "")
    if text:
        query = query.where(User.email.contains(text) | User.name.contains(text))
    if role in codes.ROLES:
        query = query.where(User.role == role)
    if status in ("active", "inactive"):
        query = query.where(User.active == (status == "active"))
    return list(query.limit(500))


def school_names(users):
    """{user id: [school names]} for the users listed."""
    names = {}
    links = (UserSchool.select(UserSchool.user, School.name).join(School)
             .where(UserSchool.user.in_([u.id for u in users])))
    for link in links:
        names.setdefault(link.user_id, []).append(link.school.name)
    return names


# Days a filter may name: beyond these, a day's end or a zone's offset
# overflows the calendar (9999-12-31 + 1 day), and no record is there anyway.
FIRST_DAY, LAST_DAY = datetime.date(1900, 1, 1), datetime.date(2199, 12, 31)


def _parse_day(text):
    """The date of a YYYY-MM-DD filter between FIRST_DAY and LAST_DAY, or None."""
    try:
        day = datetime.date.fromisoformat((text or "").strip()[:10]) if text else None
    except ValueError:
        return None
    return day if day is not None and FIRST_DAY <= day <= LAST_DAY else None


def audit_filters(args):
    """The audit trail's filters from query arguments, checked: (filters, errors)."""
    filters, errors = {}, {}
    for name in ("actor", "target", "action", "ip"):
        value = (args.get(name) or "").strip().replace("\x00", "")[:200]
        if value:
            filters[name] = value
    for name in ("since", "until"):
        given = (args.get(name) or "").strip()
        if given:
            day = _parse_day(given)
            if day is None:
                errors[name] = Message("Give a date as YYYY-MM-DD.")
            else:
                filters[name] = day
    page = (args.get("page") or "1").strip()
    filters["page"] = whole_number(page, 1, 99999) or 1  # "²" is a digit to isdigit()
    return filters, errors


def _users_matching(text):
    return User.select(User.id).where(User.email.contains(text.lower()) | User.name.contains(text))


def audit_events(filters, zone_name=None):
    """One page (newest first) of AuditEvents matching filters, and whether
    more follow. The "since" and "until" days are local days in zone_name
    (the zone the page shows times in; None: the installation's)."""
    query = AuditEvent.select().order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if "actor" in filters:
        query = query.where(AuditEvent.user.in_(_users_matching(filters["actor"])))
    if "target" in filters:
        ids = [str(row.id) for row in _users_matching(filters["target"])]
        query = query.where((AuditEvent.object_type == "user") & AuditEvent.object_id.in_(ids)
                            | AuditEvent.detail.contains(filters["target"].lower()))
    if "action" in filters:
        # A code from the list is that action; other text (a link made before the list) its start.
        wanted = filters["action"]
        query = query.where(AuditEvent.action == wanted if wanted in codes.AUDIT_ACTIONS
                            else AuditEvent.action.startswith(wanted))
    if "ip" in filters:
        query = query.where(AuditEvent.ip.startswith(filters["ip"]))
    start, end = day_bounds_utc(filters.get("since"), filters.get("until"), zone_name)
    if start is not None:
        query = query.where(AuditEvent.at >= start)
    if end is not None:
        query = query.where(AuditEvent.at < end)
    rows = list(query.offset((filters["page"] - 1) * PAGE).limit(PAGE + 1))
    return rows[:PAGE], len(rows) > PAGE


def users_by_id(events):
    """{user id: User} for the actors and targets of events."""
    ids = {e.user_id for e in events if e.user_id}
    ids |= {int(e.object_id) for e in events if e.object_type == "user" and e.object_id.isdigit()}
    return {u.id: u for u in User.select().where(User.id.in_(list(ids)))} if ids else {}
