"""Applying a checked OneRoster Plan: upserts by sourcedId in batches, only
what changed is written, every change is journalled so the import can be
undone, and nothing is deleted: students and schools are deactivated,
guardian links ended."""
import contextlib

from peewee import fn

from fieldapp.db import database

from fieldapp.imports.bulk import update_rows
from fieldapp.imports.bulk_indexes import indexes_built_after
from fieldapp.imports.bulk_writer import Writer
from fieldapp.imports.roster_changes import changes, ids, update
from fieldapp.imports.roster_enrollments import apply_enrollments
from fieldapp.imports.roster_guardians import apply_guardians, apply_links
from fieldapp.imports.roster_identifiers import note_shared_identifiers
from fieldapp.imports.roster_students import apply_students
from fieldapp.imports.school_details import apply_school_details
from fieldapp.models import Guardian, School, Student, StudentGuardian, StudentSearchTerm


def apply_schools(plan, report, journal):
    stored = {s.sourced_id: s for s in School.select()}
    said = []  # schools a delta gives again as stored (journal.said)
    for sid, (name, district, active) in plan.schools.items():
        school, code = stored.get(sid), plan.school_codes.get(sid, "")[:255]
        if school is None:
            if active:
                created = School.create(sourced_id=sid, name=name, district=district or "", identifier=code)
                journal.created("school", created.id)
                report.add("schools created")
                report.example("schools created", name)
            continue
        old = {"name": school.name, "district": school.district, "active": school.active,
               "identifier": school.identifier}
        changed = changes(old, {"name": name, "district": district or "", "active": active,
                                 "identifier": code})
        if changed:
            update(School, school.id, old, changed, journal)
            what = "schools deactivated" if changed.get("active") is False else "schools updated"
            report.add(what)
            report.example(what, school.name)
        elif plan.mode("orgs") == "delta":
            said.append(school.id)
    journal.said("school", said)
    if plan.mode("orgs") == "bulk":
        for sid, school in stored.items():
            if school.active and sid not in plan.schools:
                update(School, school.id, {"active": True}, {"active": False}, journal)
                report.add("schools deactivated")
                report.example("schools deactivated", school.name)
    return ids(School)


def apply_births(plan, report, journal):
    """Set the birth dates the file gives that differ from those stored,
    reading the stored ones as a stream (a district holds hundreds of
    thousands of students) and keeping only those that change."""
    read, births, changed = Student.birth_date.python_value, plan.births, []
    dates = {}  # stored value -> date: a district's students share a few thousand, each read once
    for row_id, sid, stored in database.execute_sql('SELECT "id", "sourced_id", "birth_date" FROM "student"'):
        born = births.get(sid)
        if born is None:
            continue
        had = dates.get(stored)
        if had is None:
            had = dates[stored] = read(stored)
        if had != born:
            changed.append((born, row_id, had))
    update_rows(Student, [Student.birth_date], [(born, row_id) for born, row_id, _ in changed])
    for born, row_id, stored in changed:
        if stored is not None:
            journal.updated("student", row_id, {"birth_date": stored}, {"birth_date": born})
    report.add("birth dates set", len(changed))


def apply(plan, report, journal, today=None):
    """Write the plan (inside the caller's transaction), journalling each
    change; `today` (the local date) starts the span of a transfer.

    A preview (report.previewed; the caller rolls it back) counts what
    applying would change without inserting the new students, guardians and
    links, the bulk of a district's roster: each new one gets a stand-in id
    below zero, which no stored row has, so what follows counts as applying
    would. Enrolment records and spans are counted the same way, in memory
    against the stored ones (imports.roster_enrollments)."""
    # A plan may be applied twice (a preview rolled back, then for real): start afresh.
    plan.transfers = report.transfers = []
    report.deactivated_students = []
    stand_ins = {"student": {"": []}, "guardian": {}} if report.previewed else None
    known = Student.select(fn.MAX(Student.id)).scalar() or 0  # those above it are new: nothing assumed of them
    school_ids = apply_schools(plan, report, journal) if plan.schools or plan.mode("orgs") == "bulk" \
        else ids(School)
    if plan.mode("users") != "absent":
        # a preview writes none of them; a first roster fills them from nothing
        filled = () if stand_ins else (Student, StudentSearchTerm, Guardian, StudentGuardian)
        # applying, the rows are written by a thread of their own while the next batch is made
        with indexes_built_after(*filled), (Writer() if filled else contextlib.nullcontext()):
            apply_students(plan, report, school_ids, journal, stand_ins and stand_ins["student"])
            apply_guardians(plan, report, journal, stand_ins and stand_ins["guardian"])
            apply_links(plan, report, journal, stand_ins)
        if stand_ins:  # the guardians' are needed no further
            stand_ins["guardian"].clear()
    apply_school_details(plan, report)
    apply_births(plan, report, journal)
    apply_enrollments(plan, report, school_ids, journal, today, stand_ins and stand_ins["student"], known)
    if stand_ins is None:  # the files it sent whole: each says every record (journal.said_whole)
        journal.said_whole([name for name in ("orgs", "users", "enrollments") if plan.mode(name) == "bulk"])
    note_shared_identifiers(report, stand_ins["student"][""] if stand_ins else ())
