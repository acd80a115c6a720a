"""Daily attendance from a CSV modelled on Ed-Fi's StudentSchoolAttendanceEvent.

Columns: studentUniqueId (or the OneRoster sourcedId), schoolId, eventDate,
attendanceEventCategoryDescriptor (an Ed-Fi descriptor URI or its short name),
and optionally eventDuration, minutesAbsent, attendanceEventReason.

Re-importing a day replaces that day's marks for the students in the file.
"In Attendance" rows are checked and clear the day's earlier marks but are
not stored: a school day without a mark is a day present.
"""
import datetime
import re

from fieldapp.db import database
from fieldapp.imports.csvfile import CsvFile, ImportRefused, Report
from fieldapp.models import AttendanceEvent, School, Student

BATCH = 1000
CATEGORY_NAMES = {
    "inattendance": "present", "present": "present",
    "excusedabsence": "excused", "excused": "excused",
    "unexcusedabsence": "unexcused", "unexcused": "unexcused",
    "tardy": "tardy", "earlydeparture": "early_departure", "partial": "partial",
}
SHORT_NAMES = "In Attendance, Excused Absence, Unexcused Absence, Tardy, Early departure, Partial"
# One bit per category; a day holds at most one of the full-day marks.
BITS = {"present": 1, "excused": 2, "unexcused": 4, "tardy": 8, "early_departure": 16, "partial": 32}
FULL_DAY = 1 | 2 | 4
US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def category_code(raw):
    """'uri://ed-fi.org/AttendanceEventCategoryDescriptor#Unexcused Absence' or
    'Unexcused Absence' -> 'unexcused'; None when unknown."""
    name = re.split(r"[#/]", raw)[-1]
    return CATEGORY_NAMES.get("".join(ch for ch in name.lower() if ch.isalnum()))


def parse_date(raw):
    """YYYY-MM-DD (Ed-Fi) or M/D/YYYY (spreadsheets); None when not a date."""
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        match = US_DATE.match(raw)
        if match:
            try:
                return datetime.date(int(match[3]), int(match[1]), int(match[2]))
            except ValueError:
                return None
    return None


def _minutes(file, cells, day_minutes):
    """Minutes missed from minutesAbsent, else from eventDuration (a share of a day)."""
    raw = file.cell(cells, "minutesAbsent")
    if raw:
        if not raw.isdigit() or int(raw) > 1440:
            raise ValueError(f"minutesAbsent '{raw}' must be a whole number of minutes (0 to 1440)")
        return int(raw)
    raw = file.cell(cells, "eventDuration")
    if raw:
        try:
            share = float(raw)
        except ValueError:
            share = -1
        if not 0 <= share <= 1:
            raise ValueError(f"eventDuration '{raw}' must be a share of a day from 0 to 1")
        return round(share * day_minutes)
    return 0


class _Lookups:
    """Ids by the keys a file uses, read once."""

    def __init__(self, by_unique_id):
        sourced = dict(Student.select(Student.sourced_id, Student.id).tuples())
        self.students = sourced
        if by_unique_id:  # studentUniqueId is the district's own id, or else the sourcedId
            self.students = {**sourced, **dict(Student.select(Student.local_id, Student.id).tuples())}
        self.schools = dict(School.select(School.sourced_id, School.id).tuples())
        self.dates, self.categories = {}, {}


def _read(file, report, lookups, today, day_minutes):
    """Check every row; return (days, marks): the students each day replaces,
    and the marks to store."""
    student_col = "studentUniqueId" if file.has("studentUniqueId") else \
        ("sourcedId" if file.has("sourcedId") else "studentSourcedId")
    days, marks = {}, []
    name, students, schools = file.name, lookups.students, lookups.schools
    for line, cells in file.rows():
        report.rows_read += 1
        if len(cells) != file.width:
            report.problem(name, line, f"has {len(cells)} cells; the header has {file.width}")
            continue
        key, school_key = file.cell(cells, student_col), file.cell(cells, "schoolId")
        raw_date = file.cell(cells, "eventDate")
        raw_category = file.cell(cells, "attendanceEventCategoryDescriptor")
        student, school = students.get(key), schools.get(school_key)
        day = lookups.dates.get(raw_date) or lookups.dates.setdefault(raw_date, parse_date(raw_date))
        category = lookups.categories.get(raw_category) or \
            lookups.categories.setdefault(raw_category, category_code(raw_category))
        if student is None:
            report.problem(name, line, f"unknown student '{key}'" if key else "no student id")
        elif school is None:
            report.problem(name, line, f"unknown school '{school_key}'" if school_key else "no schoolId")
        elif day is None:
            report.problem(name, line, f"bad date '{raw_date}' (use YYYY-MM-DD)")
        elif day > today:
            report.problem(name, line, f"date {day} is after today")
        elif category is None:
            report.problem(name, line, f"unknown category '{raw_category}' (use an Ed-Fi "
                                       f"AttendanceEventCategoryDescriptor or: {SHORT_NAMES})")
        else:
            _keep(file, report, line, cells, (student, school, day, category), days, marks, day_minutes)
    return days, marks


def _keep(file, report, line, cells, mark, days, marks, day_minutes):
    student, school, day, category = mark
    try:
        minutes = _minutes(file, cells, day_minutes)
    except ValueError as error:
        report.problem(file.name, line, str(error))
        return
    on_day = days.setdefault(day, {})
    held, bit = on_day.get(student, 0), BITS[category]
    if held & bit:
        report.problem(file.name, line, "duplicate row: same student, day and category as an earlier row")
    elif bit & FULL_DAY and held & FULL_DAY:
        report.problem(file.name, line, "conflicts with an earlier row: a day holds one of "
                                        "In Attendance, Excused Absence and Unexcused Absence")
    else:
        on_day[student] = held | bit
        if category != "present":
            marks.append((student, school, day, category, minutes,
                          file.cell(cells, "attendanceEventReason")[:100]))


def _replace(days, marks, report):
    """Delete each day's earlier marks of the students in the file, then insert."""
    removed = 0
    for day, students in days.items():
        if not students:
            continue
        stale = [event_id for event_id, student in
                 AttendanceEvent.select(AttendanceEvent.id, AttendanceEvent.student)
                 .where(AttendanceEvent.date == day).tuples() if student in students]
        for start in range(0, len(stale), BATCH):
            removed += AttendanceEvent.delete().where(
                AttendanceEvent.id.in_(stale[start:start + BATCH])).execute()
    fields = [AttendanceEvent.student, AttendanceEvent.school, AttendanceEvent.date,
              AttendanceEvent.category, AttendanceEvent.minutes, AttendanceEvent.reason]
    for start in range(0, len(marks), BATCH):
        AttendanceEvent.insert_many(marks[start:start + BATCH], fields=fields).execute()
    report.add("earlier marks replaced", removed)
    report.add("absences, tardies and part days stored", len(marks))


def import_attendance(binary, filename, skip_bad_rows=False, today=None, school_day_minutes=360):
    """Check and apply an attendance file; returns its Report (see Report.outcome)."""
    today = today or datetime.date.today()
    report = Report("attendance", filename, skip_bad_rows)
    try:
        file = CsvFile(binary, filename, required=("schoolId", "eventDate",
                                                   "attendanceEventCategoryDescriptor"),
                       optional=("eventDuration", "minutesAbsent", "attendanceEventReason"),
                       one_of=(("studentUniqueId", "sourcedId", "studentSourcedId"),))
        days, marks = _read(file, report, _Lookups(file.has("studentUniqueId")), today,
                            school_day_minutes)
    except ImportRefused as refused:
        return report.refuse(str(refused))
    if not report.may_apply():
        return report
    with database.atomic():
        _replace(days, marks, report)
    report.applied = True
    report.student_ids = {s for students in days.values() for s in students}
    report.add("students", len(report.student_ids))
    report.add("school days", len(days))
    return report
