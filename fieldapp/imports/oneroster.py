"""Rosters from OneRoster 1.1 CSV: a folder or a .zip with manifest.csv.

orgs.csv gives schools (and district names), users.csv students (role
student) and guardians (parent, guardian, relative) linked through
agentSourcedIds, demographics.csv birth dates, enrollments.csv when each
student's enrollment began and ended. The manifest says per file: bulk (the
whole set: what is not in it is deactivated), delta (changes only) or absent.

Records are matched by sourcedId, so importing the same files twice changes
nothing. Status tobedeleted deactivates a school or student and unlinks a
guardian; nothing is deleted, so cases and contacts stay.
"""
import os
import zipfile

from fieldapp.db import database
from fieldapp.imports import roster, roster_apply, school_details
from fieldapp.imports.csvfile import CsvFile, ImportRefused, Report

FILES = ("orgs", "users", "demographics", "enrollments")
MODES = ("bulk", "delta", "absent")
COMMON = ("sourcedId", "status", "dateLastModified")
COLUMNS = {
    "orgs": (("sourcedId", "name", "type"), ("status", "dateLastModified", "identifier",
                                             "parentSourcedId") + school_details.COLUMNS),
    "users": (("sourcedId", "role", "givenName", "familyName", "orgSourcedIds"),
              ("status", "dateLastModified", "enabledUser", "username", "userIds", "middleName",
               "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password")),
    "demographics": (("sourcedId", "birthDate"), (
        "status", "dateLastModified", "sex", "americanIndianOrAlaskaNative", "asian",
        "blackOrAfricanAmerican", "nativeHawaiianOrOtherPacificIslander", "white",
        "demographicRaceTwoOrMoreRaces", "hispanicOrLatinoEthnicity", "countryOfBirthCode",
        "stateOfBirthAbbreviation", "cityOfBirth", "publicSchoolResidenceStatus")),
    "enrollments": (("sourcedId", "schoolSourcedId", "userSourcedId", "role"),
                    ("status", "dateLastModified", "classSourcedId", "primary", "beginDate",
                     "endDate")),
}


class Source:
    """The files of a OneRoster export, from a folder or a zip (which may hold
    them in one sub-folder)."""

    def __init__(self, path_or_stream, label):
        self.label = label
        if not isinstance(path_or_stream, str) or not os.path.isdir(path_or_stream):
            try:
                self.zip = zipfile.ZipFile(path_or_stream)
            except (zipfile.BadZipFile, OSError):
                raise ImportRefused(f"{label} is neither a folder nor a .zip file.") from None
            self.members = {os.path.basename(n).lower(): n for n in self.zip.namelist()
                            if not n.endswith("/")}
            self.folder = None
        else:
            self.zip, self.folder = None, path_or_stream
            self.members = {n.lower(): n for n in os.listdir(path_or_stream)}

    def open(self, name):
        """A binary stream of the named file, or None when it is not there."""
        member = self.members.get(name.lower())
        if member is None:
            return None
        if self.zip:
            return self.zip.open(member)
        return open(os.path.join(self.folder, member), "rb")


def read_manifest(source):
    """{file: mode} from manifest.csv, checked."""
    stream = source.open("manifest.csv")
    if stream is None:
        raise ImportRefused(f"{source.label} has no manifest.csv: a OneRoster 1.1 export "
                            "starts with one.")
    with stream:
        file = CsvFile(stream, "manifest.csv", required=("propertyName", "value"))
        props = {file.cell(c, "propertyName"): file.cell(c, "value") for _, c in file.rows()}
    version = props.get("oneroster.version", "1.1")
    if not version.startswith("1.1"):
        raise ImportRefused(f"manifest.csv says oneroster.version {version}; this import reads 1.1.")
    modes = {}
    for name in FILES:
        mode = props.get(f"file.{name}", "absent").strip().lower()
        if mode not in MODES:
            raise ImportRefused(f"manifest.csv: file.{name} is '{mode}'; use bulk, delta or absent.")
        if mode != "absent" and source.members.get(f"{name}.csv") is None:
            raise ImportRefused(f"manifest.csv says {name}.csv is {mode}, but {source.label} "
                                f"has no {name}.csv.")
        modes[name] = mode
    return modes


def _rows(source, name, report):
    """(line, {column: value}) of one file, checked for columns and width."""
    required, optional = COLUMNS[name]
    stream = source.open(f"{name}.csv")
    with stream:
        file = CsvFile(stream, f"{name}.csv", required, optional)
        rows = []
        for line, cells in file.rows():
            report.rows_read += 1
            if len(cells) != file.width:
                report.problem(file.name, line, f"has {len(cells)} cells; the header has {file.width}")
                continue
            rows.append((line, {c: file.cell(cells, c) for c in required + optional}))
    return rows


def import_oneroster(path_or_stream, label, skip_bad_rows=False):
    """Check and apply a OneRoster 1.1 CSV export; returns its Report."""
    report = Report("oneroster", label, skip_bad_rows)
    try:
        source = Source(path_or_stream, label)
        modes = read_manifest(source)
        files = {name: _rows(source, name, report) for name in FILES if modes[name] != "absent"}
        if not files:
            raise ImportRefused("manifest.csv marks every file absent: there is nothing to import.")
        plan = roster.check(files, modes, report)
    except ImportRefused as refused:
        return report.refuse(str(refused))
    if not report.may_apply():
        return report
    with database.atomic():
        roster_apply.apply(plan, report)
    report.applied = True
    return report
