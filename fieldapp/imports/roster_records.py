"""The enrollments.csv records of a OneRoster roster, kept by sourcedId
(RosterEnrollment) and read back by (student, school) pair: what the spans
(fieldapp.imports.roster_spans) are made of. A file changes only the records
it carries; tobedeleted ends a record (on its endDate, else the day before
the import) without deleting it. Each change is journalled, so an import can
be undone (fieldapp.imports.undo)."""
from collections import namedtuple

from fieldapp.imports.bulk import ids_by_sourced_id, insert_rows, new_ids
from fieldapp.imports.repeats import case_twins, differs_in_case, differs_in_case_from_stored, stored_case_twins
from fieldapp.imports.journal import plain
from fieldapp.imports.roster_spans import BATCH, ONE_DAY
from fieldapp.messages import Message, plural_message
from fieldapp.models import RosterEnrollment, School, Student

# One enrollments.csv record of a student: sourced ids, dates (None: open), active | tobedeleted.
Record = namedtuple("Record", "student school class_sid begin end status")
# One stored RosterEnrollment row, as plain values (ids for the student and school).
StoredRecord = namedtuple("StoredRecord", "id student_id school_id class_sourced_id begin_date end_date status")


def leave_out_case_twins(enrollments, lines, report):
    """Leave out, each as a row problem of enrollments.csv, the records of enrollments ({sid: Record}; their
    rows in lines, {sid: row}) whose sourcedId differs only in case from that of an earlier row
    (repeats.case_twins) or of a stored record (repeats.stored_case_twins): one record typed twice would
    be kept as two, and the span of the one the other ends would stay open."""
    for sid, line, other, other_line in case_twins(lines):
        if enrollments.pop(sid, None) is not None:
            report.problem("enrollments.csv", line, differs_in_case(sid, other, other_line))
    if not enrollments:
        return
    for sid, other in stored_case_twins(enrollments, ids_by_sourced_id(RosterEnrollment)).items():
        del enrollments[sid]
        report.problem("enrollments.csv", lines.get(sid), differs_in_case_from_stored(
            sid, other, Message("an enrollment record")))


def _ended(record, old, today):
    """The end date a record keeps: a tobedeleted record without one ends
    the day before the import (or on its begin date, if that is later),
    unless the stored record ends earlier already: a stored end later than
    that (the year's last day) is no end of a record deleted now."""
    if record.status != "tobedeleted" or record.end:
        return record.end
    yesterday = today - ONE_DAY
    end = max(yesterday, record.begin) if record.begin else yesterday
    return min(end, old.end_date) if old is not None and old.end_date else end


def fill_bare(enrollments):
    """Give each record of enrollments that a tobedeleted row names by its sourcedId alone (no student, school
    or role: a OneRoster delta may delete a record so) the student, school, class and beginDate of the record
    stored with that sourcedId; one not on file is left bare (student None), and save_records says so."""
    bare, m = [sid for sid, record in enrollments.items() if record.student is None], RosterEnrollment
    for start in range(0, len(bare), BATCH):
        for sid, student, school, class_sid, begin in m.select(
                m.sourced_id, Student.sourced_id, School.sourced_id, m.class_sourced_id, m.begin_date).join_from(
                m, Student).join_from(m, School).where(m.sourced_id.in_(bare[start:start + BATCH])).tuples():
            enrollments[sid] = enrollments[sid]._replace(student=student, school=school, class_sid=class_sid,
                                                         begin=begin)


def save_records(plan, report, students, school_ids, journal, today, dry=False):
    """Upsert the file's records (journalled); returns the (student, school)
    pairs they touch, in a preview (dry: nothing written) the file's records
    as they would be stored: {pair: [(begin, end)]}, the latest end of the
    records the file ends (tobedeleted) of each pair: {pair: date}, and in a
    delta those of the file's records stored before it, as they were:
    {pair: [(begin, end)]}."""
    stored, wanted, ends = {}, {}, {}
    sids, m = list(plan.enrollments), RosterEnrollment
    for start in range(0, len(sids), BATCH):  # plain rows: a district's records, never a model object each
        for sid, *row in m.select(m.sourced_id, m.id, m.student, m.school, m.class_sourced_id, m.begin_date,
                                  m.end_date, m.status).where(m.sourced_id.in_(sids[start:start + BATCH])).tuples():
            stored[sid] = StoredRecord(*row)
    pairs, new, absent, delta = set(), [], [], plan.mode("enrollments") == "delta"
    prior = {}  # a delta's records as stored before it, by pair: what records made the stored spans of
    for old in (stored.values() if delta else ()):
        prior.setdefault((old.student_id, old.school_id), []).append((old.begin_date, old.end_date))
    said = []  # records a delta gives again as stored: undoing an earlier import keeps them (journal.said)
    for sid, record in plan.enrollments.items():
        if record.student is None:  # deleted by its sourcedId alone (fill_bare), and not on file
            absent.append(sid)
            continue
        if record.student not in students:  # its users.csv row was left out
            continue
        old = stored.get(sid)
        want = {"student": students[record.student], "school": school_ids[record.school],
                "class_sourced_id": record.class_sid, "begin_date": record.begin,
                "end_date": _ended(record, old, today), "status": record.status}
        pair = (want["student"], want["school"])  # one tuple for both: a district has hundreds of thousands
        pairs.add(pair)
        if record.status == "tobedeleted":
            ends[pair] = max(ends.get(pair, want["end_date"]), want["end_date"])
            if old is None and delta:  # nothing on file to end: not stored (its end still ends a year assumed)
                absent.append(sid)
                continue
        if dry:
            wanted.setdefault(pair, []).append((want["begin_date"], want["end_date"]))
        if old is None:
            new.append((sid, want["student"], want["school"], want["class_sourced_id"], want["begin_date"],
                        want["end_date"], want["status"]))
            if len(new) >= 5000:  # a batch at a time: a district's records are never all held twice
                _insert_records(new, report, journal, dry)
                new = []
            continue
        have = {"student": old.student_id, "school": old.school_id, "class_sourced_id": old.class_sourced_id,
                "begin_date": old.begin_date, "end_date": old.end_date, "status": old.status}
        changed = {k: v for k, v in want.items() if v != have[k]}
        if changed:
            pairs.add((old.student_id, old.school_id))
            if not dry:
                RosterEnrollment.update(**changed).where(RosterEnrollment.id == old.id).execute()
            journal.updated("roster_enrollment", old.id, {k: plain(have[k]) for k in changed},
                            {k: plain(v) for k, v in changed.items()})
            report.add("enrollment records ended" if changed.get("status") == "tobedeleted"
                       else "enrollment records updated")
        elif delta and not dry:
            said.append(old.id)
    _insert_records(new, report, journal, dry)
    journal.said("roster_enrollment", said)
    _say_not_on_file(absent, report)
    return pairs, wanted, ends, prior


def _say_not_on_file(sids, report):
    """Say which records a delta asks to delete (tobedeleted) are not on file, the first few by sourcedId."""
    if sids:
        shown = tuple(sorted(sids)[:5])
        report.note(plural_message(
            "%(num)d enrolment record to delete (status tobedeleted) was not on file, so it is not stored (its "
            "endDate still ends the year of a student counted enrolled all year by assumption): %(records)s",
            "%(num)d enrolment records to delete (status tobedeleted) were not on file, so none is stored (an "
            "endDate still ends the year of a student counted enrolled all year by assumption): %(records)s", len(sids), num=len(sids), records=shown + (("…",) if len(sids) > len(shown) else ())))


def _insert_records(rows, report, journal, dry=False):
    if dry:
        report.add("enrollment records added", len(rows))
        return
    m = RosterEnrollment
    for start in range(0, len(rows), 5000):  # ids given with the rows: none read back
        part = rows[start:start + 5000]
        ids = new_ids(m, len(part))
        insert_rows(m, [m.id, m.sourced_id, m.student, m.school, m.class_sourced_id, m.begin_date, m.end_date,
                        m.status], [(i,) + row for i, row in zip(ids, part)])
        journal.created_rows("roster_enrollment", ids)
    report.add("enrollment records added", len(rows))


def records_by_pair(pairs, plan=None, wanted=None, prior=None):
    """{pair: [(begin, end)]} of the records stored for the pairs; in a
    preview, the file's records (wanted, from save_records) in place of
    the stored ones they would change (plan: whose sourced ids the file has).
    prior (a delta's, from save_records): the records of the pairs as stored
    before the import are returned too, ({pair: ...}, {pair: ...})."""
    found, before = {}, {}
    carried = plan.enrollments if plan is not None else {}
    students = sorted({student for student, _ in pairs if student > 0})  # below 0: a preview's stand-in
    m = RosterEnrollment
    for start in range(0, len(students), BATCH):
        for sid, student, school, begin, end in m.select(
                m.sourced_id, m.student, m.school, m.begin_date, m.end_date).where(
                m.student.in_(students[start:start + BATCH])).tuples():
            if (student, school) not in pairs:
                continue
            if sid not in carried:
                found.setdefault((student, school), []).append((begin, end))
                if prior is not None:
                    before.setdefault((student, school), []).append((begin, end))
            elif wanted is None:  # the file's, stored: as it left them
                found.setdefault((student, school), []).append((begin, end))
    for pair in (pairs if wanted else ()):
        records = wanted.get(pair)
        if records is None:
            continue
        if pair in found:
            found[pair].extend(records)
        else:
            found[pair] = records  # the same list: no copy of a district's records
    if prior is None:
        return found
    for pair in pairs:
        if pair in prior:
            before.setdefault(pair, []).extend(prior[pair])
    return found, before
