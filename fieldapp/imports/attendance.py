"""Daily attendance from a CSV modelled on Ed-Fi's StudentSchoolAttendanceEvent.

Columns: studentUniqueId (or the OneRoster sourcedId), schoolId (the
school's sourcedId or its code, imports.schools), eventDate,
attendanceEventCategoryDescriptor (an Ed-Fi descriptor URI or its short
name), and optionally eventDuration, minutesAbsent, schoolAttendanceDuration
(Ed-Fi's minutes, read when minutesAbsent is empty) and attendanceEventReason.

Re-importing a day replaces that day's marks for the students in the file.
"In Attendance" rows are checked and clear the day's earlier marks but are
not stored: a school day without a mark is a day present.

A split day: Ed-Fi systems send a half-day absence as two events on one day,
In Attendance with eventDuration 0.5 and Excused Absence with 0.5. A
full-day category whose eventDuration is below 1 is a share of the day; the
shares of a student's day may add up to one day at most, and shares of one
category add up to one mark. A day whose rows contradict each other is left
out whole for that student (_SplitDays). An absent share is
stored as a part of a day (Excused Absence as an excused partial day,
Unexcused Absence as a partial day) with its minutes, so the state's rule
for parts of days decides whether it counts (rules.counting).

A studentUniqueId two students share (the Ed-Fi OneRoster mapping makes one
user per student per school) is resolved by the row's schoolId; one that
still names several students is a row problem.

A row naming a school its student is not enrolled at (not their school, nor
the school of an enrolment span kept) is a row problem, counted in a note
naming the first few: a re-imported day replaces the student's marks of that
day, so another school's row would change their attendance at their own.
"""
import datetime
import re
from array import array

from fieldapp.imports.attendance_lookups import (Lookups, category_code, not_enrolled,  # noqa: F401 (category_code)
                                                not_enrolled_on, note_not_enrolled, note_shared_ids, unknown_student)
from fieldapp.imports.attendance_since import leave_out_moved
from fieldapp.imports.bulk import insert_rows
from fieldapp.imports.csvfile import CsvFile, cells_not_header, longer_than
from fieldapp.imports.repeats import cells_again, explain_duplicates
from fieldapp.imports.dates import in_a_whole_school_year, outside_school_years, why_not_a_date
from fieldapp.imports.schools import unknown_school
from fieldapp.messages import N_, NP_, Message, plural_message
from fieldapp.models import AttendanceEvent, utcnow
from fieldapp.numbers import decimal_number, whole_number
from fieldapp.rules.calendar import load_book
from fieldapp.timefmt import school_year_of

BATCH = 1000
SHORT_NAMES = ("In Attendance, Excused Absence, Unexcused Absence, Tardy, Early departure, Partial, "
               "Excused Tardy, Excused Early departure, Excused Partial")
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
    refused; differs: the columns whose cells differ (csvfile.differing), once both rows are read again."""
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

# The longest reason a mark keeps: a longer one is a row problem, never cut short.
MAX_REASON = 255
REASON_TOO_LONG = longer_than(["attendanceEventReason"], MAX_REASON)


NO_SHARE = Message("an absence with eventDuration 0 names no part of the day: give the share missed (0.5 for "
                   "half a day), or leave eventDuration empty for the whole day")


DECIMAL_COMMA = re.compile(r"^\s*(\d*),(\d+)\s*$")


def _share(raw_duration):
    """eventDuration as a share of a day, 0 to 1 (Ed-Fi: 1 day = 1, half a day = 0.5), read as every
    decimal the app takes (fieldapp.numbers): a decimal comma (0,5) is refused with the number to write,
    never read as 5 or guessed."""
    share = decimal_number(raw_duration, 0, 1)
    if share is not None:
        return share
    comma = DECIMAL_COMMA.match(raw_duration)
    if comma:
        raise ValueError(Message("eventDuration '%(raw)s': use a decimal point: %(number)s", raw=raw_duration,
                                 number=f"{comma[1] or '0'}.{comma[2]}"))
    raise ValueError(Message("eventDuration '%(raw)s' must be a share of a day from 0 to 1", raw=raw_duration))


def _minutes(raw_minutes, raw_duration, day_minutes, column="minutesAbsent"):
    """Minutes missed from minutesAbsent (or Ed-Fi's schoolAttendanceDuration,
    given as `column`), else from eventDuration (a share of a day)."""
    if raw_minutes:
        return _whole_minutes(raw_minutes, column)
    if raw_duration:
        return round(_share(raw_duration) * day_minutes)
    return 0


def _whole_minutes(raw, column):
    """A count of minutes, 0 to 1440: whole, or written with a zero fraction (20.0, as spreadsheets and
    Ed-Fi's decimal duration write it). A real fraction is the row's problem, with the two whole numbers
    to choose from: the state counts whole minutes, and the app does not round a minute for the office."""
    minutes = whole_number(raw, 0, 1440)
    if minutes is not None:
        return minutes
    number = decimal_number(raw, 0, 1440)
    if number is not None and number == int(number):
        return int(number)
    if number is not None:
        raise ValueError(Message("%(column)s '%(raw)s' is not a whole number of minutes: write %(below)s or "
                                 "%(above)s", column=column, raw=raw.strip(), below=int(number),
                                 above=int(number) + 1))
    raise ValueError(Message("%(column)s '%(raw)s' must be a whole number of minutes (0 to 1440)",
                             column=column, raw=raw))


def _columns(file):
    student = next(c for c in ("studentUniqueId", "sourcedId", "studentSourcedId") if file.has(c))
    names = (student, "schoolId", "eventDate", "attendanceEventCategoryDescriptor", "minutesAbsent",
             "eventDuration", "attendanceEventReason", "schoolAttendanceDuration")
    # An absent optional column reads as the empty header cell appended to every row.
    return [file.columns[n] if file.columns.get(n) is not None else -1 for n in names]


def _problem(row, lookups, today, where=("", 0)):
    """(why a row cannot be used, or None; the student id): (student, school,
    day, category) are looked up."""
    key, school_key, raw_date, raw_category = row
    if key not in lookups.students and key not in lookups.shared:
        return unknown_student(key, lookups), None
    if school_key not in lookups.schools:
        return unknown_school(school_key, lookups.shared_codes), None
    student, why = lookups.student(key, lookups.schools[school_key])
    if why:
        return why, None
    day = lookups.date(raw_date, where)
    if day is None:
        return why_not_a_date(raw_date, "eventDate", lookups.date_order), None
    if not in_a_whole_school_year(day):  # as a calendar's: its school year runs outside the years a date may have
        return outside_school_years(raw_date, day, "eventDate"), None
    if day > today and day > lookups.today_at(school_key):
        return Message("date %(day)s is after today at that school", day=day.isoformat()), None
    if lookups.category(raw_category) is None and not raw_category:
        return Message("attendanceEventCategoryDescriptor is empty: give an Ed-Fi AttendanceEventCategoryDescriptor "
                       "or one of: %(names)s", names=SHORT_NAMES), None
    if lookups.category(raw_category) is None:
        return Message("unknown category '%(raw)s' (use an Ed-Fi AttendanceEventCategoryDescriptor or: "
                       "%(names)s)", raw=raw_category, names=SHORT_NAMES), None
    return None, student


def _read(file, report, lookups, today, day_minutes):
    """Check every row; return (days, marks): for each day the students whose
    marks it replaces, and the marks to store. The import's hot path: a row
    is looked up as it is, and only a miss takes the slow path that explains it.
    Rows are numbered as a spreadsheet shows them (the header is row 1)."""
    i_student, i_school, i_date, i_category, i_minutes, i_duration, i_reason, i_ed_fi_minutes = \
        _columns(file)
    students, schools, enrolled, per_student, spans = (lookups.students, lookups.schools, lookups.enrolled,
                                                       lookups.per_student, lookups.spans)
    dates, bits = {}, {}  # raw text -> date (on or before today) / category bit, as seen
    days, marks, width, name, reader, read = {}, Marks(), file.width, file.name, file.reader, 0
    split = _SplitDays(report, name, day_minutes, (i_minutes, i_duration, i_reason, i_ed_fi_minutes))
    row, limit = 1, file.max_rows if file.max_rows is not None else float("inf")
    ended = reader.line_num  # the line the last row read ended on
    with file.guarded(lambda: row + 1):
        try:
            for cells in reader:
                row += 1
                if reader.line_num - ended > 1:  # a value ran over a line break: a quote left open
                    file.refuse_open_quote(cells, ended + 1)
                ended = reader.line_num
                if len(cells) != width:
                    if any(cell.strip() for cell in cells):
                        read += 1
                        report.problem(name, row, cells_not_header(len(cells), width))
                    elif cells:  # only commas or spaces: a spreadsheet's empty row
                        report.blank_rows.append((name, row))
                    continue
                read += 1
                if read > limit:
                    file.too_many_rows()
                student, school = students.get(cells[i_student]), schools.get(cells[i_school])
                day, bit = dates.get(cells[i_date]), bits.get(cells[i_category])
                if student is None or school is None or day is None or bit is None:
                    if not any(cell.strip() for cell in cells):  # only commas or spaces: a spreadsheet's empty row
                        read -= 1
                        report.blank_rows.append((name, row))
                        continue
                    keys = [cells[i].strip() for i in (i_student, i_school, i_date, i_category)]
                    why, student = _problem(keys, lookups, today, (name, row))
                    if keys[0] in lookups.shared and keys[1] in schools \
                            and lookups.student(keys[0], schools[keys[1]])[0]:
                        lookups.shared_rows.append((keys[0], row))  # matched by its school: counted once decided
                    if why:
                        report.problem(name, row, why)
                        continue
                    school = schools[keys[1]]
                    day = lookups.dates[keys[2]]
                    if day <= today:  # on or before today everywhere: no need to look again
                        dates[cells[i_date]] = day
                    bit = bits[cells[i_category]] = BITS[lookups.categories[keys[3]]]
                if student * per_student + school not in enrolled:  # another school's mark: left out
                    not_enrolled(lookups, report, name, row, (cells[i_student].strip(), cells[i_school].strip()))
                    continue
                if student in spans and lookups.elsewhere_on(student, school, day):  # before or after its span there
                    not_enrolled_on(lookups, report, name, row, (cells[i_student].strip(), cells[i_school].strip()),
                                    day)
                    continue
                cells.append("")  # what an absent optional column (index -1) reads
                if bit & FULL_DAY and cells[i_duration] and not _whole_day(cells[i_duration]):
                    split.add(cells, row, (student, school, day, bit), days, marks)
                    continue
                if split.left_out and (student, day) in split.left_out:
                    report.problem(name, row, split.left_out_with(student, day))
                    continue
                on_day = days.get(day)
                if on_day is None:
                    on_day = days[day] = {}
                held = on_day.get(student, 0)
                mark = None
                if bit != PRESENT:
                    try:
                        text, column = _minute_cells(cells, i_minutes, i_ed_fi_minutes)
                        # A whole-day absence misses the whole school day, eventDuration 1 or left empty.
                        minutes = _minutes(text, cells[i_duration].strip() or ("1" if bit & FULL_DAY else ""),
                                           day_minutes, column)
                    except ValueError as error:
                        report.problem(name, row, error.args[0])
                        continue
                    reason = cells[i_reason].strip()
                    if len(reason) > MAX_REASON:
                        report.problem(name, row, REASON_TOO_LONG)
                        continue
                    category = CODES[bit]
                    if category in EXCUSING and EXCUSED_REASON.search(reason):
                        category = EXCUSING[category]
                    mark = (student, school, day, category, minutes, reason)
                if held & CLASHES[bit]:
                    if held & bit and (earlier := split.repeats(student, day, held, mark, marks)):
                        split.repeated(student, day, row, earlier)
                        continue
                    if bit & FULL_DAY and held & SHARES and split.over_with_whole_day(student, day, row, on_day):
                        continue
                    split.contradicts(student, day, row, on_day, _why_contradicts(
                        held, bit, split.row_of_category(student, day, held, bit, marks)))
                    continue
                index = None
                if mark is not None:
                    index = len(marks)
                    marks.add(mark, row)
                on_day[student] = held | bit | split.keep(student, day, held, row, index)
        finally:  # a refusal part way (slash dates in both orders) still says the rows it read
            report.rows_read += read
    split.finish(marks)
    # A day is kept once a row of it is: a day whose every row was refused changes nothing, nor is it counted.
    for day in [day for day, students in days.items() if not students]:
        del days[day]
    note_shared_ids(lookups, report, name)
    note_not_enrolled(lookups, report)
    return days, marks


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


WHOLE_DAY = {"1", "1.0", "1.00", "1.000"}


def _whole_day(raw_duration):
    """Whether eventDuration says one whole day, however the number is written (1, 1.0, 1.0000, 01)."""
    text = raw_duration.strip()
    return text in WHOLE_DAY or decimal_number(text, 0, 1) == 1


def _why_contradicts(held, bit, earlier=None):
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


def _minute_cells(cells, i_minutes, i_ed_fi_minutes):
    """(minutes text, its column): minutesAbsent, else Ed-Fi's schoolAttendanceDuration."""
    minutes = cells[i_minutes].strip()
    if minutes or i_ed_fi_minutes < 0:
        return minutes, "minutesAbsent"
    return cells[i_ed_fi_minutes].strip(), "schoolAttendanceDuration"


class _SplitDays:
    """The split days of a file, and the days left out: a full-day category
    with eventDuration below 1 is a share of the day; a student's shares of
    one day add up to one day at most, and an absent share is kept as a part
    of the day with its minutes. Shares of one category add up to one mark
    (two Excused Absence rows of 0.5 are a whole excused day).

    A student's day whose rows contradict each other (events adding up to
    more than one day, two whole-day marks, a whole-day absence beside a
    tardy, the same category twice with other values) is left out whole, each
    of its rows named among the row problems: which of them is wrong cannot
    be told, and keeping the first (the file's order, nothing more) would
    store a mark that may be the wrong one without a word. The marks already
    stored for that day stay. A whole-day mark, tardy, early departure or
    partial row repeated (the same mark: minutes and reason too) is harmless:
    one is kept, the repeat said in a note, never a row problem, unless a later row leaves
    the day out: then the repeat is named left out with it, as the row it
    repeats is. A share repeated is one more share of the day."""

    def __init__(self, report, name, day_minutes, columns):
        self.report, self.name, self.day_minutes = report, name, day_minutes
        self.i_minutes, self.i_duration, self.i_reason, self.i_ed_fi_minutes = columns
        self.shares = {}  # (student, day) -> the share of the day its rows add up to
        # (student, day) -> [(row, index of its mark or None)] of the rows kept so far after its first,
        # whose row and index the student's bits of the day hold (see keep): most days have one row.
        self.rows = {}
        self.left_out = {}  # (student, day) -> (the row that contradicted the day, whether it went past one day)
        self.dropped = set()  # indexes in marks of the days left out
        self.merged = {}  # (student, day, category bit) -> [index of its mark, its shares' total]
        self.share_marks = set()  # indexes in marks of absent shares
        self.duplicates = {}  # (student, day) -> [(a row repeating a kept row of it, that row)]

    def keep(self, student, day, held, row, index):
        """Note a kept row of the student's day (index: of its mark, None when it stores none); returns
        the bits to add to the day's: the first row of a day is held there (held: the day's bits so far)."""
        if not held:
            return row << ROW_SHIFT | (0 if index is None else index + 1) << INDEX_SHIFT
        kept = self.rows.get((student, day))
        if kept is None:
            kept = self.rows[(student, day)] = []
        kept.append((row, index))
        return 0

    def _kept(self, student, day, held):
        """[(row, index of its mark or None)] of the rows of the student's day kept so far."""
        first = held >> ROW_SHIFT & ROW_MASK
        index = (held >> INDEX_SHIFT) - 1
        return [(first, None if index < 0 else index)] + self.rows.get((student, day), [])

    def repeats(self, student, day, held, mark, marks):
        """The kept row of the student's day that a row of a category the day holds repeats, saying just
        what it says: the same mark (mark None: In Attendance, which stores none); else 0."""
        kept = self._kept(student, day, held)
        if mark is None:
            return next((row for row, index in kept if index is None), kept[0][0])
        return next((row for row, index in kept if index is not None and marks[index] == mark), 0)

    def row_of_category(self, student, day, held, bit, marks):
        """The kept row of the student's day whose category is bit's (or its excused or unexcused twin),
        None when none is."""
        if not held & bit:
            return None
        same = bit | PART_PAIRS.get(bit, 0)
        for row, index in self._kept(student, day, held):
            if (bit == PRESENT and index is None) or (
                    index is not None and BITS.get(marks[index][3], 0) & same):
                return row
        return None

    def repeated(self, student, day, row, earlier):
        """A row saying just what a kept row of the student's day (on row earlier) says: harmless, read once
        and said in a note (see finish), unless the day is left out: then it is named with it (see _leave_out)."""
        self.duplicates.setdefault((student, day), []).append((row, earlier))

    def left_out_with(self, student, day):
        """Why a row of a day left out is refused (see the class)."""
        row, over = self.left_out[(student, day)]
        if over:
            return Message("left out with row %(row)s: this student's events on %(day)s add up to more than one "
                           "day, so none of that day's rows is kept; correct the day in the file and import it "
                           "again", row=str(row), day=day.isoformat())
        return Message("left out with row %(row)s: this student's rows on %(day)s contradict each other, so none "
                       "of that day's rows is kept; correct the day in the file and import it again",
                       row=str(row), day=day.isoformat())

    def contradicts(self, student, day, row, on_day, why):
        """A row that contradicts the student's day: named with why, and the day left out."""
        self.report.problem(self.name, row, why)
        self._leave_out(student, day, row, on_day, over=False)

    def add(self, cells, row, mark, days, marks):
        student, school, day, bit = mark
        if self.left_out and (student, day) in self.left_out:
            self.report.problem(self.name, row, self.left_out_with(student, day))
            return
        try:
            share = _share(cells[self.i_duration].strip())
            text, column = _minute_cells(cells, self.i_minutes, self.i_ed_fi_minutes)
            minutes = _minutes(text, "", self.day_minutes, column) if text else round(share * self.day_minutes)
        except ValueError as error:
            self.report.problem(self.name, row, error.args[0])
            return
        if share == 0 and bit != PRESENT:  # "not set" in some systems: read as nothing, the absence would be lost
            self.report.problem(self.name, row, NO_SHARE)
            return
        on_day = days.setdefault(day, {})
        held, share_bit = on_day.get(student, 0), SHARE_OF[bit]
        if held & FULL_DAY and share > 0:  # beside a whole-day mark: more than one day
            self._over(student, day, row, 1 + share)
            self._leave_out(student, day, row, on_day)
            return
        # Shares of one category add up, even two rows alike (a half day excused in each of two periods
        # is sent as two events of 0.5); anything else that clashes contradicts.
        if held & CLASHES[share_bit] & ~share_bit:
            self.contradicts(student, day, row, on_day, _why_contradicts(held & BIT_MASK, share_bit))
            return
        total = self.shares.get((student, day), 0) + share
        if total > 1.0001:
            self.report.problem(self.name, row, Message(
                "the eventDuration of this student's events on %(day)s add up to %(total)s days; a day's shares "
                "add up to 1 at most", day=day.isoformat(), total=round(total, 4)))  # a float: "1,25" in Spanish
            self._leave_out(student, day, row, on_day)
            return
        reason = cells[self.i_reason].strip()
        if bit != PRESENT and len(reason) > MAX_REASON:
            self.report.problem(self.name, row, REASON_TOO_LONG)
            return
        self.shares[(student, day)] = total
        index = None
        if bit != PRESENT:
            index = self._store(marks, (student, school, day, bit), share, minutes, reason, row)
        on_day[student] = held | share_bit | self.keep(student, day, held, row, index)

    def _store(self, marks, mark, share, minutes, reason, row):
        """Store an absent share (of row), added to the student's earlier share of that category that day
        if there is one (two halves excused make a whole excused day); returns the index of its mark."""
        student, school, day, bit = mark
        merged = self.merged.get((student, day, bit))
        if merged is None:
            index = len(marks)
            marks.add((student, school, day, SHARE_STORED_AS[bit], minutes, reason), row)
            self.merged[(student, day, bit)] = [index, share]
            self.share_marks.add(index)
            return index
        index, earlier = merged
        merged[1] = earlier + share
        _, _, _, category, earlier_minutes, earlier_reason = marks[index]
        if reason and reason != earlier_reason:
            joined = "; ".join(r for r in (earlier_reason, reason) if r)
            earlier_reason = joined if len(joined) <= MAX_REASON else earlier_reason
        if merged[1] >= 0.9999:  # the whole day, in shares
            category = CODES[bit]
            self.share_marks.discard(index)
        marks[index] = (student, school, day, category, earlier_minutes + minutes, earlier_reason)
        return index

    def _over(self, student, day, row, total):
        self.report.problem(self.name, row, Message(
            "this student's events on %(day)s add up to %(total)s days (a whole-day mark is one day, a share its "
            "eventDuration); a day's events add up to 1 at most", day=day.isoformat(), total=round(total, 4)))

    def over_with_whole_day(self, student, day, row, on_day):
        """A whole-day mark at row on a day the student has shares of: when
        they add up to more than one day, the day is left out whole (True)."""
        total = self.shares.get((student, day), 0) + 1
        if total <= 1.0001:
            return False
        self._over(student, day, row, total)
        self._leave_out(student, day, row, on_day)
        return True

    def _leave_out(self, student, day, row, on_day, over=True):
        """Leave out the student's day that row contradicted (over: its events went past one day):
        every row of it kept so far is refused too, naming that row, and its marks are taken out."""
        self.left_out[(student, day)] = (row, over)
        held = on_day.get(student, 0)
        kept = self._kept(student, day, held) if held else []
        self.rows.pop((student, day), None)
        for earlier, index in kept:
            self.report.problem(self.name, earlier, self.left_out_with(student, day))
            if index is not None:
                self.dropped.add(index)
        for repeat, _ in self.duplicates.pop((student, day), ()):  # the repeat of a row left out is no longer kept
            self.report.problem(self.name, repeat, self.left_out_with(student, day))
        on_day.pop(student, None)

    def finish(self, marks):
        """Take out the marks of the days left out, and say how many shares are kept and how many
        rows repeat another exactly."""
        self.report.note_repeats(self.name, sorted(pair for pairs in self.duplicates.values() for pair in pairs))
        stored = len(self.share_marks - self.dropped)
        if self.left_out:
            marks.drop(self.dropped)
            self.report.problems.sort(key=lambda problem: (problem[0], problem[1]))
        if stored:
            self.report.note(plural_message(
                "%(num)d absent share of a split day (eventDuration below 1) is kept as parts of days with their "
                "minutes; the state's rule for parts of days decides whether each counts.",
                "%(num)d absent shares of split days (eventDuration below 1) are kept as parts of days with their "
                "minutes; the state's rule for parts of days decides whether each counts.", stored,
                num=stored))


MARK_FIELDS = ("student", "school", "date", "category", "minutes", "reason", "import_run_id")


def _stale(days):
    """For each day in the file, the stored marks of the file's students:
    (day, [(id, student, ...MARK_FIELDS)], whether that is every mark of the day)."""
    columns = [AttendanceEvent.id] + [getattr(AttendanceEvent, f) for f in MARK_FIELDS]
    for day, students in days.items():
        held = AttendanceEvent.select(*columns).where(AttendanceEvent.date == day).tuples()
        stale = [mark for mark in held if mark[1] in students]
        yield day, stale, len(stale) == len(held)


def _same(stale, marks):
    """How many of the stored marks stale (as _stale gives them) the file gives again as they are: a
    file imported again changes none of them, and the counts say so rather than "replaced"."""
    if not stale:
        return 0
    held = {}
    for mark in stale:
        key = tuple(mark[1:7])
        held[key] = held.get(key, 0) + 1
    same = 0
    for mark in marks:
        if held.get(mark):
            held[mark] -= 1
            same += 1
    return same


def _count_marks(report, replaced, marks, same):
    report.add("earlier marks replaced", replaced - same)
    report.add("absences, tardies and part days stored", len(marks) - same)
    report.add("marks already stored as they are", same)


NOTHING_TO_CHANGE = Message("The file's days hold no marks of its students and it stores none: applying it would "
                            "change nothing.")


def preview(plan, report, context):
    """Count what applying would change, writing nothing. A file that would replace no mark and store
    none (one imported already) counts nothing, so no Apply is offered (ImportRun.changes_nothing),
    and says so in a note."""
    days, marks = plan
    stale = [mark for _, on_day, _ in _stale(days) for mark in on_day]
    same = _same(stale, marks)
    counts, notes = dict(report.counts), len(report.notes)
    _count_marks(report, len(stale), marks, same)
    _count_students(days, report, _warn_days_not_counted(days, marks, report))
    if days and len(stale) == same == len(marks):  # imported already, or presences on empty days
        report.counts, report.notes[notes:] = counts, [NOTHING_TO_CHANGE if not same else plural_message(
            "The file's %(num)d mark is stored already as it is: applying it would change nothing.",
            "The file's %(num)d marks are stored already as they are: applying it would change nothing.",
            same, num=same)]


NO_SCHOOL = {"holiday": "marks on holidays (kept, not counted)",
             "weekend": "marks on weekends (kept, not counted)",
             "outside": "marks outside the school year (kept, not counted)"}
NOT_ENROLLED = "marks on days the student was not enrolled (kept, not counted)"
# The notes naming the first rows of the marks NO_SCHOOL counts
NO_SCHOOL_SAID = {
    "holiday": NP_("%(num)d mark is on a holiday of its school's calendar: kept, not counted (%(rows)s)",
                   "%(num)d marks are on holidays of their school's calendar: kept, not counted (%(rows)s)"),
    "weekend": NP_("%(num)d mark is on a weekend: kept, not counted (%(rows)s)",
                   "%(num)d marks are on weekends: kept, not counted (%(rows)s)"),
    "outside": NP_("%(num)d mark is outside its school's school year: kept, not counted (%(rows)s)",
                   "%(num)d marks are outside their school's school year: kept, not counted (%(rows)s)"),
}


class _Kinds:
    """What each school's calendar makes of a day, read once a school year."""

    def __init__(self):
        self.books, self.kinds = {}, {}

    def __call__(self, school, day):
        key = (school, day)
        if key not in self.kinds:
            year = school_year_of(day)
            if year not in self.books:
                self.books[year] = load_book(year)
            self.kinds[key] = self.books[year].for_school(school).kind_of(day)
        return self.kinds[key]


def _warn_days_not_counted(days, marks, report):
    """Count the marks the rules do not count, stored as sent: those dated
    on days the school's calendar has no school, and those on days outside
    every enrolment span of the student (a student with none is enrolled
    every day), the first of these named. Returns the file's school days:
    those with school at the school of a mark, or of a student, that day."""
    kind, school_days, enrolled, no_school = _Kinds(), set(), [], {}
    for index, mark in enumerate(marks):
        _, school, day, *_ = mark
        if kind(school, day) in NO_SCHOOL:
            report.add(NO_SCHOOL[kind(school, day)])
            no_school.setdefault(kind(school, day), []).append(index)
        else:
            school_days.add(day)
            enrolled.append(index)
    for name, indices in no_school.items():
        report.note(plural_message(*NO_SCHOOL_SAID[name], len(indices), num=len(indices),
                                   rows=_named_rows(marks, indices)))
    _warn_not_enrolled(marks, enrolled, report)
    unmarked = [day for day in days if day not in school_days]  # days of presences only, or of no school
    if unmarked:
        from fieldapp.models import Student
        some = sorted({student for day in unmarked for student in list(days[day])[:20]})
        schools = {}
        for start in range(0, len(some), BATCH):
            schools.update(Student.select(Student.id, Student.school).where(
                Student.id.in_(some[start:start + BATCH])).tuples())
        school_days.update(day for day in unmarked if any(
            kind(schools[student], day) not in NO_SCHOOL for student in list(days[day])[:20] if student in schools))
    return school_days


SHOWN_NOT_ENROLLED = 5


def _warn_not_enrolled(marks, indices, report):
    """Count the marks (of marks, at indices) on days outside every enrolment span of their student, and
    say so in a note naming the first few rows."""
    from fieldapp.models import Enrollment, Student
    students, spans = sorted({marks[i][0] for i in indices}), {}
    for start in range(0, len(students), BATCH):
        for student, begin, end in Enrollment.select(Enrollment.student, Enrollment.begin_date, Enrollment.end_date
                                                     ).where(Enrollment.student.in_(students[start:start + BATCH])
                                                             ).tuples():
            spans.setdefault(student, []).append((begin, end))
    outside = [i for i in indices if marks[i][0] in spans and not any(
        (begin is None or _date(begin) <= marks[i][2]) and (end is None or marks[i][2] <= _date(end))
        for begin, end in spans[marks[i][0]])]
    if not outside:
        return
    report.add(NOT_ENROLLED, len(outside))
    report.note(plural_message(
        "%(num)d mark is on a day its student was not enrolled: kept, not counted (%(rows)s)",
        "%(num)d marks are on days their student was not enrolled: kept, not counted (%(rows)s)",
        len(outside), num=len(outside), rows=_named_rows(marks, outside)))


def _named_rows(marks, indices):
    """The first SHOWN_NOT_ENROLLED of the marks at indices, by their rows, each as "row 5: 604823 on Nov 9,
    2021" (a tuple of Messages, then "…" when there are more)."""
    from fieldapp.models import Student
    shown = sorted(indices, key=lambda i: (marks.row_of(i) or 0, i))[:SHOWN_NOT_ENROLLED]
    keys = dict(Student.select(Student.id, Student.local_id).where(
        Student.id.in_([marks[i][0] for i in shown])).tuples())
    named = tuple(Message("row %(row)s: %(key)s on %(day)s", row=str(marks.row_of(i)), key=keys.get(marks[i][0], ""),
                          day=marks[i][2]) for i in shown)
    return named + (("…",) if len(indices) > len(shown) else ())


def _date(value):
    return datetime.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _count_students(days, report, school_days):
    report.student_ids = {s for students in days.values() for s in students}
    report.add("students", len(report.student_ids))
    report.add("school days", len(school_days))


def apply(plan, report, journal, context):
    """Delete each day's earlier marks of the students in the file (journalled),
    then insert the new ones, marked with the import's id. The students of a day
    that held no mark of theirs are journalled too, a day to an entry
    ("replaced", row id minus the run's id, before {"date", "run", "students"}):
    an import saying "In Attendance" leaves no mark of it, and undoing another
    import must know it decided the day (undo_marks.day_back)."""
    days, marks = plan
    if marks.read_at:  # an import applied since the file was checked may have moved some of its students
        leave_out_moved(days, marks, report, context.run_id)
    removed, every = 0, []
    for day, stale, whole_day in _stale(days):
        every += stale
        found_empty = set(days[day]) - {mark[1] for mark in stale}
        if found_empty and context.run_id:  # the student-days it decided that held no mark: undo_marks.day_back
            journal.replaced("attendance_event", -context.run_id, {"date": day.isoformat(), "run": context.run_id,
                                                                   "students": sorted(found_empty)})
        for mark in stale:
            journal.deleted("attendance_event", mark[0], dict(zip(MARK_FIELDS, mark[1:])))
        if stale and whole_day:
            removed += AttendanceEvent.delete().where(AttendanceEvent.date == day).execute()
            continue
        ids = [mark[0] for mark in stale]
        for start in range(0, len(ids), BATCH):
            removed += AttendanceEvent.delete().where(AttendanceEvent.id.in_(ids[start:start + BATCH])).execute()
    run_id = context.run_id
    insert_rows(AttendanceEvent, [AttendanceEvent.student, AttendanceEvent.school, AttendanceEvent.date,
                                  AttendanceEvent.category, AttendanceEvent.minutes,
                                  AttendanceEvent.reason, AttendanceEvent.import_run_id],
                [mark + (run_id,) for mark in marks])
    _count_marks(report, removed, marks, _same(every, marks))
    _count_students(days, report, _warn_days_not_counted(days, marks, report))


def check(binary, filename, report, context):
    """Read and check an attendance file; returns the plan (days, marks)."""
    file = CsvFile(binary, filename, required=("schoolId", "eventDate", "attendanceEventCategoryDescriptor"),
                   optional=("eventDuration", "minutesAbsent", "attendanceEventReason",
                             "schoolAttendanceDuration"),
                   one_of=(("studentUniqueId", "sourcedId", "studentSourcedId"),),
                   max_rows=context.limits.max_rows)
    report.note_ignored_columns(file)
    read_at = utcnow()  # the enrolments read now: applying checks those changed since (attendance_since)
    lookups = Lookups(file.has("studentUniqueId"), context.date_order)
    if context.today_given:
        lookups.given_today = context.today
        earliest = context.today
    else:  # the earliest "today" of the district's zones; later days are checked per school
        earliest = min([lookups.today_at(key) for key in lookups.schools] or [context.today])
    plan = _read(file, report, lookups, earliest, context.settings.school_day_minutes)
    plan[1].read_at = read_at
    explain_duplicates(report, lambda name, lines: cells_again(file, lines), EXPLAINED)
    return plan


def import_attendance(binary, filename, skip_bad_rows=False, today=None, school_day_minutes=360,
                      date_order=""):
    """Check and apply an attendance file at once, without the history; returns its Report."""
    from fieldapp.imports.steps import apply_now
    from fieldapp.rules.settings import RuleSettings
    return apply_now("attendance", binary, filename, skip_bad_rows, today=today,
                     settings=RuleSettings(school_day_minutes=school_day_minutes), date_order=date_order)
