"""What an attendance row's cells say (imports.attendance): eventDuration as a share of a day, the
minutes missed (minutesAbsent, Ed-Fi's schoolAttendanceDuration, else eventDuration) and the longest
attendanceEventReason a mark keeps."""
import re

from fieldapp.imports.csvfile import longer_than
from fieldapp.messages import Message
from fieldapp.numbers import decimal_number, whole_number


# The longest reason a mark keeps: a longer one is a row problem, never cut short.
MAX_REASON = 255
REASON_TOO_LONG = longer_than(["attendanceEventReason"], MAX_REASON)


DECIMAL_COMMA = re.compile(r"^\s*(\d*),(\d+)\s*$")


def share_of_day(raw_duration):
    """eventDuration as a share of a day, 0 to 1 (Ed-Fi: 1 day = 1, half a day = 0.5), read as every
    decimal the app takes (fieldapp.numbers): a decimal comma (0,5) is refused with the number to write,
    never read as 5 or guessed."""
    share = decimal_number(raw_duration, 0, 1)
    if share is not None:
        return share
    comma = DECIMAL_COMMA.match(raw_duration)
    if comma:
        raise ValueError(Message("eventDuration '%(raw)s': use a decimal point: %(number)s", raw=raw_duration,
                                 number=f"{comma[1] or '0'}.{comma[2]}"))
    raise ValueError(Message("eventDuration '%(raw)s' must be a share of a day from 0 to 1", raw=raw_duration))


def minutes_missed(raw_minutes, raw_duration, day_minutes, column="minutesAbsent"):
    """Minutes missed from minutesAbsent (or Ed-Fi's schoolAttendanceDuration,
    given as `column`), else from eventDuration (a share of a day)."""
    if raw_minutes:
        return _whole_minutes(raw_minutes, column)
    if raw_duration:
        return round(share_of_day(raw_duration) * day_minutes)
    return 0


def _whole_minutes(raw, column):
    """A count of minutes, 0 to 1440: whole, or written with a zero fraction (20.0, as spreadsheets and
    Ed-Fi's decimal duration write it). A real fraction is the row's problem, with the two whole numbers
    to choose from: the state counts whole minutes, and the app does not round a minute for the office."""
    minutes = whole_number(raw, 0, 1440)
    if minutes is not None:
        return minutes
    number = decimal_number(raw, 0, 1440)
    if number is not None and number == int(number):
        return int(number)
    if number is not None:
        raise ValueError(Message("%(column)s '%(raw)s' is not a whole number of minutes: write %(below)s or "
                                 "%(above)s", column=column, raw=raw.strip(), below=int(number),
                                 above=int(number) + 1))
    raise ValueError(Message("%(column)s '%(raw)s' must be a whole number of minutes (0 to 1440)",
                             column=column, raw=raw))


WHOLE_DAY = {"1", "1.0", "1.00", "1.000"}


def whole_day(raw_duration):
    """Whether eventDuration says one whole day, however the number is written (1, 1.0, 1.0000, 01)."""
    text = raw_duration.strip()
    return text in WHOLE_DAY or decimal_number(text, 0, 1) == 1


def minute_cells(cells, i_minutes, i_ed_fi_minutes):
    """(minutes text, its column): minutesAbsent, else Ed-Fi's schoolAttendanceDuration."""
    minutes = cells[i_minutes].strip()
    if minutes or i_ed_fi_minutes < 0:
        return minutes, "minutesAbsent"
    return cells[i_ed_fi_minutes].strip(), "schoolAttendanceDuration"
