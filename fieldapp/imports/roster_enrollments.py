"""Enrollment spans from a OneRoster roster, journalled so an import can be undone."""
import datetime

from fieldapp.models import Enrollment, Student

SPAN = ("school", "begin_date", "end_date")


def _ids(model):
    return dict(model.select(model.sourced_id, model.id).tuples())


def _span(enrollment):
    return {"school": enrollment.school_id, "begin_date": enrollment.begin_date, "end_date": enrollment.end_date}


def _create(journal, **fields):
    created = Enrollment.create(**fields)
    journal.created("enrollment", created.id)
    return created


def _update(journal, span, **fields):
    Enrollment.update(**fields).where(Enrollment.id == span.id).execute()
    journal.updated("enrollment", span.id, {k: _span(span)[k] for k in fields}, fields)


def apply_enrollments(plan, report, school_ids, journal, today=None):
    """Keep one span per student and school: the file's dates update that
    school's span; spans at other schools stay, so a transfer keeps history."""
    students = _ids(Student)
    stored = {}
    for e in Enrollment.select().order_by(Enrollment.id):
        stored[(e.student_id, e.school_id)] = e  # the latest span at that school
    for sid, spans in plan.enrollments.items():
        if sid not in students:  # its users.csv row was left out
            continue
        for school_sid, begin, end in spans:
            student, school = students[sid], school_ids[school_sid]
            old = stored.get((student, school))
            if old is None:
                stored[(student, school)] = _create(journal, student=student, school=school,
                                                    begin_date=begin, end_date=end)
            elif (old.begin_date, old.end_date) != (begin, end):
                _update(journal, old, begin_date=begin, end_date=end)
            else:
                continue
            report.add("enrollment dates set")
    _record_transfers(plan, report, stored, journal, today)


def _record_transfers(plan, report, stored, journal, today=None):
    """A student moved to another school by users.csv, with no enrollments
    row saying when: the open span elsewhere (the old school's, from the start
    of the year when none was on file) ends yesterday, and a span at the new
    school begins today."""
    today = today or datetime.date.today()
    yesterday = today - datetime.timedelta(days=1)
    for student, old_school, school in plan.transfers:
        if (student, school) in stored and stored[(student, school)].end_date is None:
            continue  # the file's enrollments opened it already
        spans = {key: span for key, span in stored.items() if key[0] == student}
        if not spans:
            _create(journal, student=student, school=old_school, begin_date=None, end_date=yesterday)
        for (_, other), span in spans.items():
            if other != school and span.end_date is None:
                _update(journal, span, end_date=max(yesterday, span.begin_date or yesterday))
        _create(journal, student=student, school=school, begin_date=today, end_date=None)
        report.add("transfers recorded")
