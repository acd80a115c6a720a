"""Daily attendance from a CSV modelled on Ed-Fi's StudentSchoolAttendanceEvent.

Columns: studentUniqueId (or the OneRoster sourcedId), schoolId (the
school's sourcedId or its code, imports.schools), eventDate,
attendanceEventCategoryDescriptor (an Ed-Fi descriptor URI or its short
name), and optionally eventDuration, minutesAbsent, schoolAttendanceDuration
(Ed-Fi's minutes, read when minutesAbsent is empty) and attendanceEventReason.

Re-importing a day replaces that day's marks for the students in the file.
"In Attendance" rows are checked and clear the day's earlier marks but are
not stored: a school day without a mark is a day present.

A split day: Ed-Fi systems send a half-day absence as two events on one day,
In Attendance with eventDuration 0.5 and Excused Absence with 0.5. A
full-day category whose eventDuration is below 1 is a share of the day; the
shares of a student's day may add up to one day at most, and shares of one
category add up to one mark. A day whose rows contradict each other is left
out whole for that student (attendance_split). An absent share is
stored as a part of a day (Excused Absence as an excused partial day,
Unexcused Absence as a partial day) with its minutes, so the state's rule
for parts of days decides whether it counts (rules.counting).

A studentUniqueId two students share (the Ed-Fi OneRoster mapping makes one
user per student per school) is resolved by the row's schoolId; one that
still names several students is a row problem.

A row naming a school its student is not enrolled at (not their school, nor
the school of an enrolment span kept) is a row problem, counted in a note
naming the first few: a re-imported day replaces the student's marks of that
day, so another school's row would change their attendance at their own.

Here a file is checked, previewed and applied. Its rows are read and
checked in attendance_read (their cells: attendance_cells; the marks a
day may hold: attendance_marks; split days: attendance_split), and what
the preview says of the marks the rules do not count in attendance_words.
"""
from fieldapp.imports.attendance_lookups import Lookups
from fieldapp.imports.attendance_marks import BATCH, EXPLAINED
from fieldapp.imports.attendance_read import read_marks
from fieldapp.imports.attendance_since import leave_out_moved
from fieldapp.imports.attendance_words import count_students, warn_days_not_counted
from fieldapp.imports.bulk import insert_rows
from fieldapp.imports.csvfile import CsvFile
from fieldapp.imports.repeats import cells_again, explain_duplicates
from fieldapp.messages import Message, plural_message
from fieldapp.models import AttendanceEvent, utcnow


MARK_FIELDS = ("student", "school", "date", "category", "minutes", "reason", "import_run_id")


def _stale(days):
    """For each day in the file, the stored marks of the file's students:
    (day, [(id, student, ...MARK_FIELDS)], whether that is every mark of the day)."""
    columns = [AttendanceEvent.id] + [getattr(AttendanceEvent, f) for f in MARK_FIELDS]
    for day, students in days.items():
        held = AttendanceEvent.select(*columns).where(AttendanceEvent.date == day).tuples()
        stale = [mark for mark in held if mark[1] in students]
        yield day, stale, len(stale) == len(held)


def _same(stale, marks):
    """How many of the stored marks stale (as _stale gives them) the file gives again as they are: a
    file imported again changes none of them, and the counts say so rather than "replaced"."""
    if not stale:
        return 0
    held = {}
    for mark in stale:
        key = tuple(mark[1:7])
        held[key] = held.get(key, 0) + 1
    same = 0
    for mark in marks:
        if held.get(mark):
            held[mark] -= 1
            same += 1
    return same


def _count_marks(report, replaced, marks, same):
    report.add("earlier marks replaced", replaced - same)
    report.add("absences, tardies and part days stored", len(marks) - same)
    report.add("marks already stored as they are", same)


NOTHING_TO_CHANGE = Message("The file's days hold no marks of its students and it stores none: applying it would "
                            "change nothing.")


def preview(plan, report, context):
    """Count what applying would change, writing nothing. A file that would replace no mark and store
    none (one imported already) counts nothing, so no Apply is offered (ImportRun.changes_nothing),
    and says so in a note."""
    days, marks = plan
    stale = [mark for _, on_day, _ in _stale(days) for mark in on_day]
    same = _same(stale, marks)
    counts, notes = dict(report.counts), len(report.notes)
    _count_marks(report, len(stale), marks, same)
    count_students(days, report, warn_days_not_counted(days, marks, report))
    if days and len(stale) == same == len(marks):  # imported already, or presences on empty days
        report.counts, report.notes[notes:] = counts, [NOTHING_TO_CHANGE if not same else plural_message(
            "The file's %(num)d mark is stored already as it is: applying it would change nothing.",
            "The file's %(num)d marks are stored already as they are: applying it would change nothing.",
            same, num=same)]


def apply(plan, report, journal, context):
    """Delete each day's earlier marks of the students in the file (journalled),
    then insert the new ones, marked with the import's id. The students of a day
    that held no mark of theirs are journalled too, a day to an entry
    ("replaced", row id minus the run's id, before {"date", "run", "students"}):
    an import saying "In Attendance" leaves no mark of it, and undoing another
    import must know it decided the day (undo_marks.day_back)."""
    days, marks = plan
    if marks.read_at:  # an import applied since the file was checked may have moved some of its students
        leave_out_moved(days, marks, report, context.run_id)
    removed, every = 0, []
    for day, stale, whole_day in _stale(days):
        every += stale
        found_empty = set(days[day]) - {mark[1] for mark in stale}
        if found_empty and context.run_id:  # the student-days it decided that held no mark: undo_marks.day_back
            journal.replaced("attendance_event", -context.run_id, {"date": day.isoformat(), "run": context.run_id,
                                                                   "students": sorted(found_empty)})
        for mark in stale:
            journal.deleted("attendance_event", mark[0], dict(zip(MARK_FIELDS, mark[1:])))
        if stale and whole_day:
            removed += AttendanceEvent.delete().where(AttendanceEvent.date == day).execute()
            continue
        ids = [mark[0] for mark in stale]
        for start in range(0, len(ids), BATCH):
            removed += AttendanceEvent.delete().where(AttendanceEvent.id.in_(ids[start:start + BATCH])).execute()
    run_id = context.run_id
    insert_rows(AttendanceEvent, [AttendanceEvent.student, AttendanceEvent.school, AttendanceEvent.date,
                                  AttendanceEvent.category, AttendanceEvent.minutes,
                                  AttendanceEvent.reason, AttendanceEvent.import_run_id],
                [mark + (run_id,) for mark in marks])
    _count_marks(report, removed, marks, _same(every, marks))
    count_students(days, report, warn_days_not_counted(days, marks, report))


def check(binary, filename, report, context):
    """Read and check an attendance file; returns the plan (days, marks)."""
    file = CsvFile(binary, filename, required=("schoolId", "eventDate", "attendanceEventCategoryDescriptor"),
                   optional=("eventDuration", "minutesAbsent", "attendanceEventReason",
                             "schoolAttendanceDuration"),
                   one_of=(("studentUniqueId", "sourcedId", "studentSourcedId"),),
                   max_rows=context.limits.max_rows)
    report.note_ignored_columns(file)
    read_at = utcnow()  # the enrolments read now: applying checks those changed since (attendance_since)
    lookups = Lookups(file.has("studentUniqueId"), context.date_order)
    if context.today_given:
        lookups.given_today = context.today
        earliest = context.today
    else:  # the earliest "today" of the district's zones; later days are checked per school
        earliest = min([lookups.today_at(key) for key in lookups.schools] or [context.today])
    plan = read_marks(file, report, lookups, earliest, context.settings.school_day_minutes)
    plan[1].read_at = read_at
    explain_duplicates(report, lambda name, lines: cells_again(file, lines), EXPLAINED)
    return plan


def import_attendance(binary, filename, skip_bad_rows=False, today=None, school_day_minutes=360,
                      date_order=""):
    """Check and apply an attendance file at once, without the history; returns its Report."""
    from fieldapp.imports.steps import apply_now
    from fieldapp.rules.settings import RuleSettings
    return apply_now("attendance", binary, filename, skip_bad_rows, today=today,
                     settings=RuleSettings(school_day_minutes=school_day_minutes), date_order=date_order)
