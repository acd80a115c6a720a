"""What a roster's enrollments.csv changes in days enrolled, said in the
import's notes with the first few students named: students whose spans
change, students enrolled all year by assumption whom a delta moves to
another school, and records whose class ends at such a student's own school
(which leaves their year as it is); and, said from users.csv, students
enrolled only at another school than theirs, and students moved with no
enrolment saying when."""
from fieldapp.imports.roster_spans import BATCH, ONE_DAY
from fieldapp.messages import Message, plural_message
from fieldapp.models import Enrollment, School, Student
from fieldapp.rules.calendar import calendar_for
from fieldapp.timefmt import today_for_school

SHOWN_CHANGES = 5


def moves_elsewhere(plan, assumed, students, school_ids):
    """{student: (begin, school)} of the students enrolled all year by
    assumption (assumed: {student: home school}) whom the delta's records
    enrol at another school from a beginDate: the earliest such begin, and
    its school."""
    moves = {}
    for record in plan.enrollments.values():
        student, school = students.get(record.student), school_ids.get(record.school)
        if (student in assumed and school != assumed[student] and record.begin and record.status != "tobedeleted"
                and (student not in moves or record.begin < moves[student][0])):
            moves[student] = (record.begin, school)
    return moves


def say_class_ends(plan, assumed, students, school_ids, report, today):
    """Say which of the delta's records with an endDate, at the school of a
    student enrolled all year by assumption (assumed: {student: home school}),
    leave that year as it is (the first few, by sourcedId): a class ending is
    not a student leaving; only status tobedeleted ends an enrolment. A
    student whose year there the same import ends (a tobedeleted record
    there, a record at another school, users.csv moving them) is left out:
    their year does not stay, and the note of days enrolled says how it ends. A record ending on the last day of
    the school year of the import (today) or later is no class ending early, and is left out too."""
    ended = _years_ended(plan, assumed, students, school_ids)
    ends = sorted((sid, students[record.student], record.class_sid, record.end)
                  for sid, record in plan.enrollments.items()
                  if record.end and record.status != "tobedeleted" and students.get(record.student) in assumed
                  and school_ids.get(record.school) == assumed[students[record.student]]
                  and students[record.student] not in ended)
    last_days = {school: calendar_for(school, today).last_day for school in {assumed[s] for _, s, _, _ in ends}}
    ends = [end for end in ends if end[3] < last_days[assumed[end[1]]]]
    if not ends:
        return
    shown = ends[:SHOWN_CHANGES]
    names = dict((i, f"{first} {last} ({key})") for i, first, last, key in Student.select(
        Student.id, Student.first_name, Student.last_name, Student.local_id).where(
        Student.id.in_([student for _, student, _, _ in shown if student > 0])).tuples())
    said = tuple(Message("%(record)s: %(student)s, class %(class_id)s until %(end)s", record=sid,
                         student=names.get(student, ""), class_id=class_sid, end=end)
                 for sid, student, class_sid, end in shown)
    n = len(ends)
    report.note(plural_message(
        "%(num)d enrolment carries an end date on a class at the student's own school; the student stays "
        "enrolled all year, as before (a class ending is not a student leaving): send the enrolment with status "
        "tobedeleted to end it: %(records)s",
        "%(num)d enrolments carry an end date on a class at the student's own school; the students stay "
        "enrolled all year, as before (a class ending is not a student leaving): send the enrolment with status "
        "tobedeleted to end it: %(records)s",
        n, num=n, records=said + (("…",) if n > len(said) else ())))


def _years_ended(plan, assumed, students, school_ids):
    """The students enrolled all year by assumption whose year at that school the import ends."""
    ended = {student for student, _, _ in plan.transfers if student in assumed}
    ended.update(moves_elsewhere(plan, assumed, students, school_ids))
    ended.update(student for record in plan.enrollments.values() if record.status == "tobedeleted"
                 for student in (students.get(record.student),)
                 if student in assumed and school_ids.get(record.school) == assumed[student])
    return ended


def say_moves(moves, assumed, report):
    """Say which students enrolled all year by assumption the delta moved to another school (the first few)."""
    if not moves:
        return
    shown = sorted(moves)[:SHOWN_CHANGES]
    names = dict((i, f"{first} {last} ({key})") for i, first, last, key in Student.select(
        Student.id, Student.first_name, Student.last_name, Student.local_id).where(Student.id.in_(shown)).tuples())
    schools = dict(School.select(School.id, School.name).where(
        School.id.in_({assumed[s] for s in shown} | {moves[s][1] for s in shown})).tuples())
    said = tuple(Message("%(student)s: %(home)s until %(end)s, %(school)s from %(begin)s", student=names.get(s, str(s)),
                         home=schools.get(assumed[s], ""), end=moves[s][0] - ONE_DAY,
                         school=schools.get(moves[s][1], ""), begin=moves[s][0]) for s in shown)
    n = len(moves)
    report.note(plural_message(
        "%(num)d student with no enrolment on file was counted enrolled all year at their school; this file "
        "enrols them at another school from its beginDate, so their year at their school ends the day before "
        "(their school on file stays until users.csv moves them): %(students)s",
        "%(num)d students with no enrolment on file were counted enrolled all year at their school; this file "
        "enrols them at another school from its beginDate, so their year at their school ends the day before "
        "(their school on file stays until users.csv moves them): %(students)s",
        n, num=n, students=said + (("…",) if n > len(said) else ())))


def say_years_ended(ended, report):
    """Say which students counted enrolled from the year's first day by assumption, their records at that
    school beginning later, have that year ended by the records the delta ends there (the first few). ended:
    [(student, school, end, how many records of theirs there)]."""
    if not ended:
        return
    shown = sorted(ended)[:SHOWN_CHANGES]
    names = dict((i, f"{first} {last} ({key})") for i, first, last, key in Student.select(
        Student.id, Student.first_name, Student.last_name, Student.local_id).where(
        Student.id.in_([student for student, *_ in shown])).tuples())
    schools = dict(School.select(School.id, School.name).where(
        School.id.in_({school for _, school, _, _ in shown})).tuples())
    said = tuple(Message("%(student)s: their only enrolment at %(school)s ends %(end)s; their year, counted from "
                         "the first day by assumption, now ends then", student=names.get(student, str(student)),
                         school=schools.get(school, ""), end=end) if records == 1 else
                 Message("%(student)s: their enrolments at %(school)s end by %(end)s; their year, counted from the "
                         "first day by assumption, now ends then", student=names.get(student, str(student)),
                         school=schools.get(school, ""), end=end)
                 for student, school, end, records in shown)
    n = len(ended)
    report.note(plural_message(
        "%(num)d student was counted enrolled from the first day of the year by assumption, and this file deletes "
        "(status tobedeleted) their enrolment there, so their year ends on its end date; if they are still "
        "enrolled, send the enrolment again with status active: %(students)s",
        "%(num)d students were counted enrolled from the first day of the year by assumption, and this file "
        "deletes (status tobedeleted) their enrolments there, so their years end on those end dates; if they are "
        "still enrolled, send the enrolment again with status active: %(students)s",
        n, num=n, students=said + (("…",) if n > len(said) else ())))


class Changes:
    """Stored students whose spans at a school change, the first few kept to name."""

    def __init__(self):
        self.students, self.shown = set(), []

    def saw(self, pair, before, after):
        """pair: (student, school) whose spans were before and are after."""
        if before == after:
            return
        self.students.add(pair[0])
        if len(self.shown) < SHOWN_CHANGES:
            self.shown.append((pair, before, after))

    def say(self, report):
        if not self.students:
            return
        names = dict((i, (f"{first} {last}", key)) for i, first, last, key in Student.select(
            Student.id, Student.first_name, Student.last_name, Student.local_id).where(
            Student.id.in_([s for (s, _), _, _ in self.shown])).tuples())
        schools = dict(School.select(School.id, School.name).where(
            School.id.in_([school for (_, school), _, _ in self.shown])).tuples())
        # each at its school: a student moved has two, "not enrolled" at the new one meant there only
        shown = tuple(Message("%(name)s (%(key)s) at %(school)s: %(before)s, now %(after)s", name=names[s][0],
                              key=names[s][1], school=schools.get(school, ""), before=_said(before),
                              after=_said(after))
                      for (s, school), before, after in self.shown if s in names)
        n = len(self.students)
        report.note(plural_message("Days enrolled change for %(num)d student: %(students)s",
                                   "Days enrolled change for %(num)d students: %(students)s", n, num=n,
                                   students=shown + (("…",) if n > len(shown) else ())))


def _said(spans):
    """A student's spans at a school in words."""
    if not spans:
        return Message("not enrolled")
    words = []
    for begin, end in spans:
        if begin is None and end is None:
            words.append(Message("every day of the year"))
        elif end is None:
            words.append(Message("from %(begin)s", begin=begin))
        elif begin is None:
            words.append(Message("until %(end)s", end=end))
        else:
            words.append(Message("%(begin)s to %(end)s", begin=begin, end=end))
    return tuple(words) if len(words) > 1 else words[0]


def say_enrolled_elsewhere(plan, report):
    """Say which students users.csv places at one school (orgSourcedIds) whom
    the file's enrollments.csv enrols only at others (the first few): their
    days enrolled, and the marks counted, are those of the enrolments' school,
    while their cases and letters follow the school users.csv gives."""
    at_home, enrolled = set(), {}  # enrolled: student sid -> the other schools of their records the file keeps
    students = plan.students
    for record in plan.enrollments.values():
        fields = students.get(record.student)
        if fields and record.status != "tobedeleted":
            if record.school == fields.school:
                at_home.add(record.student)
            else:
                enrolled.setdefault(record.student, set()).add(record.school)
    elsewhere = sorted(set(enrolled) - at_home)
    if elsewhere and plan.mode("enrollments") == "delta":
        elsewhere = _without_stored_years(elsewhere, students)
    if not elsewhere:
        return
    shown = elsewhere[:SHOWN_CHANGES]
    schools = _school_names(plan, {plan.students[sid].school for sid in shown}
                            | {school for sid in shown for school in enrolled[sid]})
    said = tuple(Message("%(student)s: %(school)s in users.csv, enrolled at %(enrolled)s",
                         student=_named(plan.students[sid], sid), school=schools[plan.students[sid].school],
                         enrolled=", ".join(sorted(schools[school] for school in enrolled[sid])))
                 for sid in shown)
    n = len(elsewhere)
    report.note(plural_message(
        "%(num)d student is at one school in users.csv (orgSourcedIds) but enrolled only at another in "
        "enrollments.csv: their days enrolled, and the marks that count, are the enrolment's school's, while their "
        "case and letters follow the users.csv school; correct whichever file is wrong: %(students)s",
        "%(num)d students are at one school in users.csv (orgSourcedIds) but enrolled only at another in "
        "enrollments.csv: their days enrolled, and the marks that count, are the enrolment's school's, while their "
        "cases and letters follow the users.csv school; correct whichever file is wrong: %(students)s",
        n, num=n, students=said + (("…",) if n > len(said) else ())))


def _without_stored_years(sids, students):
    """Those of sids (a delta's) whose stored spans leave them no year at the school users.csv gives, or
    who are new: one with a span there keeps it, and one stored with no span is counted there all year until
    a record elsewhere begins (said by say_moves)."""
    stored = set(Student.select(Student.sourced_id).where(Student.sourced_id.in_(sids)).tuples())
    spans = {}
    for sid, school in (Enrollment.select(Student.sourced_id, School.sourced_id).join_from(Enrollment, Student)
                        .join_from(Enrollment, School).where(Student.sourced_id.in_(sids)).tuples()):
        spans.setdefault(sid, set()).add(school)
    return [sid for sid in sids if (sid,) not in stored or sid in spans and students[sid].school not in spans[sid]]


def say_transfers(plan, report, today=None):
    """Say which students users.csv moves to another school with no enrolment
    in the file saying when (the first few): the move is taken to happen on
    the day of the import (today, else the new school's own today), so the
    period open at the old school, or the year counted there by assumption,
    ends the day before (imports.roster_spans.record_transfers)."""
    if not plan.transfers:
        return
    # a record of the file at the new school says when the student begins there
    named = {(record.student, record.school) for record in plan.enrollments.values()
             if record.status != "tobedeleted"}
    moved = sorted({student for student, _, _ in plan.transfers})  # a year's rollover moves thousands
    ids = {}
    for start in range(0, len(moved), BATCH):
        ids.update(Student.select(Student.id, Student.sourced_id).where(
            Student.id.in_(moved[start:start + BATCH])).tuples())
    school_sids = dict(School.select(School.id, School.sourced_id).tuples())
    moves = sorted((ids[student], student, old, school) for student, old, school in plan.transfers
                   if student in ids and (ids[student], school_sids.get(school)) not in named)
    if not moves:
        return
    shown = moves[:SHOWN_CHANGES]
    schools = dict(School.select(School.id, School.name).where(
        School.id.in_({old for *_, old, _ in shown} | {school for *_, school in shown})).tuples())
    said = []
    for sid, student, old, school in shown:
        day = today or today_for_school(school)
        if _ends_at(student, old, day - ONE_DAY):
            said.append(Message("%(student)s: %(home)s until %(end)s, %(school)s from %(begin)s",
                                student=_named(plan.students[sid], sid), home=schools.get(old, ""),
                                end=day - ONE_DAY, school=schools.get(school, ""), begin=day))
        else:
            said.append(Message("%(student)s: %(school)s from %(begin)s", student=_named(plan.students[sid], sid),
                                school=schools.get(school, ""), begin=day))
    n = len(moves)
    report.note(plural_message(
        "%(num)d student is moved to another school by users.csv with no enrolment saying when: the move is "
        "taken as the day of this import, so an enrolment open at the old school ends the day before; to give the "
        "real day, send enrollments.csv with the endDate at the old school and the beginDate at the new one: "
        "%(students)s",
        "%(num)d students are moved to another school by users.csv with no enrolment saying when: each move is "
        "taken as the day of this import, so an enrolment open at the old school ends the day before; to give the "
        "real days, send enrollments.csv with the endDate at the old school and the beginDate at the new one: "
        "%(students)s",
        n, num=n, students=tuple(said) + (("…",) if n > len(said) else ())))


def _ends_at(student, school, end):
    """Whether the move ends the student's time at school on end: a span there open (a preview has written
    nothing) or ending on end (applied), or no span at all (the year assumed there)."""
    spans = list(Enrollment.select(Enrollment.school, Enrollment.end_date).where(
        Enrollment.student == student).tuples())
    return not spans or any(at == school and (last is None or last == end) for at, last in spans)


def _named(fields, sid):
    return f"{fields.first_name} {fields.last_name} ({fields.local_id or sid})"


def _school_names(plan, sids):
    """sid -> name of the schools sids, as the file gives them or as stored."""
    names = {sid: plan.schools[sid][0] for sid in sids if sid in plan.schools}
    lacking = [sid for sid in sids if sid not in names]
    if lacking:
        names.update(School.select(School.sourced_id, School.name).where(School.sourced_id.in_(lacking)).tuples())
    return {sid: names.get(sid, sid) for sid in sids}
