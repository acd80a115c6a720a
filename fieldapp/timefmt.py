"""Times: stored in UTC, shown and typed in the district's time zone."""
import datetime
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "America/Los_Angeles"


def zone(name=None):
    return ZoneInfo(name or DEFAULT_ZONE)


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
