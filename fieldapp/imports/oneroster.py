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
import io
import json
import lzma
import marshal
import os
import select
import signal
import time
from operator import itemgetter
import zipfile
import zlib
from functools import partial

from fieldapp.imports import roster, roster_apply, school_details
from fieldapp.imports.roster_enrollment_notes import say_transfers
from fieldapp.imports.csvfile import CsvFile, cells_not_header, longer_than
from fieldapp.imports.repeats import ROW, explain_duplicates, fingerprint
from fieldapp.imports.report import MAX_KEPT_PROBLEMS, ImportRefused, Report
from fieldapp.messages import Message
from fieldapp.progress import ReadingProgress
from fieldapp.rules.stored import decode_row, encode

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

# Columns whose cells _rows lets through however long: those not read (a user's password, a row's
# dateLastModified: their length refused students whom nothing read of them concerns), and the optional
# details that the check leaves out itself when too long, noting it, and keeps the record (roster.LeftOut).
NOT_MEASURED = {
    "orgs": {"dateLastModified", "metadata.address", "metadata.phone"},
    "users": {"dateLastModified", "enabledUser", "username", "userIds", "password", "email", "sms", "phone",
              "grades"},
    "demographics": set(COLUMNS["demographics"][1]) - {"status"},
    "enrollments": {"dateLastModified", "primary"},
}

SUPPORTED_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
MAX_CELL = 255  # the longest value a roster field holds


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


def _rows(source, name, report, limits, wanted=None, stream=None, first_line=0, files=None):
    """(row, {column: value}) of one file, checked for columns, width and
    length, as it is read: a stream, so a roster of a million rows is never
    held whole (only the Plan built from it is). wanted (column names):
    (row, tuple of those columns' values) instead, "" for a column the file
    lacks (users.csv's and demographics.csv's hundreds of thousands of rows
    are read so, without a dict each). stream: the file's bytes from
    elsewhere (a part of it: see _Stream.in_parts), whose rows are numbered
    first_line on from the file's; files: a list the CsvFile is put in.
    The row's fingerprint (csvfile.fingerprint of all its cells, read or not:
    see csvfile.FirstRows) is handed as the value of column ROW, in a dict
    always, in a tuple when wanted names it."""
    required, optional = COLUMNS[name]
    columns = required + optional
    whole = stream is None
    stream = source.open(f"{name}.csv") if whole else stream
    with stream:
        file = CsvFile(stream, f"{name}.csv", required, optional, max_rows=limits.max_rows if whole else None,
                       max_bytes=source.max_bytes, aliases=ALIASES.get(name),
                       multiline=MULTILINE.get(name, ()))
        if files is not None:
            files.append(file)
        report.note_ignored_columns(file)
        width = file.width
        # a column the file lacks is read from an empty cell put after the row's last
        places = [file.columns[c] if file.has(c) else width for c in columns]
        # the values handed on: every known column (a dict), or those wanted (a tuple)
        printed = not wanted or ROW in wanted
        wanted = wanted and tuple(c for c in wanted if c != ROW)
        handed = [places[columns.index(c)] for c in wanted] if wanted else places
        lacks = width in handed
        measured = [(c, i) for c, i in zip(columns, places) if i < width and c not in NOT_MEASURED[name]]
        cells_read = itemgetter(*handed)
        for line, cells in file.rows(report, first_line):
            line += first_line
            report.rows_read += 1
            if len(cells) != width:
                report.problem(file.name, line, cells_not_header(len(cells), width))
                continue
            # a cell as written is never shorter than stripped; most rows are shorter than one long cell
            if len("".join(cells)) > MAX_CELL and max(map(len, cells)) > MAX_CELL:
                long = [c for c, i in measured if len(cells[i].strip()) > MAX_CELL]
                if long:
                    report.problem(file.name, line, longer_than(long, MAX_CELL))
                    continue
            row_print = fingerprint(cells) if printed else None
            if lacks:
                cells.append("")
            values = tuple(map(str.strip, cells_read(cells)))
            if not wanted:
                values = dict(zip(columns, values))
                values[ROW] = row_print
            elif printed:
                values += (row_print,)
            yield line, values


def _cells_at(source, file, lines):
    """(header, {row: cells}) of the rows of file (a name, "users.csv") numbered in lines (a set), read
    again from the top (csvfile.explain_duplicates)."""
    name = file[:-4]
    required, optional = COLUMNS[name]
    found = {}
    with source.open(file) as stream:
        csv_file = CsvFile(stream, file, required, optional, max_bytes=source.max_bytes, aliases=ALIASES.get(name),
                           multiline=MULTILINE.get(name, ()))
        for line, cells in csv_file.rows():
            if line in lines:
                found[line] = cells
                if len(found) == len(lines):
                    break
        return csv_file.header, found


class _Stream:
    """A file's checked rows, read once when a check walks them."""

    def __init__(self, source, name, report, limits):
        self.args = (source, name, report, limits)

    def __iter__(self):
        return _rows(*self.args)

    def values(self, *wanted):
        """(row, tuple of the wanted columns' values): see _rows."""
        return _rows(*self.args, wanted=wanted)

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
        here. work(rows, students, guardians, report, lines, plain=...) checks
        rows ((line, values of the wanted columns)) into the three dicts
        ({sid: row}, {sid: row}, {sid: line}) and report (see
        roster.check_user_rows); each part has its own, and the child's come
        back as plain values (marshal) to be joined to this one's, in the
        file's order, into plan.students, plan.guardians and report. Returns
        the joined lines, or None, with plan and report untouched, when the
        file is not checked so: too small to gain from it, a source another
        process cannot read on its own, no fork, or anything only a reading
        from the top tells right (a file refused, a sourcedId in both parts,
        line ends other than \\n and \\r\\n, more rows than the limit): the
        caller then checks it row by row, with the messages it always gave.
        So too when the child does not answer in time (patience: (floor in
        seconds, times this process's own part), CHILD_PATIENCE by default;
        it is then killed), or stops before it has sent everything.
        Memory: the child holds its part's rows while it checks them (and
        their plain copy while it sends them); this process reads them back
        PIECE rows at a time, into the plan's rows."""
        source, name, _, limits = self.args
        size = source.size(f"{name}.csv")
        if (not source.reopenable() or size is None or size < PARALLEL_BYTES or not hasattr(os, "fork")
                or (source.max_bytes is not None and size > source.max_bytes)):
            return None
        middle = size * 9 // 20  # the child's part is the larger: this process has the other files after
        reading, writing = os.pipe()
        try:
            child = os.fork()
        except OSError:
            os.close(reading)
            os.close(writing)
            return None
        if child == 0:  # the second half, checked and sent back; nothing else of this process is used
            try:
                os.close(reading)
                try:
                    pieces = _second_half(source.reopened(), name, limits, wanted, work, middle)
                except BaseException:  # noqa: BLE001 (the parent reads the file again from the top)
                    pieces = [("again",)]
                with os.fdopen(writing, "wb") as out:
                    for piece in pieces + [("end",)]:
                        sent = marshal.dumps(piece)
                        out.write(len(sent).to_bytes(8, "little") + sent)
            finally:
                os._exit(0)
        os.close(writing)
        mine, files = _Part(), []
        floor, times = patience or CHILD_PATIENCE
        try:
            began = time.monotonic()
            work(_rows(source, name, mine.report, limits, wanted, files=files,
                       stream=_Until(source.open(f"{name}.csv"), middle)),
                 mine.students, mine.guardians, mine.report, mine.lines)
            waited = max(floor, times * (time.monotonic() - began))
            if not select.select([reading], [], [], waited)[0]:
                return None  # a child stuck (a lock held at the fork, a machine out of memory): read from the top
            with os.fdopen(reading, "rb") as answer:
                reading = None
                return self._joined(_pieces(answer), mine, files, plan, report)
        except ImportRefused:  # refused in this half: read again from the top, the message says where
            return None
        finally:
            if reading is not None:  # the child's answer is not wanted
                os.close(reading)
                os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)

    def _joined(self, pieces, mine, files, plan, report):
        """The lines of both parts, with the child's rows (read from pieces,
        see _second_half) after this process's in plan and report; or None,
        both untouched, when the file is to be read again from the top."""
        first = next(pieces, ("again",))
        if first[0] != "checked":
            return None
        lines, more, found = first[1], first[2], list(first[3:])
        found[0], found[5] = decode_row(found[0]), decode_row(found[5])  # the problems and notes, as Messages
        records, limit = files[0].reader.line_num - 1 if files else 0, self.args[3].max_rows
        if lines.keys() & mine.lines.keys() or (limit is not None and records + more > limit):
            return None
        try:
            for kind, *packed in pieces:
                if kind == "end":
                    break
                if kind == "students":
                    mine.students.update(_unpacked(packed[0], roster.StudentRow))
                else:
                    mine.guardians.update(_unpacked(packed[0], roster.GuardianRow))
            else:
                return None  # the child stopped before it had sent everything: none of its rows are used
        except (EOFError, ValueError, TypeError):  # a piece cut short
            return None
        plan.students, plan.guardians = mine.students, mine.guardians
        mine.lines.update(lines)
        mine.join(report, mine.report.problems, mine.report.problem_count, mine.report.bad_lines,
                  mine.report.counts, mine.report.rows_read, mine.report.notes, mine.report.repeated)
        mine.join(report, *found)
        return mine.lines


# A second part's process answers within the longer of 60 s and four times what
# this process took for its own part (on a machine this busy, a part takes longer).
CHILD_PATIENCE = (60.0, 4.0)
PARALLEL_BYTES = 4_000_000  # a users.csv this large (some 35,000 rows) or larger is checked in two parts


class _Part:
    """What one part of a file's check found: its rows and lines by sourcedId, and its own Report."""

    def __init__(self):
        self.students, self.guardians, self.lines = {}, {}, {}
        self.report = Report("oneroster", "")

    @staticmethod
    def join(report, problems, problem_count, bad_lines, counts, rows_read, notes, repeated):
        """Add a part's problems, counts, rows, notes and exact repeats to report, after those there (the
        file's order)."""
        report.rows_read += rows_read
        report.repeated.extend(map(tuple, repeated))
        report.problem_count += problem_count
        report.bad_lines |= bad_lines
        report.problems.extend(problems[:max(MAX_KEPT_PROBLEMS - len(report.problems), 0)])
        for name, n in counts.items():
            report.add(name, n)
        for text in notes:
            report.note(text)


def _second_half(source, name, limits, wanted, work, middle):
    """Check the rows of a file after the first line end at or after byte
    `middle` (see _Stream.in_parts) into pieces of plain values to send:
    ("checked", lines, rows counted, problems, problem count, bad lines,
    counts, rows read, notes, exact repeats), then the students' and the guardians' rows
    (_packed). Raises ValueError when the rows' numbers cannot be told from
    the line ends before them."""
    stream = source.open(f"{name}.csv")
    with stream:
        header = stream.readline()
        at, ends = len(header), 1
        if not header.endswith(b"\n"):
            raise ValueError("the header holds a line break, or is the whole file")
        while at < middle:
            chunk = stream.read(min(1 << 20, middle - at))
            if not chunk:
                raise ValueError("the file is shorter than it said")
            _line_ends(chunk)
            at, ends = at + len(chunk), ends + chunk.count(b"\n")
        rest_of_line = stream.readline()
        _line_ends(rest_of_line)
        if not rest_of_line.endswith(b"\n"):
            raise ValueError("no row after the middle")
        ends += 1
        part, files = _Part(), []
        # its first row is row 2 of the stream made here, and row ends + 1 of the file
        rows = _rows(source, name, part.report, limits, wanted, stream=_Prefixed(header, stream),
                     first_line=ends - 1, files=files)
        work(rows, part.students, part.guardians, part.report, part.lines, plain=True)
        r = part.report
        r.note_blank_rows()
        # problems and notes are Messages (with what translates them), sent as JSON text: marshal takes no Message
        return [("checked", part.lines, files[0].reader.line_num - 1, json.dumps(encode(r.problems)),
                 r.problem_count, r.bad_lines, r.counts, r.rows_read, json.dumps(encode(r.notes)), r.repeated)] + _packed("students", part.students) + \
            _packed("guardians", part.guardians)


PIECE = 20_000  # rows sent back at a time: no buffer of a whole half in either process


def _packed(kind, rows):
    """[(kind, piece)] for {sid: plain tuple, or None}, PIECE rows a piece,
    each as plain values that unpack into few objects: its sids and one
    tuple per field (no tuple per row), or a dict where a row is None (to
    deactivate or unlink: seldom many)."""
    items, pieces = list(rows.items()), []
    for start in range(0, len(items), PIECE):
        piece = dict(items[start:start + PIECE])
        if None not in piece.values():
            piece = (list(piece), list(zip(*piece.values())))
        pieces.append((kind, piece))
    return pieces


def _pieces(stream):
    """The values the child sent, one marshalled piece after another (each after its length)."""
    while True:
        size = stream.read(8)
        if len(size) < 8:
            return
        yield marshal.loads(stream.read(int.from_bytes(size, "little")))


def _unpacked(packed, make):
    """(sid, namedtuple `make` or None) of a piece of _packed(), in the file's order."""
    if isinstance(packed, dict):
        return ((sid, None if row is None else tuple.__new__(make, row)) for sid, row in packed.items())
    sids, fields = packed
    return zip(sids, map(partial(tuple.__new__, make), zip(*fields)))


def _line_ends(data):
    """Raise ValueError for a line ended by \\r alone (rows are then counted by \\n no longer)."""
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n") + data.endswith(b"\r"):
        raise ValueError("a line ends with \\r alone")


class _Until(io.RawIOBase):
    """A file's bytes up to and including its first \\n at or after byte `middle`."""

    def __init__(self, stream, middle):
        super().__init__()
        self.stream, self.middle, self.at, self.ended = stream, middle, 0, False

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.ended:
            return 0
        data = self.stream.read(len(buffer))
        start = max(self.middle - self.at, 0)
        end = data.find(b"\n", start) if start < len(data) else -1
        if end >= 0 or not data:
            data, self.ended = data[:end + 1] if end >= 0 else data, True
        self.at += len(data)
        buffer[:len(data)] = data
        return len(data)

    def close(self):
        self.stream.close()
        super().close()


class _Prefixed(io.RawIOBase):
    """`head` (a file's header line), then the rest of `stream` (its rows from
    a line on), each read checked for line ends that \\n does not count."""

    def __init__(self, head, stream):
        super().__init__()
        self.head, self.stream = head, stream

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.head:
            data, self.head = self.head[:len(buffer)], self.head[len(buffer):]
        else:
            data = self.stream.read(len(buffer))
            _line_ends(data)
        buffer[:len(data)] = data
        return len(data)

    def close(self):
        self.stream.close()
        super().close()


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
        explain_duplicates(report, partial(_cells_at, source))
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
