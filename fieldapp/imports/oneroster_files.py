"""The files of a OneRoster export: their columns, the folder or zip they come
in (Source) and the manifest that says which of them a district sent."""
import io
import os
import zipfile

from fieldapp.imports import school_details
from fieldapp.imports.csvfile import CsvFile
from fieldapp.imports.report import ImportRefused
from fieldapp.messages import Message
from fieldapp.progress import ReadingProgress

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


# Columns OneRoster defines that this import does not read, listed beside the columns it does not know in the
# preview's "not read, ignored" note and the history. enabledUser is a login's, not an enrolment's (a student
# whose account is disabled is still enrolled); primary is a teacher's. dateLastModified, every row's timestamp,
# is read by no import and not listed.
NOT_READ = {"users": ("enabledUser", "username", "userIds", "password"),
            "demographics": tuple(c for c in COLUMNS["demographics"][1] if c not in COMMON),
            "enrollments": ("primary",)}

# OneRoster 1.0 names for 1.1 columns: `agents` links guardians and students as agentSourcedIds does.
ALIASES = {"users": {"agents": "agentSourcedIds", "userId": "userIds"}}
# Columns whose values may hold a line break: a school's address runs over
# lines as an administrator types it and as letters print it. A line break
# anywhere else is a quote left open, and refuses the file (CsvFile).
MULTILINE = {"orgs": ("metadata.address",)}

SUPPORTED_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


class Source:
    """The files of a OneRoster export, from a folder or a zip (which may hold
    them in one sub-folder). A zip is checked before anything is read: no
    encrypted member, no compression Python cannot read, no two files of the
    same name, and no more than max_bytes once unpacked."""

    def __init__(self, path_or_stream, label, max_bytes=None):
        self.label, self.max_bytes, self.origin = label, max_bytes, path_or_stream
        if not isinstance(path_or_stream, str) or not os.path.isdir(path_or_stream):
            try:
                self.zip = zipfile.ZipFile(path_or_stream)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError):
                if not isinstance(path_or_stream, str):  # an upload: a folder is no choice there
                    raise ImportRefused(Message("%(file)s is not a .zip file, whatever its name says: upload the "
                                                "OneRoster export (manifest.csv with its files) zipped as one "
                                                ".zip file.", file=label)) from None
                raise ImportRefused(Message("%(file)s is neither a folder nor a .zip file.", file=label)) from None
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
                raise ImportRefused(Message("%(file)s holds two files named %(base)s: %(first)s and %(second)s. "
                                            "Keep one and import again.", file=self.label, base=base,
                                            first=members[base], second=info.filename))
            if info.flag_bits & 0x1:
                raise ImportRefused(Message("%(file)s: %(member)s is encrypted (password-protected); export it again "
                                            "without a password.", file=self.label, member=info.filename))
            if info.compress_type not in SUPPORTED_COMPRESSION:
                raise ImportRefused(Message("%(file)s: %(member)s is compressed with a method this import cannot read "
                                            "(method %(method)s); zip it again with ordinary (deflate) compression.",
                                            file=self.label, member=info.filename, method=str(info.compress_type)))
            members[base] = info.filename
            total += info.file_size
        if self.max_bytes is not None and total > self.max_bytes:
            raise ImportRefused(Message("%(file)s unpacks to %(size)d MB, more than the %(most)d MB one import takes "
                                        "(FIELDAPP_IMPORT_MAX_UNZIPPED_MB). Nothing was changed.", file=self.label,
                                        size=round(total / 1_000_000), most=self.max_bytes // 1_000_000))
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
                raise ImportRefused(Message("%(file)s: %(member)s cannot be unpacked (%(error)s).", file=self.label,
                                            member=member, error=str(error))) from None
        return open(os.path.join(self.folder, member), "rb")

    def size(self, name):
        """The named file's bytes (unpacked), or None when it is not there."""
        member = self.members.get(name.lower())
        if member is None:
            return None
        return self.zip.getinfo(member).file_size if self.zip else os.path.getsize(os.path.join(self.folder, member))

    def _origin(self):
        origin = self.origin
        while isinstance(origin, ReadingProgress):
            origin = origin.stream
        return origin

    def reopenable(self):
        """Can a process forked from this one read these files on its own,
        without moving this one's place in them? A folder and a zip named by
        its path are opened again, a zip in memory is read from the child's
        own copy (under any progress counter: the child reports to no one); a
        zip read from an open file shares its offset across processes."""
        return self.folder is not None or isinstance(self._origin(), (str, io.BytesIO))

    def reopened(self):
        """The same files, opened again (in a forked process: see reopenable)."""
        return Source(self.folder if self.folder is not None else self._origin(), self.label, self.max_bytes)


def read_manifest(source):
    """{file: mode} from manifest.csv, checked."""
    stream = source.open("manifest.csv")
    if stream is None:
        raise ImportRefused(Message("%(file)s has no manifest.csv: a OneRoster 1.1 export starts with one.",
                                    file=source.label))
    with stream:
        file = CsvFile(stream, "manifest.csv", required=("propertyName", "value"), max_rows=1000,
                       max_bytes=source.max_bytes)
        props = {file.cell(c, "propertyName"): file.cell(c, "value") for _, c in file.rows()}
    version = props.get("oneroster.version", "1.1")
    if not version.startswith(("1.1", "1.0")):  # 1.0's own column names are read too (ALIASES)
        raise ImportRefused(Message("manifest.csv says oneroster.version %(version)s; this import reads 1.1 (and 1.0).",
                                    version=version))
    modes = {}
    for name in FILES:
        mode = props.get(f"file.{name}", "absent").strip().lower()
        if mode not in MODES:
            raise ImportRefused(Message("manifest.csv: file.%(name)s is '%(mode)s'; use bulk, delta or absent.",
                                        name=name, mode=mode))
        if mode != "absent" and source.members.get(f"{name}.csv") is None:
            raise ImportRefused(Message("manifest.csv says %(name)s.csv is %(mode)s, but %(file)s has no %(name)s.csv.",
                                        name=name, mode=mode, file=source.label))
        modes[name] = mode
    return modes
