"""The split days of an attendance file (imports.attendance): the shares of a student's day
(eventDuration below 1) added up, and the days whose rows contradict each other left out whole."""
from fieldapp.imports.attendance_cells import MAX_REASON, REASON_TOO_LONG, minute_cells, minutes_missed, share_of_day
from fieldapp.imports.attendance_marks import (BIT_MASK, BITS, CLASHES, CODES, FULL_DAY, INDEX_SHIFT, PART_PAIRS,
                                               PRESENT, ROW_MASK, ROW_SHIFT, SHARE_OF, SHARE_STORED_AS,
                                               why_contradicts)
from fieldapp.messages import Message, plural_message


NO_SHARE = Message("an absence with eventDuration 0 names no part of the day: give the share missed (0.5 for "
                   "half a day), or leave eventDuration empty for the whole day")


class SplitDays:
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
            share = share_of_day(cells[self.i_duration].strip())
            text, column = minute_cells(cells, self.i_minutes, self.i_ed_fi_minutes)
            minutes = minutes_missed(text, "", self.day_minutes, column) if text else round(share * self.day_minutes)
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
            self.contradicts(student, day, row, on_day, why_contradicts(held & BIT_MASK, share_bit))
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
