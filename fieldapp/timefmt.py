"""Times: stored in UTC, shown and typed in the time zone of the student's
school (School.time_zone, an IANA name; a school without one uses the
installation's FIELDAPP_TIME_ZONE). Every "today" — due dates, import checks,
the day a legal step counts from — is a day in that zone too.

Functions take a zone name; None means the installation's default. The
helpers school_zone(), student_zone() and today_for_school() look a school's
zone up, so that callers (pages, documents, rules) never restate it.
"""
import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

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


def school_zone(school_id):
    """The IANA zone of a school (its own, or the installation's)."""
    from fieldapp.models import School
    row = School.select(School.time_zone).where(School.id == school_id).tuples().first() \
        if school_id is not None else None
    return (row[0] if row and row[0] else None) or _DEFAULT["zone"]


def student_zone(student):
    """The zone of the student's current school."""
    return school_zone(student.school_id)


def today_for_school(school_id):
    """Today, in the school's zone: the day a due date or a legal step counts from."""
    return local_today(school_zone(school_id))


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
