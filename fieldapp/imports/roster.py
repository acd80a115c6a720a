"""Checking OneRoster rows before anything is written: every problem is noted
with its file and line, and what is good becomes a Plan to apply
(roster_plan). The files are checked here in the order they depend on each
other: schools (roster_orgs), students and guardians (roster_users), then
birth dates and enrolments."""
from sys import intern

from fieldapp.imports.roster_records import leave_out_case_twins
from fieldapp.imports.repeats import ROW, FirstRows
from fieldapp.imports.dates import OrderWatch, parse_date, why_not_a_date
from fieldapp.imports.roster_enrollment_notes import say_enrolled_elsewhere
from fieldapp.imports.roster_enrollments import Record
from fieldapp.imports.roster_orgs import check_orgs
from fieldapp.imports.roster_plan import (PLAIN_STATUSES, Known, Plan, first_pass, known_schools, named_by_code,
                                          school_codes, status_of)
from fieldapp.imports.roster_users import check_users
from fieldapp.messages import Message
from fieldapp.models import Guardian, Student


def check_demographics(rows, plan, report, today):
    students, guardians = Known(plan.students, Student), Known(plan.guardians, Guardian)
    read = {}  # raw text -> date: a district's students share a few thousand birth dates, kept once
    first, problem = FirstRows(report, "demographics.csv").first, report.problem
    # first_pass, written out over plain values: a district has hundreds of thousands of rows
    for line, (sid, written_status, raw, fingerprint) in rows.values("sourcedId", "status", "birthDate", ROW):
        sid = intern(sid)
        if not sid:
            problem("demographics.csv", line, Message("no sourcedId"))
            continue
        if not first(sid, line, fingerprint):
            continue
        status = PLAIN_STATUSES.get(written_status) or status_of(written_status, report, "demographics.csv", line)
        if not status or sid in guardians or status == "tobedeleted" or not raw:
            continue
        if sid not in students:
            report.problem("demographics.csv", line, Message("unknown user '%(sid)s'", sid=sid))
            continue
        born = read.get(raw)
        if born is None:
            born = read[raw] = parse_date(raw, plan.date_order)
            plan.watch.saw(raw, "demographics.csv", line, "birthDate")
        if born is None:
            report.problem("demographics.csv", line, why_not_a_date(raw, "birthDate", plan.date_order))
        elif born > today:
            report.problem("demographics.csv", line, Message("bad birthDate '%(raw)s': after today", raw=raw))
        else:
            plan.births[sid] = born


def _enrollment_dates(row, report, line, order="", read=None, watch=None):
    """(begin, end) of an enrollments.csv row, or None (noted); read: raw
    text -> date, dates already read (a district's records share a few)."""
    read = {} if read is None else read

    def date_of(raw, column):
        if raw not in read:
            read[raw] = parse_date(raw, order)
            if watch is not None:
                watch.saw(raw, "enrollments.csv", line, column)
        return read[raw]
    begin, end = (date_of(row[c], c) if row[c] else None for c in ("beginDate", "endDate"))
    for column, value in (("beginDate", begin), ("endDate", end)):
        if row[column] and value is None:
            report.problem("enrollments.csv", line, why_not_a_date(row[column], column, order))
            return None
    if begin and end and begin > end:
        report.problem("enrollments.csv", line, Message("beginDate is after endDate"))
        return None
    return begin, end


def check_enrollments(rows, plan, report):
    """The students' enrollment records, checked. A tobedeleted record ends
    (on its endDate, else the day before the import); other roles are skipped."""
    students, schools, read, lines = Known(plan.students, Student), known_schools(plan), {}, {}
    codes = None  # the schools' codes, read at the first row naming no school
    for line, row, status in first_pass(rows, report, "enrollments.csv", lines):
        if status == "tobedeleted" and not (row["role"] or row["userSourcedId"] or row["schoolSourcedId"]):
            plan.enrollments[row["sourcedId"]] = Record(None, None, "", None, None, status)  # roster_records.bare
            continue
        if row["role"].lower() != "student":
            continue
        student, school = row["userSourcedId"], row["schoolSourcedId"]
        if not student:
            report.problem("enrollments.csv", line, Message("userSourcedId is empty: give the student's sourcedId"))
        elif not school:
            report.problem("enrollments.csv", line, Message("schoolSourcedId is empty: give the school's sourcedId"))
        elif student not in students:
            report.problem("enrollments.csv", line, Message("unknown student '%(key)s'", key=student))
        elif school not in schools:
            if codes is None:
                codes = school_codes(plan)
            by_code = named_by_code((school,), codes)
            report.problem("enrollments.csv", line, Message("unknown school '%(key)s'", key=school) if by_code is None
                           else Message("unknown school '%(key)s': %(why)s", key=school, why=by_code))
        else:
            dates = _enrollment_dates(row, report, line, plan.date_order, read, plan.watch)
            if dates:
                plan.enrollments[row["sourcedId"]] = Record(intern(student), intern(school),
                                                            intern(row["classSourcedId"][:255]),
                                                            *dates, status)
    leave_out_case_twins(plan.enrollments, lines, report)


CHECKS = {"orgs": check_orgs, "users": check_users, "demographics": check_demographics,
          "enrollments": check_enrollments}


def check(files, modes, report, today, date_order=""):
    """A Plan from the rows of each file present, in dependency order;
    date_order says how slash dates read (imports.dates)."""
    plan = Plan(modes, date_order=date_order, watch=OrderWatch(date_order))
    for name in ("orgs", "users", "demographics", "enrollments"):
        if name in files:
            if name == "demographics":
                check_demographics(files[name], plan, report, today)
            else:
                CHECKS[name](files[name], plan, report)
    say_enrolled_elsewhere(plan, report)
    report.note_repeated()
    return plan
