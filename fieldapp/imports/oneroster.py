"""Rosters from OneRoster 1.1 CSV: a folder or a .zip with manifest.csv.

orgs.csv gives schools (and district names), users.csv students (role
student) and guardians (parent, guardian, relative) linked through
agentSourcedIds, demographics.csv birth dates, enrollments.csv when each
student's enrollment began and ended. The manifest says per file: bulk (the
whole set: what is not in it is deactivated), delta (changes only) or absent.

Records are matched by sourcedId, so importing the same files twice changes
nothing. Status tobedeleted deactivates a school or student and ends a
guardian's links; nothing is deleted, so cases and contacts stay. A row
carries the whole record: an empty phone, sms or email clears the stored one.
"""
import lzma
import os
import zipfile
import zlib
from functools import partial

from fieldapp.imports import roster, roster_apply
from fieldapp.imports.roster_enrollment_notes import say_transfers
from fieldapp.imports.csvfile import CsvFile
from fieldapp.imports.oneroster_files import ALIASES, COLUMNS, FILES, MULTILINE, Source, read_manifest
from fieldapp.imports.oneroster_parts import in_parts
from fieldapp.imports.oneroster_rows import cells_at, checked_rows
from fieldapp.imports.repeats import explain_duplicates
from fieldapp.imports.report import ImportRefused
from fieldapp.messages import Message


class _Stream:
    """A file's checked rows, read once when a check walks them."""

    def __init__(self, source, name, report, limits):
        self.args = (source, name, report, limits)

    def __iter__(self):
        return checked_rows(*self.args)

    def values(self, *wanted):
        """(row, tuple of the wanted columns' values): see checked_rows."""
        return checked_rows(*self.args, wanted=wanted)

    def lacking(self, columns):
        """Of columns (names), those the file's header does not name, read
        from its first line alone."""
        source, name, _, _ = self.args
        required, optional = COLUMNS[name]
        with source.open(f"{name}.csv") as stream:
            file = CsvFile(stream, f"{name}.csv", required, optional, max_bytes=source.max_bytes,
                           aliases=ALIASES.get(name), multiline=MULTILINE.get(name, ()))
            return {column for column in columns if not file.has(column)}

    def in_parts(self, wanted, work, plan, report, patience=None):
        """Check a large file in two parts at once, on two cores: the rows
        after its middle in a process forked from this one, those before it
        here (see oneroster_parts.in_parts). Returns the joined lines, or
        None, with plan and report untouched, when the file is not checked
        so: the caller then checks it row by row."""
        source, name, _, limits = self.args
        return in_parts(source, name, limits, wanted, work, plan, report, patience)


def check(path_or_stream, label, report, context):
    """Read and check a OneRoster 1.1 CSV export; returns a roster Plan."""
    source = Source(path_or_stream, label, context.limits.max_unzipped_bytes)
    try:
        modes = read_manifest(source)
        # orgs.csv is small and walked twice (districts, then schools); the others stream.
        files = {name: list(checked_rows(source, name, report, context.limits)) if name == "orgs"
                 else _Stream(source, name, report, context.limits)
                 for name in FILES if modes[name] != "absent"}
        if not files:
            raise ImportRefused(Message("manifest.csv marks every file absent: there is nothing to import."))
        unread = sorted(member for base, member in source.members.items() if base.endswith(".csv")
                        and base[:-4] not in FILES and base not in ("manifest.csv", "classes.csv"))
        if "classes.csv" in source.members:
            # an enrolment names its school itself (schoolSourcedId, a column enrollments.csv must have)
            report.note(Message("classes.csv: not needed: enrolments are read by their school (schoolSourcedId in "
                                "enrollments.csv), not by class"))
        if unread:
            report.note(Message("Files not read (this import keeps schools, students, guardians, birth dates and "
                                "enrolments): %(files)s", files=", ".join(os.path.basename(m) for m in unread)))
        plan = roster.check(files, modes, report, context.today, context.date_order)
        explain_duplicates(report, partial(cells_at, source))
        return plan
    except (zipfile.BadZipFile, EOFError, zlib.error, lzma.LZMAError, OSError) as error:
        raise ImportRefused(Message("%(file)s is a damaged zip file (%(error)s); export it again.", file=label,
                                    error=str(error))) from None


def apply(plan, report, journal, context):
    """Write a checked Plan; open cases follow transferred students."""
    # a transfer's span starts on the day given, else on the new school's own today
    roster_apply.apply(plan, report, journal, context.today if context.today_given else None)
    say_transfers(plan, report, context.today if context.today_given else None)
    from fieldapp.cases.transfers import move_open_cases, move_waiting_referrals
    moved = move_open_cases(report.transfers, journal, context.user)
    report.add("open cases moved with a transfer", moved)
    report.add("waiting referrals moved with a transfer", move_waiting_referrals(report.transfers, journal))


def import_oneroster(path_or_stream, label, skip_bad_rows=False, confirmation="", date_order=""):
    """Check and apply a OneRoster export at once, without the history; returns its Report."""
    from fieldapp.imports.steps import apply_now
    return apply_now("oneroster", path_or_stream, label, skip_bad_rows, confirmation=confirmation,
                     date_order=date_order)
