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
from operator import itemgetter
import zipfile
import zlib

from fieldapp.imports import roster, roster_apply, school_details
from fieldapp.imports.csvfile import CsvFile, ImportRefused

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


# OneRoster 1.0 names for 1.1 columns: `agents` links guardians and students as agentSourcedIds does.
ALIASES = {"users": {"agents": "agentSourcedIds", "userId": "userIds"}}
# Columns whose values may hold a line break: a school's address runs over
# lines as an administrator types it and as letters print it. A line break
# anywhere else is a quote left open, and refuses the file (CsvFile).
MULTILINE = {"orgs": ("metadata.address",)}

SUPPORTED_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
MAX_CELL = 255  # the longest value a roster field holds


class Source:
    """The files of a OneRoster export, from a folder or a zip (which may hold
    them in one sub-folder). A zip is checked before anything is read: no
    encrypted member, no compression Python cannot read, no two files of the
    same name, and no more than max_bytes once unpacked."""

    def __init__(self, path_or_stream, label, max_bytes=None):
        self.label, self.max_bytes = label, max_bytes
        if not isinstance(path_or_stream, str) or not os.path.isdir(path_or_stream):
            try:
                self.zip = zipfile.ZipFile(path_or_stream)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError):
                raise ImportRefused(f"{label} is neither a folder nor a .zip file.") from None
            self.members = self._check_zip()
            self.folder = None
        else:
            self.zip, self.folder = None, path_or_stream
            self.members = {n.lower(): n for n in os.listdir(path_or_stream)}

    def _check_zip(self):
        members, total = {}, 0
        for info in self.zip.infolist():
            if info.is_dir():
                continue
            base = os.path.basename(info.filename).lower()
            if base in members:
                raise ImportRefused(f"{self.label} holds two files named {base}: "
                                    f"{members[base]} and {info.filename}. Keep one and import again.")
            if info.flag_bits & 0x1:
                raise ImportRefused(f"{self.label}: {info.filename} is encrypted (password-protected); "
                                    "export it again without a password.")
            if info.compress_type not in SUPPORTED_COMPRESSION:
                raise ImportRefused(f"{self.label}: {info.filename} is compressed with a method this "
                                    f"import cannot read (method {info.compress_type}); zip it again "
                                    "with ordinary (deflate) compression.")
            members[base] = info.filename
            total += info.file_size
        if self.max_bytes is not None and total > self.max_bytes:
            raise ImportRefused(f"{self.label} unpacks to {total / 1_000_000:,.0f} MB, more than the "
                                f"{self.max_bytes // 1_000_000:,} MB one import takes "
                                "(FIELDAPP_IMPORT_MAX_UNZIPPED_MB). Nothing was changed.")
        return members

    def open(self, name):
        """A binary stream of the named file, or None when it is not there."""
        member = self.members.get(name.lower())
        if member is None:
            return None
        if self.zip:
            try:
                return self.zip.open(member)
            except (NotImplementedError, RuntimeError, zipfile.BadZipFile) as error:
                raise ImportRefused(f"{self.label}: {member} cannot be unpacked ({error}).") from None
        return open(os.path.join(self.folder, member), "rb")


def read_manifest(source):
    """{file: mode} from manifest.csv, checked."""
    stream = source.open("manifest.csv")
    if stream is None:
        raise ImportRefused(f"{source.label} has no manifest.csv: a OneRoster 1.1 export "
                            "starts with one.")
    with stream:
        file = CsvFile(stream, "manifest.csv", required=("propertyName", "value"), max_rows=1000,
                       max_bytes=source.max_bytes)
        props = {file.cell(c, "propertyName"): file.cell(c, "value") for _, c in file.rows()}
    version = props.get("oneroster.version", "1.1")
    if not version.startswith(("1.1", "1.0")):  # 1.0's own column names are read too (ALIASES)
        raise ImportRefused(f"manifest.csv says oneroster.version {version}; this import reads 1.1 "
                            "(and 1.0).")
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


def _rows(source, name, report, limits, wanted=None):
    """(row, {column: value}) of one file, checked for columns, width and
    length, as it is read: a stream, so a roster of a million rows is never
    held whole (only the Plan built from it is). wanted (column names):
    (row, tuple of those columns' values) instead, "" for a column the file
    lacks (users.csv's and demographics.csv's hundreds of thousands of rows
    are read so, without a dict each)."""
    required, optional = COLUMNS[name]
    columns = required + optional
    stream = source.open(f"{name}.csv")
    with stream:
        file = CsvFile(stream, f"{name}.csv", required, optional, max_rows=limits.max_rows,
                       max_bytes=source.max_bytes, aliases=ALIASES.get(name),
                       multiline=MULTILINE.get(name, ()))
        report.note_ignored_columns(file)
        width = file.width
        # a column the file lacks is read from an empty cell put after the row's last
        places = [file.columns[c] if file.has(c) else width for c in columns]
        # the values handed on: every known column (a dict), or those wanted (a tuple)
        handed = [places[columns.index(c)] for c in wanted] if wanted else places
        lacks = width in handed
        cells_read = itemgetter(*handed)
        for line, cells in file.rows():
            report.rows_read += 1
            if len(cells) != width:
                report.problem(file.name, line, f"has {len(cells)} cells; the header has {width}")
                continue
            # a cell as written is never shorter than stripped; most rows are shorter than one long cell
            if len("".join(cells)) > MAX_CELL and max(map(len, cells)) > MAX_CELL:
                long = [c for c, i in zip(columns, places) if i < width and len(cells[i].strip()) > MAX_CELL]
                if long:
                    report.problem(file.name, line, f"{', '.join(long)}: longer than {MAX_CELL} characters")
                    continue
            if lacks:
                cells.append("")
            values = tuple(map(str.strip, cells_read(cells)))
            yield line, (values if wanted else dict(zip(columns, values)))


class _Stream:
    """A file's checked rows, read once when a check walks them."""

    def __init__(self, source, name, report, limits):
        self.args = (source, name, report, limits)

    def __iter__(self):
        return _rows(*self.args)

    def values(self, *wanted):
        """(row, tuple of the wanted columns' values): see _rows."""
        return _rows(*self.args, wanted=wanted)


def check(path_or_stream, label, report, context):
    """Read and check a OneRoster 1.1 CSV export; returns a roster Plan."""
    source = Source(path_or_stream, label, context.limits.max_unzipped_bytes)
    try:
        modes = read_manifest(source)
        # orgs.csv is small and walked twice (districts, then schools); the others stream.
        files = {name: list(_rows(source, name, report, context.limits)) if name == "orgs"
                 else _Stream(source, name, report, context.limits)
                 for name in FILES if modes[name] != "absent"}
        if not files:
            raise ImportRefused("manifest.csv marks every file absent: there is nothing to import.")
        unread = sorted(member for base, member in source.members.items() if base.endswith(".csv")
                        and base[:-4] not in FILES and base != "manifest.csv")
        if unread:
            report.note("Files not read (this import keeps schools, students, guardians, birth dates and "
                        "enrolments): " + ", ".join(os.path.basename(m) for m in unread))
        return roster.check(files, modes, report, context.today, context.date_order)
    except (zipfile.BadZipFile, EOFError, zlib.error, lzma.LZMAError, OSError) as error:
        raise ImportRefused(f"{label} is a damaged zip file ({error}); export it again.") from None


def apply(plan, report, journal, context):
    """Write a checked Plan; open cases follow transferred students."""
    # a transfer's span starts on the day given, else on the new school's own today
    roster_apply.apply(plan, report, journal, context.today if context.today_given else None)
    from fieldapp.cases.transfers import move_open_cases, move_waiting_referrals
    moved = move_open_cases(report.transfers, journal, context.user)
    report.add("open cases moved with a transfer", moved)
    report.add("waiting referrals moved with a transfer", move_waiting_referrals(report.transfers, journal))


def import_oneroster(path_or_stream, label, skip_bad_rows=False, confirmation="", date_order=""):
    """Check and apply a OneRoster export at once, without the history; returns its Report."""
    from fieldapp.imports.steps import apply_now
    return apply_now("oneroster", path_or_stream, label, skip_bad_rows, confirmation=confirmation,
                     date_order=date_order)
