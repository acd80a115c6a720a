"""Rows of one file naming a record an earlier row names: an exact repeat (read once, said in a
note), one saying other values of it (a row problem naming both rows and the cells that differ),
and sourcedIds differing only in case from an earlier row's or a stored record's."""
from array import array

from fieldapp.imports.csvfile import CsvFile, column_letter
from fieldapp.imports.report import ImportRefused
from fieldapp.messages import N_, Message

DUPLICATE_ID = N_("sourcedId '%(sid)s' is also on row %(line)s, with other values: keep one of the two rows")
SHOWN_VALUE = 40  # the characters of a cell a message quotes


def duplicate_id(sid, first_line, differs=()):
    """Why a row whose sourcedId sid an earlier row (on first_line) has is left out; differs: the
    columns whose cells differ, each a Message (see differing), once both rows are read again."""
    if differs:
        return Message("sourcedId '%(sid)s' is also on row %(line)s, with other values: keep one of the two rows "
                       "(differs in %(columns)s)", sid=sid, line=str(first_line), columns=tuple(differs))
    return Message(DUPLICATE_ID, sid=sid, line=str(first_line))


def _quoted(value):
    return value if len(value) <= SHOWN_VALUE else value[:SHOWN_VALUE] + "…"


def differing(header, first, later):
    """[Message "column: 'a' vs 'b'"] of each column (named by header, else by its letter) whose cells
    (without the spaces around them) differ between two rows' cells first and later."""
    found = []
    for i in range(max(len(first), len(later))):
        a = first[i].strip() if i < len(first) else ""
        b = later[i].strip() if i < len(later) else ""
        if a != b:
            name = header[i] if i < len(header) and header[i] else column_letter(i)
            # TRANSLATORS: a column and its two cells, on an earlier row and on a later one
            found.append(Message("%(column)s: '%(first)s' vs '%(later)s'", column=name, first=_quoted(a),
                                 later=_quoted(b)))
    return found


def explain_duplicates(report, cells_at, explained=None):
    """Name, in each row problem of a repeated sourcedId with other values (duplicate_id), the columns
    whose cells differ. Only fingerprints of rows are kept while a file is read (FirstRows), so the rows
    are read again here, and only when there is such a problem. cells_at(file, lines): (its header,
    {line: cells}) of those rows of file (a set of row numbers). explained: {msgid: rebuild(reason,
    differs) -> Message} of other problems naming an earlier row (their values' "line") whose
    differing cells are to be named (an attendance row repeating a student's day and category)."""
    explained = explained or {DUPLICATE_ID: lambda reason, differs: duplicate_id(
        reason.values["sid"], reason.values["line"], differs)}
    wanted = {}  # file -> {problem's row: (the problem as kept, its earlier row)}
    for kept in report.problems:
        reason = kept[2]
        if getattr(reason, "msgid", None) in explained:
            wanted.setdefault(kept[0], {})[kept[1]] = (kept, int(reason.values["line"]))
    for file, problems in wanted.items():
        lines = set(problems) | {earlier for _, earlier in problems.values()}
        try:
            header, cells = cells_at(file, lines)
        except ImportRefused:  # read whole the first time: never here
            continue
        for line, (kept, earlier) in problems.items():
            if line in cells and earlier in cells:
                differs = differing(header, cells[earlier], cells[line])
                if differs:
                    kept[2] = explained[kept[2].msgid](kept[2], differs)


def cells_again(file, lines):
    """(header, {row: cells}) of the rows numbered in lines (a set) of a CsvFile read already, read
    again from the top of its upload (explain_duplicates). Raises ImportRefused when the upload
    cannot be read again."""
    binary = file.source
    if not binary.seekable():
        raise ImportRefused(Message("%(file)s cannot be read again.", file=file.name))
    binary.seek(0)
    again = CsvFile(binary, file.name, (), optional=file.multiline_names, multiline=file.multiline_names)
    found = {}
    for line, cells in again.rows():
        if line in lines:
            found[line] = cells
            if len(found) == len(lines):
                break
    return again.header, found


def differs_in_case(sid, other, other_line):
    """Why a row whose sourcedId sid differs only in case from other's (on an earlier row) is left out."""
    return Message("sourcedId '%(sid)s' differs only in case from '%(other)s' on row %(line)s: one record "
                   "typed twice, most likely; keep one of the two rows", sid=sid, other=other, line=str(other_line))


def differs_in_case_from_stored(sid, other, name):
    """Why a row whose sourcedId sid differs only in case from other, the sourcedId of a record stored
    already (name: a student's or guardian's name, a school's), is left out."""
    return Message("sourcedId '%(sid)s' differs only in case from '%(other)s' of %(name)s, stored already: one "
                   "record typed twice, most likely; write the sourcedId as stored ('%(other)s')",
                   sid=sid, other=other, name=name)


def stored_case_twins(named, stored):
    """{sid: other} of each sourcedId of named (an iterable) not in stored (a collection of the sourcedIds
    of stored records) whose letters differ only in case from other, one of stored: a new record made of
    a stored one whose sourcedId was typed anew (see case_twins). A sid stored as it is, is that record."""
    named = [sid for sid in named if sid not in stored]
    if not named or not stored:
        return {}
    # most ids are written in lower case (or digits): only the others are folded into a copy
    folded = {fold: sid for sid in stored if (fold := sid.casefold()) != sid}
    twins = {}
    for sid in named:
        fold = sid.casefold()
        other = fold if fold in stored else folded.get(fold)
        if other is not None and other != sid:
            twins[sid] = other
    return twins


def case_twins(lines):
    """(sid, line, other sid, other line) of each sourcedId of lines ({sid: row}) whose letters differ
    only in case from those of one on an earlier row. OneRoster's ids are case-sensitive, but two records
    whose ids differ only so are one record typed twice far more often than two (a sourcedId typed by
    hand, or two systems' exports joined): each later one is a row problem naming the other row."""
    folded, twins = {}, []
    for sid, line in lines.items():
        fold = sid.casefold()
        if fold == sid and fold not in folded:  # as most ids are written (lower case, digits): no copy kept
            folded[sid] = (sid, line)
            continue
        other = folded.setdefault(fold, (sid, line))
        if other[0] != sid:
            first, later = sorted((other, (sid, line)), key=lambda pair: pair[1])
            folded[fold] = first
            twins.append((later[0], later[1], first[0], first[1]))
    return sorted(twins, key=lambda twin: twin[1])


def fingerprint(cells):
    """A row's fingerprint for FirstRows: its cells as they are read, without
    the spaces around each ('Santiago ' is 'Santiago'), so a repeat that
    differs only there is read once."""
    return hash(tuple(cell.strip() for cell in cells))


ROW = "*row"  # not a column: the name a row's fingerprint goes by beside its columns' values (FirstRows)


class FirstRows:
    """The row that first gave each key (a sourcedId) of one file, to tell a later row with that key
    repeating it exactly (every cell the same, read or not: harmless, read once and said in a note, never
    a row problem: see Report.note_repeated) from one that says something else of the same
    record (a row problem naming both rows). Of each row only a fingerprint of its values is kept, in one
    array by row number: a district's users.csv has hundreds of thousands of rows. lines: {key: row},
    filled as rows are read (a dict of the caller's, when given)."""

    def __init__(self, report, file, lines=None):
        self.report, self.file = report, file
        self.lines = {} if lines is None else lines
        self.prints, self.start = array("q"), None

    def first(self, key, line, fingerprint):
        """Is this row (line, whose fingerprint is the hash of a tuple of all its cells as written) the first
        with key? When not, it is noted as an exact repeat of that row or as a row problem naming it."""
        if self.start is None:
            self.start = line
        prints = self.prints
        if line - self.start > len(prints):  # rows a line break inside a cell took
            prints.extend([0] * (line - self.start - len(prints)))
        prints.append(fingerprint)
        earlier = self.lines.get(key)
        if earlier is None:
            self.lines[key] = line
            return True
        if prints[earlier - self.start] == prints[-1]:
            self.report.repeated.append((self.file, line, earlier))
        else:
            self.report.problem(self.file, line, duplicate_id(key, earlier))
        return False
