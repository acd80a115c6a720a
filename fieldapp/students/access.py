"""A student's access log as a supervisor reads it: filtered, paged, with the
phone's automatic offline copies grouped so a person's reading and a
disclosure are never buried under them (34 CFR 99.32)."""
import datetime
from dataclasses import dataclass

from fieldapp.cases import filter_words
from fieldapp.codes import ACCESS_ACTIONS, AUTOMATIC_ACCESS
from fieldapp.messages import Message
from fieldapp.models import AccessLog, User
from fieldapp.numbers import record_id
from fieldapp.timefmt import day_bounds_utc, student_id_zone, student_zone, to_local

PAGE_SIZE = 50
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass
class CopyGroup:
    """The automatic offline copies one user's phone made of the record on one day."""
    user: User
    day: datetime.date  # local
    count: int
    first: datetime.datetime  # UTC, like AccessLog.at
    last: datetime.datetime

    is_group = True

    @property
    def at(self):
        return self.last


def _day(args, key, errors):
    value = (args.get(key) or "").strip()
    if not value:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        errors[key] = Message("Use a date like 2026-09-30.")
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        errors[key] = Message("Use a date between %(first)s and %(last)s.",  # years: never grouped
                              first=str(FIRST_YEAR), last=str(LAST_YEAR))
        return None
    return day


def parse_filters(args):
    """{action, user, date_from, date_to} from query arguments, and errors by field.

    args: a mapping of str to str (request.args). A bad value is reported and
    left out; nothing raises."""
    filters, errors = {}, {}
    action = (args.get("action") or "").strip()
    if action:
        if action in ACCESS_ACTIONS:
            filters["action"] = action
        else:
            errors["action"] = Message("Choose from the list.")
    user = (args.get("user") or "").strip()
    if user:
        if record_id(user) is None:
            errors["user"] = Message("Choose from the list.")
        else:
            filters["user"] = record_id(user)
    for key in ("date_from", "date_to"):
        day = _day(args, key, errors)
        if day is not None:
            filters[key] = day
    filter_words.leave_out_backwards_days(filters, errors)
    return filters, errors


def _filtered(student, filters):
    query = AccessLog.select(AccessLog, User).join(User).where(AccessLog.student == student)
    if "user" in filters:
        query = query.where(AccessLog.user == filters["user"])
    # days in the zone of the student's school, as the page shows the times
    start, end = day_bounds_utc(filters.get("date_from"), filters.get("date_to"), student_zone(student))
    if start is not None:
        query = query.where(AccessLog.at >= start)
    if end is not None:
        query = query.where(AccessLog.at < end)
    return query


def _before(query, cursor):
    last = AccessLog.get_or_none(AccessLog.id == cursor) if cursor else None
    if last is None:
        return query, None
    return query.where((AccessLog.at < last.at) | ((AccessLog.at == last.at) & (AccessLog.id < last.id))), last


def log_page(student, filters, cursor=None, limit=PAGE_SIZE):
    """One page of the student's access log, newest first. Returns (rows, next_cursor).

    rows: AccessLog lines (with .user) and, unless one action is asked for,
    CopyGroups of the automatic offline copies made between the first and
    last line of the page. Lines by a person are paged `limit` at a time;
    automatic copies never count against the page. next_cursor: the id of
    the page's last line, or None on the last page."""
    query = _filtered(student, filters)
    action = filters.get("action")
    people = query.where(AccessLog.action == action) if action else query.where(
        AccessLog.action != AUTOMATIC_ACCESS)
    people, last = _before(people, record_id(cursor))
    lines = list(people.order_by(AccessLog.at.desc(), AccessLog.id.desc()).limit(limit + 1))
    more = len(lines) > limit
    lines = lines[:limit]
    if action:
        return lines, (lines[-1].id if more else None)
    copies = query.where(AccessLog.action == AUTOMATIC_ACCESS)
    if last is not None:
        copies = copies.where(AccessLog.at <= last.at)
    if more:
        copies = copies.where(AccessLog.at >= lines[-1].at)
    rows = lines + group_copies(copies)
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows, (lines[-1].id if more else None)


def group_copies(query):
    """CopyGroups, one per user and local day, from a query of automatic copies."""
    groups, zones = {}, {}
    for line in query.order_by(AccessLog.at):
        zone_name = zones.get(line.student_id) or zones.setdefault(line.student_id,
                                                                    student_id_zone(line.student_id))
        key = (line.user_id, to_local(line.at, zone_name).date())
        group = groups.get(key)
        if group is None:
            groups[key] = CopyGroup(line.user, key[1], 1, line.at, line.at)
        else:
            group.count, group.last = group.count + 1, line.at
    return list(groups.values())


def people_in_log(student):
    """The users who appear in the student's access log, by name (to filter by)."""
    ids = AccessLog.select(AccessLog.user).where(AccessLog.student == student).distinct()
    return list(User.select().where(User.id.in_(ids)).order_by(User.name))
