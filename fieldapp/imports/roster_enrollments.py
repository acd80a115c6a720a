"""Enrollment spans from a OneRoster roster, journalled so an import can be undone.

Each enrollments.csv record (a student in a class at a school) is kept by
its sourcedId (RosterEnrollment). A file changes only the records it
carries: a delta adding one class adds one record, and tobedeleted ends a
record (on its endDate, else the day before the import) without deleting
it. A student's spans at a school (Enrollment, what days enrolled count)
are the union of all their records there, so no file shortens what earlier
files said. Spans at other schools stay, so a transfer keeps its history.

A student with no span at all is enrolled at their school all year (what
the rules assume of them): a delta adding a class keeps that, and only a
tobedeleted record of theirs there ends it. A delta enrolling such a student
at another school from a beginDate moves them there on that day: the year
assumed at their school ends the day before, as a clerk recording a move
would write it, and a note names them (without a beginDate both stay). When users.csv in the same import moves
them too, that year is still the one at the school they left (ending the day
before the move when no beginDate says when). A
record with an endDate on a class at their own school leaves the year as it
is (a class ending is not a student leaving), and a note says so, naming the
records. A bulk file is the whole truth: its records alone make the spans.
What changes a stored student's days enrolled is said in a note, with the
first few named.

The records are read and kept by roster_records, the spans made by
roster_spans, and what changes is said by roster_enrollment_notes.
"""
from fieldapp.imports.bulk import ids_by_sourced_id
from fieldapp.imports.roster_enrollment_notes import (
    Changes, moves_elsewhere, say_class_ends, say_moves, say_years_ended,
)
from fieldapp.imports.roster_records import Record, fill_bare, records_by_pair, save_records
from fieldapp.imports.roster_spans import (
    BATCH, LATEST, ONE_DAY, ended_by, match_spans, record_transfers, spanless_homes, spans_by_pair, store_spans,
    union, unmade,
)
from fieldapp.models import RosterEnrollment, Student
from fieldapp.timefmt import latest_today, today_for_school

__all__ = ["Record", "apply_enrollments", "union"]


def _ids(model):
    return ids_by_sourced_id(model)


def apply_enrollments(plan, report, school_ids, journal, today=None, stand_ins=None, known=None):
    """Keep the file's enrollment records, then make each touched student's
    spans at that school the union of all their records there (in a delta,
    spans stored before records were kept count as records, and a student
    with neither is enrolled all year at their school, until a record the
    delta ends there); spans at other schools stay, so a transfer keeps
    history. today: the day given for every school, else each school's own
    (a transfer begins on the new school's today; a record ended without an
    endDate ends the day before the latest school's today). known: the
    highest student id stored before the import (None: all were); those
    above it are new, enrolled as the file says.

    stand_ins (a preview's: sid -> stand-in id of each student it would
    create, see roster_apply.apply): nothing is written; what would change
    is counted from the stored rows and the file's, in memory."""
    given, today = today, today or latest_today()
    if not plan.enrollments and not plan.transfers:  # no record to keep, no span to move
        return
    fill_bare(plan.enrollments)
    dry = stand_ins is not None
    students = {}
    if plan.enrollments and dry:  # the stand-ins, with the stored ids added (no second copy)
        students = stand_ins
        students.update(_ids(Student))
    elif plan.enrollments:
        students = _ids(Student)
    delta = plan.mode("enrollments") == "delta"
    had_records = set()
    if plan.enrollments and delta:
        had_records = {pair for pair in RosterEnrollment.select(RosterEnrollment.student, RosterEnrollment.school)
                       .distinct().tuples()}
    pairs, wanted, ends, prior = save_records(plan, report, students, school_ids, journal, today, dry)
    moved, loaded = {student for student, _, _ in plan.transfers}, set()
    stored_before = [student for student, _ in pairs if 0 < student and (known is None or student <= known)]
    homes = spanless_homes(sorted(set(stored_before)))  # enrolled all year at their school, by assumption
    del stored_before
    # a student users.csv moves was counted at the school they left, not the one it gives them
    left = {student: (old, school) for student, old, school in plan.transfers if student in homes}
    homes.update((student, old) for student, (old, _) in left.items())
    assumed = homes if delta else {}
    moves = {}
    if assumed:  # a delta keeps what it does not end: the home school's whole year
        had = {student for student, _ in had_records}
        assumed = {student: home for student, home in homes.items() if student not in had}
        pairs.update(assumed.items())
        moves = moves_elsewhere(plan, assumed, students, school_ids)
        say_class_ends(plan, assumed, students, school_ids, report, today)
    ordered = sorted(pairs)
    del pairs
    changes, years_ended = Changes(), []  # years_ended: (student, school, end, records) said by say_years_ended
    # A few hundred students' records and spans at a time: a district's are never all held at once.
    latest, created = {}, []  # latest: (student, school) -> last span, of students moved by users.csv
    for start in range(0, len(ordered), BATCH):
        chunk = ordered[start:start + BATCH]
        records, made = records_by_pair(set(chunk), plan, wanted if dry else None, prior) if delta else (
            records_by_pair(set(chunk), plan, wanted if dry else None), {})
        touched = sorted({student for student, _ in chunk})
        stored = spans_by_pair(touched)
        for pair in chunk:
            spans = stored.setdefault(pair, [])
            before = [(s.begin_date, s.end_date) for s in spans] or (
                [(None, None)] if homes.get(pair[0]) == pair[1] else [])
            intervals = records.get(pair, [])
            if delta and pair not in had_records and (spans or pair[0] in assumed):
                # spans from before records were kept, or the year assumed: a record ended here ends them,
                # and the year assumed ends the day before the student begins at another school
                end = ends.get(pair)
                if pair[0] in moves and assumed[pair[0]] == pair[1]:
                    end = min(end or LATEST, moves[pair[0]][0] - ONE_DAY)
                elif pair[0] in left and assumed[pair[0]] == pair[1]:  # moved by users.csv, no beginDate: today
                    end = min(end or LATEST, (given or today_for_school(left[pair[0]][1])) - ONE_DAY)
                intervals = intervals + ended_by(before, end)
            elif delta and spans:
                # days no record stored made (the year assumed, written down when a class was added; a move's)
                # stay, as a delta changes only the records it carries: a record it ends here ends them
                kept, end = unmade(before, made.get(pair, ())), ends.get(pair)
                intervals = intervals + ended_by(kept, end)
                if end is not None and any(begin is None and (until or LATEST) > end for begin, until in kept) \
                        and (None, end) in union(intervals):  # the year from its first day, ended now
                    years_ended.append((pair[0], pair[1], end, len(records.get(pair, ()))))
            spans_now, before = union(intervals), union(before)
            # the year assumed, written down as it was: stored, but no date of it changes
            said = report if spans or before != spans_now else None
            match_spans(pair, spans, spans_now, said, journal, dry, created)
            if pair[0] > 0 and (known is None or pair[0] <= known) and (pair[0] not in moved or pair[0] in assumed):
                changes.saw(pair, before, spans_now)
        loaded.update(student for student in touched if student in moved)
        latest.update((pair, spans[-1]) for pair, spans in stored.items() if spans and pair[0] in moved)
        if not dry and len(created) >= 5000:
            store_spans(created, journal)
            created = []
    if not dry:  # before the transfers, which may end one of them
        store_spans(created, journal)
    changes.say(report)
    say_years_ended(years_ended, report)
    say_moves(moves, assumed, report)
    stored = spans_by_pair(sorted(moved - loaded))
    latest.update((pair, spans[-1]) for pair, spans in stored.items() if spans)
    record_transfers(plan, report, latest, journal, given, dry)
