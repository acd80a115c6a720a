"""What the preview of an attendance file (imports.attendance) says of its marks: those the rules do
not count (on days without school, or the student was not enrolled), the first rows of them named, and
the students and school days it holds."""
import datetime

from fieldapp.imports.attendance_marks import BATCH
from fieldapp.messages import NP_, Message, plural_message
from fieldapp.rules.calendar import load_book
from fieldapp.timefmt import school_year_of


NO_SCHOOL = {"holiday": "marks on holidays (kept, not counted)",
             "weekend": "marks on weekends (kept, not counted)",
             "outside": "marks outside the school year (kept, not counted)"}
NOT_ENROLLED = "marks on days the student was not enrolled (kept, not counted)"
# The notes naming the first rows of the marks NO_SCHOOL counts
NO_SCHOOL_SAID = {
    "holiday": NP_("%(num)d mark is on a holiday of its school's calendar: kept, not counted (%(rows)s)",
                   "%(num)d marks are on holidays of their school's calendar: kept, not counted (%(rows)s)"),
    "weekend": NP_("%(num)d mark is on a weekend: kept, not counted (%(rows)s)",
                   "%(num)d marks are on weekends: kept, not counted (%(rows)s)"),
    "outside": NP_("%(num)d mark is outside its school's school year: kept, not counted (%(rows)s)",
                   "%(num)d marks are outside their school's school year: kept, not counted (%(rows)s)"),
}


class _Kinds:
    """What each school's calendar makes of a day, read once a school year."""

    def __init__(self):
        self.books, self.kinds = {}, {}

    def __call__(self, school, day):
        key = (school, day)
        if key not in self.kinds:
            year = school_year_of(day)
            if year not in self.books:
                self.books[year] = load_book(year)
            self.kinds[key] = self.books[year].for_school(school).kind_of(day)
        return self.kinds[key]


def warn_days_not_counted(days, marks, report):
    """Count the marks the rules do not count, stored as sent: those dated
    on days the school's calendar has no school, and those on days outside
    every enrolment span of the student (a student with none is enrolled
    every day), the first of these named. Returns the file's school days:
    those with school at the school of a mark, or of a student, that day."""
    kind, school_days, enrolled, no_school = _Kinds(), set(), [], {}
    for index, mark in enumerate(marks):
        _, school, day, *_ = mark
        if kind(school, day) in NO_SCHOOL:
            report.add(NO_SCHOOL[kind(school, day)])
            no_school.setdefault(kind(school, day), []).append(index)
        else:
            school_days.add(day)
            enrolled.append(index)
    for name, indices in no_school.items():
        report.note(plural_message(*NO_SCHOOL_SAID[name], len(indices), num=len(indices),
                                   rows=_named_rows(marks, indices)))
    _warn_not_enrolled(marks, enrolled, report)
    unmarked = [day for day in days if day not in school_days]  # days of presences only, or of no school
    if unmarked:
        from fieldapp.models import Student
        some = sorted({student for day in unmarked for student in list(days[day])[:20]})
        schools = {}
        for start in range(0, len(some), BATCH):
            schools.update(Student.select(Student.id, Student.school).where(
                Student.id.in_(some[start:start + BATCH])).tuples())
        school_days.update(day for day in unmarked if any(
            kind(schools[student], day) not in NO_SCHOOL for student in list(days[day])[:20] if student in schools))
    return school_days


SHOWN_NOT_ENROLLED = 5


def _warn_not_enrolled(marks, indices, report):
    """Count the marks (of marks, at indices) on days outside every enrolment span of their student, and
    say so in a note naming the first few rows."""
    from fieldapp.models import Enrollment
    students, spans = sorted({marks[i][0] for i in indices}), {}
    for start in range(0, len(students), BATCH):
        for student, begin, end in Enrollment.select(Enrollment.student, Enrollment.begin_date, Enrollment.end_date
                                                     ).where(Enrollment.student.in_(students[start:start + BATCH])
                                                             ).tuples():
            spans.setdefault(student, []).append((begin, end))
    outside = [i for i in indices if marks[i][0] in spans and not any(
        (begin is None or _date(begin) <= marks[i][2]) and (end is None or marks[i][2] <= _date(end))
        for begin, end in spans[marks[i][0]])]
    if not outside:
        return
    report.add(NOT_ENROLLED, len(outside))
    report.note(plural_message(
        "%(num)d mark is on a day its student was not enrolled: kept, not counted (%(rows)s)",
        "%(num)d marks are on days their student was not enrolled: kept, not counted (%(rows)s)",
        len(outside), num=len(outside), rows=_named_rows(marks, outside)))


def _named_rows(marks, indices):
    """The first SHOWN_NOT_ENROLLED of the marks at indices, by their rows, each as "row 5: 604823 on Nov 9,
    2021" (a tuple of Messages, then "…" when there are more)."""
    from fieldapp.models import Student
    shown = sorted(indices, key=lambda i: (marks.row_of(i) or 0, i))[:SHOWN_NOT_ENROLLED]
    keys = dict(Student.select(Student.id, Student.local_id).where(
        Student.id.in_([marks[i][0] for i in shown])).tuples())
    named = tuple(Message("row %(row)s: %(key)s on %(day)s", row=str(marks.row_of(i)), key=keys.get(marks[i][0], ""),
                          day=marks[i][2]) for i in shown)
    return named + (("…",) if len(indices) > len(shown) else ())


def _date(value):
    return datetime.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def count_students(days, report, school_days):
    report.student_ids = {s for students in days.values() for s in students}
    report.add("students", len(report.student_ids))
    report.add("school days", len(school_days))
