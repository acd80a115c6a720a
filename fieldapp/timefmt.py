"""Times: stored in UTC, shown and typed in the time zone of the student's
school (School.time_zone, an IANA name; a school without one uses the
installation's FIELDAPP_TIME_ZONE). Every "today" — due dates, import checks,
the day a legal step counts from — is a day in that zone too.

Functions take a zone name; None means the installation's default. The
helpers school_zone(), student_zone() and today_for_school() look a school's
zone up, so that callers (pages, documents, rules) never restate it.
"""
import datetime
import operator
from functools import reduce
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from fieldapp.db import Prepared

_DEFAULT = {"zone": "America/Los_Angeles"}
# How a person names the zones most districts use; any other shows its IANA name.
LABELS = {"America/New_York": "Eastern time", "America/Detroit": "Eastern time",
          "America/Indiana/Indianapolis": "Eastern time", "America/Chicago": "Central time",
          "America/Denver": "Mountain time", "America/Boise": "Mountain time",
          "America/Phoenix": "Arizona time", "America/Los_Angeles": "Pacific time",
          "America/Anchorage": "Alaska time", "Pacific/Honolulu": "Hawaii time",
          "America/Puerto_Rico": "Atlantic time"}


def valid_zone(name):
    """Is name an IANA time zone this machine knows?"""
    if not name or len(name) > 64 or name not in available_timezones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def set_default_zone(name):
    """The installation's zone (FIELDAPP_TIME_ZONE), set once by create_app."""
    if not valid_zone(name):
        raise ValueError(f"FIELDAPP_TIME_ZONE '{name}' is not an IANA time zone (e.g. America/New_York)")
    _DEFAULT["zone"] = name


def default_zone():
    return _DEFAULT["zone"]


def zone(name=None):
    return ZoneInfo(name or _DEFAULT["zone"])


def zone_label(name=None):
    """'Eastern time' for America/New_York; the IANA name for zones without a common name."""
    name = name or _DEFAULT["zone"]
    return LABELS.get(name, name.replace("_", " "))


def _zones_query():
    from fieldapp.models import School
    return School.select(School.id, School.time_zone).tuples()


_ZONES = Prepared(_zones_query)  # read on every request


def _own_zones():
    """{school id: its own zone or ''} of every school: read once per web
    request (pages ask for zones many times: each follow-up date, each
    school's today), and afresh outside one (jobs, commands)."""
    def read():
        return dict(_ZONES.rows())
    try:
        from flask import has_request_context, request
    except ImportError:  # pragma: no cover - Flask is always there; kept plain for scripts
        return read()
    if not has_request_context():
        return read()
    kept = request.environ.get("fieldapp.school_zones")
    if kept is None:
        kept = request.environ["fieldapp.school_zones"] = read()
    return kept


def zones_column():
    """A column giving every school's id and own zone as one text
    ("3=America/Chicago,7="), for a query asked on every request anyway (the
    session's check) to carry them: read_zones() keeps them for the request,
    a round trip fewer on every page."""
    from peewee import fn
    from fieldapp.db import is_postgres
    from fieldapp.models import School
    pair = School.id.cast("text").concat("=").concat(fn.COALESCE(School.time_zone, ""))
    joined = fn.STRING_AGG(pair, ",") if is_postgres() else fn.GROUP_CONCAT(pair, ",")
    return School.select(joined)


def read_zones(text):
    """Keep for this web request the zones a zones_column() gave (see _own_zones)."""
    from flask import has_request_context, request
    if has_request_context():
        zones = {}
        for pair in (text or "").split(","):
            if pair:
                school_id, _, name = pair.partition("=")
                zones[int(school_id)] = name
        request.environ["fieldapp.school_zones"] = zones


def school_zone(school_id):
    """The IANA zone of a school (its own, or the installation's)."""
    return (_own_zones().get(school_id) if school_id is not None else None) or _DEFAULT["zone"]


def student_zone(student):
    """The zone of the student's current school."""
    return school_zone(student.school_id)


def student_id_zone(student_id):
    """The zone of the current school of the student with this id (the
    installation's for None or an unknown id)."""
    from fieldapp.models import Student
    school_id = Student.select(Student.school).where(Student.id == student_id).scalar() \
        if student_id is not None else None
    return school_zone(school_id)


def today_for_school(school_id):
    """Today, in the school's zone: the day a due date or a legal step counts from."""
    return local_today(school_zone(school_id))


def school_zones(school_ids=None):
    """{school id: IANA zone} of these schools (every school when None); a
    school without its own zone has the installation's."""
    zones = _own_zones()
    wanted = zones if school_ids is None else {getattr(i, "id", i) for i in school_ids} & set(zones)
    return {school_id: zones[school_id] or _DEFAULT["zone"] for school_id in wanted}


def todays(school_ids=None):
    """{school id: today in that school's zone} (every school when None).

    In a district spanning zones, schools may be on different days: just
    after midnight in New York it is still yesterday in Honolulu."""
    now = datetime.datetime.now(datetime.timezone.utc)
    by_zone = {}
    return {school_id: by_zone.setdefault(name, now.astimezone(zone(name)).date())
            for school_id, name in school_zones(school_ids).items()}


def latest_today():
    """The latest of the schools' todays (the installation's today when there
    is no school): no date after it is today anywhere in the district."""
    return max(todays().values(), default=None) or local_today()


def schools_by_today(school_ids=None):
    """{day: [school ids]}: the schools in scope grouped by their own today."""
    groups = {}
    for school_id, day in todays(school_ids).items():
        groups.setdefault(day, []).append(school_id)
    return groups


def day_start_utc(day, zone_name=None):
    """The stored (naive UTC) time at which a local day begins in the zone."""
    return to_utc(datetime.datetime.combine(day, datetime.time()), zone_name)


def day_bounds_utc(first, last, zone_name=None):
    """(start, end) in stored naive UTC of the local days first..last in the
    zone, end excluded; either day may be None for no bound. A day is local
    midnight to midnight, 23 or 25 hours long when the clocks change."""
    start = day_start_utc(first, zone_name) if first is not None else None
    end = day_start_utc(last + datetime.timedelta(days=1), zone_name) if last is not None else None
    return start, end


def to_utc(local_naive, zone_name=None):
    """A naive local time typed by a user -> naive UTC for storage."""
    aware = local_naive.replace(tzinfo=zone(zone_name))
    return aware.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def to_local(utc_naive, zone_name=None):
    """A stored naive UTC time -> naive local time for display."""
    if utc_naive is None:
        return None
    aware = utc_naive.replace(tzinfo=datetime.timezone.utc)
    return aware.astimezone(zone(zone_name)).replace(tzinfo=None)


def local_today(zone_name=None):
    return datetime.datetime.now(zone(zone_name)).date()


def school_year_of(day):
    """The school year a date belongs to, as '2026-27' (years start 1 July)."""
    start = day.year if day.month >= 7 else day.year - 1
    return f"{start}-{str(start + 1)[-2:]}"


def school_year_start(day):
    return datetime.date(day.year if day.month >= 7 else day.year - 1, 7, 1)


def on_school_today(school_field, test, today=None, school_ids=None):
    """A query condition that holds where test(today) holds, today being the
    day at the row's school (school_field: a school id column), or the day
    given for every row. test: day -> condition, e.g.
    `lambda day: Case.next_follow_up < day`. The schools are grouped by
    their day, so the condition has one branch per distinct day."""
    from peewee import Value
    if today is not None:
        return test(today)
    groups = schools_by_today(school_ids)
    if school_ids is None and len(groups) == 1:  # every school on one day: no school list needed
        return test(next(iter(groups)))
    parts = [school_field.in_(schools) & test(day) for day, schools in groups.items()]
    return reduce(operator.or_, parts) if parts else Value(False)


def in_local_days(time_field, school_field, first, last, school_ids=None):
    """A query condition: the stored UTC time_field falls on the local days
    first..last (either None for no bound) in the zone of the row's school."""
    from peewee import Value
    by_zone = {}
    for school_id, name in school_zones(school_ids).items():
        by_zone.setdefault(name, []).append(school_id)
    one_zone = school_ids is None and len(by_zone) == 1  # no school list needed
    parts = []
    for name, schools in by_zone.items():
        start, end = day_bounds_utc(first, last, name)
        conditions = [] if one_zone else [school_field.in_(schools)]
        conditions += [time_field >= start] if start is not None else []
        conditions += [time_field < end] if end is not None else []
        parts.append(reduce(operator.and_, conditions) if conditions else Value(True))
    return reduce(operator.or_, parts) if parts else Value(False)
