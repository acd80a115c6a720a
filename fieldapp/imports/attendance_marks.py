"""The marks of an attendance file (imports.attendance): one bit per category, which marks a
student's day may hold together and why a row that does not fit contradicts the day, and the marks to
store with the rows they were read from."""
import re
from array import array

from fieldapp.messages import N_, Message


BATCH = 1000  # ids to a query at a time
# One bit per category; a day holds at most one of the full-day marks.
BITS = {"present": 1, "excused": 2, "unexcused": 4, "tardy": 8, "early_departure": 16, "partial": 32,
        "excused_tardy": 64, "excused_early_departure": 128, "excused_partial": 256}
FULL_DAY = 1 | 2 | 4
PRESENT = BITS["present"]
CODES = {bit: code for code, bit in BITS.items()}
# A share of a day (a full-day category with eventDuration below 1), and what an absent share is stored as.
SHARE_OF = {1: 512, 2: 1024, 4: 2048}
SHARES = 512 | 1024 | 2048
# Above its category bits, a student's bits of a day hold the first row kept of that day and the
# index of its mark (plus one, 0 for none): most days have one row, and need nothing more.
ROW_SHIFT, INDEX_SHIFT = 12, 44
BIT_MASK, ROW_MASK = (1 << ROW_SHIFT) - 1, (1 << (INDEX_SHIFT - ROW_SHIFT)) - 1
SHARE_STORED_AS = {2: "excused_partial", 4: "partial"}
PARTIALS = BITS["partial"] | BITS["excused_partial"]
# A part of a day is excused or not: a day holds one tardy, one early departure, one partial.
PART_PAIRS = {8: 64, 16: 128, 32: 256}
PART_PAIRS.update({excused: unexcused for unexcused, excused in list(PART_PAIRS.items())})
# The marks a new one may not join on the same day: itself (or its excused or unexcused
# twin), and for a full-day mark any other full-day mark.
CLASHES = {bit: bit | PART_PAIRS.get(bit, 0) | (FULL_DAY | SHARES if bit & FULL_DAY else 0) for bit in BITS.values()}
# A share joins other shares (up to one day), never a whole-day mark; an absent share is a part
# of the day, so it does not join a Partial or Excused Partial row either.
CLASHES.update({512: FULL_DAY | 512, 1024: FULL_DAY | 1024 | PARTIALS, 2048: FULL_DAY | 2048 | PARTIALS})
for _partial in (BITS["partial"], BITS["excused_partial"]):
    CLASHES[_partial] |= 1024 | 2048
# A whole-day absence says the student missed the whole day: a tardy, an early departure or a
# part of that day says they came, so the two contradict each other.
PARTS = 8 | 16 | 32 | 64 | 128 | 256
for _absence in (BITS["excused"], BITS["unexcused"]):
    CLASHES[_absence] |= PARTS
for _part in (8, 16, 32, 64, 128, 256):
    CLASHES[_part] |= BITS["excused"] | BITS["unexcused"]
# An attendanceEventReason that calls the mark excused, wherever it says so ("Excused -
# medical appointment", "Medical appointment (excused)"), excuses a bare Tardy, Early
# departure or Partial; "unexcused", "not excused" or any other reason leaves the category's word.
EXCUSED_REASON = re.compile(r"(?<![\w-])(?<!not )(?<!non )excused\b", re.IGNORECASE)
EXCUSING = {"tardy": "excused_tardy", "early_departure": "excused_early_departure",
            "partial": "excused_partial"}
REPEAT_DIFFERS = Message("repeats an earlier row's student, day and category with other values: which of them is "
                         "right cannot be told")
REPEAT_OF_ROW = N_("repeats row %(line)s's student, day and category with other values: which of them is right "
                   "cannot be told")


def repeat_differs(line, differs=()):
    """Why a row repeating the student, day and category of an earlier row (on line) with other values is
    refused; differs: the columns whose cells differ (repeats.differing), once both rows are read again."""
    if differs:
        return Message("repeats row %(line)s's student, day and category with other values: which of them is "
                       "right cannot be told (differs in %(columns)s)", line=str(line), columns=tuple(differs))
    return Message(REPEAT_OF_ROW, line=str(line))


# the problems explain_duplicates names the differing columns of, once the file is read
EXPLAINED = {REPEAT_OF_ROW: lambda reason, differs: repeat_differs(reason.values["line"], differs)}
WHOLE_DAY_BESIDE_PART = Message("conflicts with an earlier row: a whole-day absence and a tardy, early departure or "
                                "part of a day on the same day")
PART_CONFLICT = Message("conflicts with an earlier row: a day holds one tardy, one early departure and one part "
                        "of a day, each excused or not")
SHARE_BESIDE_PART = Message("conflicts with an earlier row: an absent share of the day (eventDuration below 1) "
                            "and a Partial row on the same day")
CONFLICT = Message("conflicts with an earlier row: a day holds one of In Attendance, Excused Absence "
                   "and Unexcused Absence")
SPLIT_CONFLICT = Message("conflicts with an earlier row: a whole-day mark and a share of the day (eventDuration "
                         "below 1) on the same day")


def why_contradicts(held, bit, earlier=None):
    """Why a row of category bit contradicts a student's day holding the bits held (earlier: the row of
    the day's mark of that category, when known)."""
    held &= BIT_MASK
    if held & bit:
        return repeat_differs(earlier) if earlier else REPEAT_DIFFERS
    if bit & FULL_DAY and held & FULL_DAY:
        return CONFLICT
    if (bit | held) & FULL_DAY and (bit | held) & SHARES:
        return SPLIT_CONFLICT
    if (bit | held) & (BITS["excused"] | BITS["unexcused"]):
        return WHOLE_DAY_BESIDE_PART
    if (bit | held) & SHARES:
        return SHARE_BESIDE_PART
    return PART_CONFLICT


class Marks(list):
    """The marks to store (student, school, day, category, minutes, reason), each with the row it was read
    from (the first, for shares of a day added up) in `rows`, an array beside them: a file has millions."""

    def __init__(self):
        super().__init__()
        self.rows = array("I")
        self.read_at = None  # when the stored enrolments they were checked against were read

    def add(self, mark, row):
        self.append(mark)
        self.rows.append(row)

    def drop(self, indices):
        """Take out the marks at indices (a set)."""
        self[:] = [mark for i, mark in enumerate(self) if i not in indices]
        self.rows = array("I", (row for i, row in enumerate(self.rows) if i not in indices))

    def row_of(self, index):
        return self.rows[index] if index < len(self.rows) else None
