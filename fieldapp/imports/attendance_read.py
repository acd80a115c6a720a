"""Reading and checking the rows of an attendance file (imports.attendance): each row's student,
school, day and category looked up (attendance_lookups), its marks decided (attendance_marks, split
days: attendance_split), and what refuses it said as a row problem."""
from fieldapp.imports.attendance_cells import MAX_REASON, REASON_TOO_LONG, minute_cells, minutes_missed, whole_day
from fieldapp.imports.attendance_lookups import (not_enrolled, not_enrolled_on, note_not_enrolled, note_shared_ids,
                                                unknown_student)
from fieldapp.imports.attendance_marks import (BITS, CLASHES, CODES, EXCUSED_REASON, EXCUSING, FULL_DAY, PRESENT,
                                               SHARES, Marks, why_contradicts)
from fieldapp.imports.attendance_split import SplitDays
from fieldapp.imports.csvfile import cells_not_header
from fieldapp.imports.dates import in_a_whole_school_year, outside_school_years, why_not_a_date
from fieldapp.imports.schools import unknown_school
from fieldapp.messages import Message


SHORT_NAMES = ("In Attendance, Excused Absence, Unexcused Absence, Tardy, Early departure, Partial, "
               "Excused Tardy, Excused Early departure, Excused Partial")


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


def read_marks(file, report, lookups, today, day_minutes):
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
    split = SplitDays(report, name, day_minutes, (i_minutes, i_duration, i_reason, i_ed_fi_minutes))
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
                if bit & FULL_DAY and cells[i_duration] and not whole_day(cells[i_duration]):
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
                        text, column = minute_cells(cells, i_minutes, i_ed_fi_minutes)
                        # A whole-day absence misses the whole school day, eventDuration 1 or left empty.
                        minutes = minutes_missed(text, cells[i_duration].strip() or ("1" if bit & FULL_DAY else ""),
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
                    split.contradicts(student, day, row, on_day, why_contradicts(
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
