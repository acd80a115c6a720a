"""A large users.csv checked in two parts at once, on two cores: the rows
after its middle in a process forked from this one, those before it here."""
import json
import marshal
import os
import select
import signal
import time

from fieldapp.imports.oneroster_pieces import Prefixed, Until, line_ends, packed_rows, read_pieces, unpacked
from fieldapp.imports.oneroster_rows import checked_rows
from fieldapp.imports.report import MAX_KEPT_PROBLEMS, ImportRefused, Report
from fieldapp.imports.roster_plan import GuardianRow, StudentRow
from fieldapp.rules.stored import decode_row, encode


def in_parts(source, name, limits, wanted, work, plan, report, patience=None):
    """Check a large file in two parts at once, on two cores: the rows
    after its middle in a process forked from this one, those before it
    here. work(rows, students, guardians, report, lines, plain=...) checks
    rows ((line, values of the wanted columns)) into the three dicts
    ({sid: row}, {sid: row}, {sid: line}) and report (see
    roster_users.check_user_rows); each part has its own, and the child's come
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
        work(checked_rows(source, name, mine.report, limits, wanted, files=files,
                          stream=Until(source.open(f"{name}.csv"), middle)),
             mine.students, mine.guardians, mine.report, mine.lines)
        waited = max(floor, times * (time.monotonic() - began))
        if not select.select([reading], [], [], waited)[0]:
            return None  # a child stuck (a lock held at the fork, a machine out of memory): read from the top
        with os.fdopen(reading, "rb") as answer:
            reading = None
            return _joined(read_pieces(answer), mine, files, plan, report, limits)
    except ImportRefused:  # refused in this half: read again from the top, the message says where
        return None
    finally:
        if reading is not None:  # the child's answer is not wanted
            os.close(reading)
            os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)


def _joined(pieces, mine, files, plan, report, limits):
    """The lines of both parts, with the child's rows (read from pieces,
    see _second_half) after this process's in plan and report; or None,
    both untouched, when the file is to be read again from the top."""
    first = next(pieces, ("again",))
    if first[0] != "checked":
        return None
    lines, more, found = first[1], first[2], list(first[3:])
    found[0], found[5] = decode_row(found[0]), decode_row(found[5])  # the problems and notes, as Messages
    records, limit = files[0].reader.line_num - 1 if files else 0, limits.max_rows
    if lines.keys() & mine.lines.keys() or (limit is not None and records + more > limit):
        return None
    try:
        for kind, *packed in pieces:
            if kind == "end":
                break
            if kind == "students":
                mine.students.update(unpacked(packed[0], StudentRow))
            else:
                mine.guardians.update(unpacked(packed[0], GuardianRow))
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
    `middle` (see in_parts) into pieces of plain values to send:
    ("checked", lines, rows counted, problems, problem count, bad lines,
    counts, rows read, notes, exact repeats), then the students' and the guardians' rows
    (packed_rows). Raises ValueError when the rows' numbers cannot be told from
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
            line_ends(chunk)
            at, ends = at + len(chunk), ends + chunk.count(b"\n")
        rest_of_line = stream.readline()
        line_ends(rest_of_line)
        if not rest_of_line.endswith(b"\n"):
            raise ValueError("no row after the middle")
        ends += 1
        part, files = _Part(), []
        # its first row is row 2 of the stream made here, and row ends + 1 of the file
        rows = checked_rows(source, name, part.report, limits, wanted, stream=Prefixed(header, stream),
                            first_line=ends - 1, files=files)
        work(rows, part.students, part.guardians, part.report, part.lines, plain=True)
        r = part.report
        r.note_blank_rows()
        # problems and notes are Messages (with what translates them), sent as JSON text: marshal takes no Message
        return [("checked", part.lines, files[0].reader.line_num - 1, json.dumps(encode(r.problems)),
                 r.problem_count, r.bad_lines, r.counts, r.rows_read, json.dumps(encode(r.notes)), r.repeated)] + packed_rows("students", part.students) + \
            packed_rows("guardians", part.guardians)
