"""Which student, school and day an attendance row names, looked up once.

A studentUniqueId is the district's own id (Student.local_id) or else the
OneRoster sourcedId; one that several students hold (the Ed-Fi OneRoster
mapping makes one user per student per school) is settled by the row's
school. A school is named by its sourcedId or its code (imports.schools).
"""
import datetime
import re

from fieldapp.imports.dates import OrderWatch, parse_date
from fieldapp.imports.schools import school_keys
from fieldapp.messages import NP_, Message, plural_message
from fieldapp.models import Enrollment, Student
from fieldapp.rules.counting import elsewhere_on


CATEGORY_NAMES = {
    "inattendance": "present", "present": "present",
    "excusedabsence": "excused", "excused": "excused",
    "unexcusedabsence": "unexcused", "unexcused": "unexcused",
    "tardy": "tardy", "earlydeparture": "early_departure", "partial": "partial",
    # Parts of days with their excuse, as SIS exports spell them.
    "unexcusedtardy": "tardy", "tardyunexcused": "tardy",
    "unexcusedearlydeparture": "early_departure", "earlydepartureunexcused": "early_departure",
    "unexcusedpartial": "partial", "partialunexcused": "partial", "unexcusedpartialday": "partial",
    "excusedtardy": "excused_tardy", "tardyexcused": "excused_tardy",
    "excusedearlydeparture": "excused_early_departure", "earlydepartureexcused": "excused_early_departure",
    "excusedpartial": "excused_partial", "partialexcused": "excused_partial",
    "excusedpartialday": "excused_partial",
}

def category_code(raw):
    """'uri://ed-fi.org/AttendanceEventCategoryDescriptor#Unexcused Absence' or
    'Unexcused Absence' -> 'unexcused'; None when unknown."""
    name = re.split(r"[#/]", raw)[-1]
    return CATEGORY_NAMES.get("".join(ch for ch in name.lower() if ch.isalnum()))


# a studentUniqueId several students hold, none of them settled by the row's school (num: how many hold it)
HELD_BY = NP_("studentUniqueId '%(key)s' is held by %(num)d student, %(here)d of them at this row's school; give "
              "the student's sourcedId",
              "studentUniqueId '%(key)s' is held by %(num)d students, %(here)d of them at this row's school; give "
              "the student's sourcedId")


class Lookups:
    """Ids by the keys a file uses, read once; dates and categories parsed once."""

    def __init__(self, by_unique_id, date_order=""):
        # Only active students match: a deactivated one (gone from the roster, or its import undone) is
        # named in its row's problem.
        self.students, self.deactivated, homes = {}, {}, []
        for sourced_id, student_id, school_id, active in Student.select(
                Student.sourced_id, Student.id, Student.school, Student.active).tuples():
            if active:
                self.students[sourced_id] = student_id
                homes.append((student_id, school_id))
            else:
                self.deactivated[sourced_id] = 1
        self.shared = {}  # a studentUniqueId several active students hold -> [(id, school id)]
        if by_unique_id:  # studentUniqueId is the district's own id, or else the sourcedId
            self._add_unique_ids()
        self.schools, self.shared_codes = school_keys()
        self._enrolments(homes)
        self.todays = {}  # school key -> today in its zone (or the day given)
        self.given_today = None
        self.date_order, self.dates, self.categories = date_order, {}, {}
        self.watch = OrderWatch(date_order)  # a file's slash dates in both orders refuse it
        self.shared_rows = []  # (shared id, row) of each row whose student was found by its school
        self.elsewhere, self.elsewhere_shown = 0, []  # rows naming a school the student is not enrolled at

    def _add_unique_ids(self):
        held = {}
        for local_id, student_id, school_id, active in Student.select(
                Student.local_id, Student.id, Student.school, Student.active).tuples():
            if active:
                held.setdefault(local_id, []).append((student_id, school_id))
            else:
                self.deactivated[local_id] = 1
        for local_id, students in held.items():
            self.deactivated.pop(local_id, None)
            if len(students) == 1:
                self.students[local_id] = students[0][0]
            else:
                self.shared[local_id] = students
                self.students.pop(local_id, None)

    def _enrolments(self, homes):
        """The schools each student is enrolled at: their school and the school of each enrolment span
        kept (a transfer's earlier school). A pair is kept as one number, student id * per_student +
        school id: a district's students are read at once, and a number takes half the room of a pair."""
        per_student = self.per_student = max(self.schools.values(), default=0) + 1
        self.enrolled = {student_id * per_student + school_id for student_id, school_id in homes}
        self.spans = {}  # student id -> ((school id, first day, last day), ...) as ordinals, of students with spans
        for student_id, school_id, begin, end in Enrollment.select(
                Enrollment.student, Enrollment.school, Enrollment.begin_date, Enrollment.end_date).tuples():
            self.enrolled.add(student_id * per_student + school_id)
            self.spans[student_id] = self.spans.get(student_id, ()) + (
                (school_id, _ordinal(begin, 1), _ordinal(end, datetime.date.max.toordinal())),)

    def elsewhere_on(self, student_id, school_id, day):
        """Whether the student's enrolment spans put them at another school on day and at none of
        school_id's (rules.counting.elsewhere_on, the rule marks are counted by)."""
        spans = self.spans.get(student_id)
        return bool(spans) and elsewhere_on(spans, school_id, day.toordinal())

    def student(self, key, school_id):
        """(student id, None) for a row's key at its school, or (None, why)."""
        if key in self.students:
            return self.students[key], None
        if key not in self.shared:
            return None, unknown_student(key)
        students = self.shared[key]
        here = [s for s in students if s[1] == school_id]
        if len(here) == 1:
            return here[0][0], None
        return None, plural_message(*HELD_BY, len(students), key=key, num=len(students), here=len(here))

    def today_at(self, school_key):
        """Today at a school, in its time zone (or the day the import was given)."""
        if self.given_today is not None:
            return self.given_today
        if school_key not in self.todays:
            from fieldapp.timefmt import today_for_school
            self.todays[school_key] = today_for_school(self.schools.get(school_key))
        return self.todays[school_key]

    def date(self, raw, where=("", 0)):
        """The date of an eventDate cell, read once; where: (file, row) of the first row with it."""
        if raw not in self.dates:
            self.dates[raw] = parse_date(raw, self.date_order)
            self.watch.saw(raw, where[0], where[1], "eventDate")
        return self.dates[raw]

    def category(self, raw):
        if raw not in self.categories:
            self.categories[raw] = category_code(raw)
        return self.categories[raw]


ROWS_OF_ID = NP_("%(key)s (%(num)d row)", "%(key)s (%(num)d rows)")


def note_shared_ids(lookups, report, file):
    """Say which shared studentUniqueIds were matched by their row's school,
    counting the rows to be stored; the rows among them refused for another
    reason are said apart (they are among the row problems)."""
    used, refused = {}, 0
    for key, row in lookups.shared_rows:
        if (file, row) in report.bad_lines:
            refused += 1
        else:
            used[key] = used.get(key, 0) + 1
    if used:
        used = sorted(used.items())
        report.note(plural_message(
            "%(num)d studentUniqueId held by more than one student was matched by each row's schoolId: %(ids)s",
            "%(num)d studentUniqueIds held by more than one student were matched by each row's schoolId: %(ids)s",
            len(used), num=len(used),
            ids=tuple(plural_message(*ROWS_OF_ID, n, key=key, num=n) for key, n in used[:20])
            + (("…",) if len(used) > 20 else ())))
    if refused:
        report.note(plural_message(
            "%(num)d row naming a studentUniqueId held by more than one student was matched by its schoolId, but "
            "is refused for another reason (see the row problems).",
            "%(num)d rows naming a studentUniqueId held by more than one student were matched by their schoolId, "
            "but are refused for another reason (see the row problems).",
            refused, num=refused))


SHOWN_ELSEWHERE = 5


def not_enrolled(lookups, report, file, row, keys):
    """A row naming a school its student is not enrolled at (keys: the row's student and school keys):
    a row problem, counted for the note. A mark of another school would change the student's
    attendance at their own: re-importing a day replaces the student's marks of that day."""
    report.problem(file, row, Message("student '%(key)s' is not enrolled at school '%(school)s': left out, so a "
                                      "mark of another school does not change the student's attendance",
                                      key=keys[0], school=keys[1]))
    lookups.elsewhere += 1
    if len(lookups.elsewhere_shown) < SHOWN_ELSEWHERE:
        lookups.elsewhere_shown.append(Message("row %(row)s: %(key)s at %(school)s", row=str(row), key=keys[0],
                                            school=keys[1]))


def not_enrolled_on(lookups, report, file, row, keys, day):
    """A row naming a school its student is enrolled at, but on a day their enrolment spans put them
    at another school (before the span there began, or after it ended): left out, as a mark of a school
    the student is not enrolled at."""
    report.problem(file, row, Message("student '%(key)s' is not enrolled at school '%(school)s' on %(day)s (enrolled "
                                      "at another school that day): left out, so a mark of another school does not "
                                      "change the student's attendance", key=keys[0], school=keys[1], day=day))
    lookups.elsewhere += 1
    if len(lookups.elsewhere_shown) < SHOWN_ELSEWHERE:
        lookups.elsewhere_shown.append(Message("row %(row)s: %(key)s at %(school)s on %(day)s", row=str(row),
                                               key=keys[0], school=keys[1], day=day))


def _ordinal(value, default):
    if value is None:
        return default
    return (datetime.date.fromisoformat(value[:10]) if isinstance(value, str) else value).toordinal()


def note_not_enrolled(lookups, report):
    """Say how many rows named a school their student is not enrolled at, and the first few."""
    count, shown = lookups.elsewhere, lookups.elsewhere_shown
    if count:
        report.note(plural_message(
            "%(num)d row names a school the student is not enrolled at: left out (%(rows)s)",
            "%(num)d rows name a school the student is not enrolled at: left out (%(rows)s)",
            count, num=count, rows=tuple(shown) + (("…",) if count > len(shown) else ())))


def unknown_student(key, lookups=None):
    """Why a row's student key names no active student."""
    if lookups is not None and key in lookups.deactivated:
        return Message("student '%(key)s' is deactivated (no longer in the roster, or the import that added them "
                       "was undone): marks are kept for active students only", key=key)
    return Message("unknown student '%(key)s'", key=key) if key else Message("no student id")
