"""Reading a calendar file (imports.calendar) into its calendars' dates and events, row by row:
each row checked, a date listed twice kept once, and a date said both with school and without left out."""
from fieldapp.imports.calendar_events import EVENTS_BY_CODE, LABELS, OFF, SCHOOL, event_of
from fieldapp.imports.calendar_words import dated
from fieldapp.imports.csvfile import longer_than
from fieldapp.imports.dates import OrderWatch, in_a_whole_school_year, outside_school_years, parse_date, why_not_a_date
from fieldapp.imports.schools import school_keys, unknown_school
from fieldapp.messages import Message, N_
from fieldapp.timefmt import school_year_of

MAX_NAME = 255  # the longest name of a day off a calendar keeps; longer is a row problem, never cut


def read_calendars(file, report, date_order="", tracks=None, refused_ends=None, kept=None, repeats=None):
    """{(school id or None, school year): {date: ({event codes}, name, line)}};
    kept, when given, gets {(school id or None, school year): ([lines of its rows kept],
    {dates left out})}: a date listed both with school and without is left out
    whole, every row of it named (which of them is wrong cannot be told, and
    keeping the first would keep the file's order), and its stored day stays;
    tracks, when given, gets {(school id or None, school year): {calendarCode: None}};
    refused_ends, when given, gets {(school id or None, 'first_day' or 'last_day'): line}
    of the First day and Last day rows refused (a bad date), for the problem of a
    calendar left without one to name that row; repeats, when given, gets the lines of
    the rows repeating an earlier row exactly (its school, date, event and name), each as
    (its line, the earlier row's)."""
    schools, shared_codes = school_keys()
    groups, watch = {}, OrderWatch(date_order)
    kept = {} if kept is None else kept
    rows, left_out = {}, {}  # (key, date) -> [(line, event code)] kept / the row that contradicted it
    repeats = [] if repeats is None else repeats
    exact = {}  # (key, date, event code, name) of the rows read -> the first row saying it
    for line, cells in file.rows(report):
        report.rows_read += 1
        school_key, raw_date = file.cell(cells, "schoolId"), file.cell(cells, "date")
        raw_event = file.cell(cells, "calendarEvent")
        day, event = parse_date(raw_date, date_order), event_of(raw_event)
        watch.saw(raw_date, file.name, line, "date")
        if school_key and school_key not in schools:
            report.problem(file.name, line, unknown_school(school_key, shared_codes))
        elif day is None or not in_a_whole_school_year(day):
            report.problem(file.name, line, why_not_a_date(raw_date, "date", date_order) if day is None
                           else outside_school_years(raw_date, day))
            if refused_ends is not None and event and event[0] in ("first_day", "last_day"):
                refused_ends.setdefault((schools.get(school_key), event[0]), line)
        elif len(file.cell(cells, "name")) > MAX_NAME:
            report.problem(file.name, line, longer_than(["name"], MAX_NAME))
        elif event is None and not raw_event:
            report.problem(file.name, line, Message(
                "calendarEvent is empty: give one of First day, Last day, No school or an Ed-Fi "
                "CalendarEventDescriptor: Instructional day, Make-up day, Holiday, ..."))
        elif event is None:
            report.problem(file.name, line, Message(
                "unknown calendarEvent '%(raw)s' (use First day, Last day, No school or an Ed-Fi "
                "CalendarEventDescriptor: Instructional day, Make-up day, Holiday, ...)", raw=raw_event))
        else:
            key = (schools.get(school_key), school_year_of(day))
            if (key, day) in left_out:
                report.problem(file.name, line, _left_out_date(left_out[(key, day)], day))
                continue
            said = (key, day, event[0], file.cell(cells, "name"))
            if said in exact:  # an exact repeat: read once, said in a note unless its date is left out
                repeats.append((line, exact[said]))
            else:
                exact[said] = line
            group = groups.setdefault(key, {})
            lines, dates_left_out = kept.setdefault(key, ([], set()))
            if not _add(group, day, event, file.cell(cells, "name"), (report, file.name, line)):
                left_out[(key, day)] = line
                dates_left_out.add(day)
                del group[day]
                for earlier, code in rows.pop((key, day)):
                    report.problem(file.name, earlier, _left_out_date(line, day))
                    lines.remove(earlier)
                    if refused_ends is not None and code in ("first_day", "last_day"):
                        refused_ends.setdefault((key[0], code), earlier)
                continue
            rows.setdefault((key, day), []).append((line, event[0]))
            lines.append(line)
            # Ed-Fi's calendarCode names a track (a school may run several); one calendar per school is kept.
            if tracks is not None and file.cell(cells, "calendarCode"):
                tracks.setdefault(key, {})[file.cell(cells, "calendarCode")] = None
    return groups


def _left_out_date(line, day):
    """Why a row of a date left out (see read_calendars) is refused, naming the row that contradicted it."""
    return Message("left out with row %(row)s: %(day)s is listed both as a day with school and as one without, "
                   "so none of that date's rows is kept and the day stays as stored; correct it in the file and "
                   "import it again", row=str(line), day=day.isoformat())


def _add(days, day, event, name, where):
    """Add a row's event to its date; False (the row named) when the date already has school and
    the row says no school, or the other way round."""
    report, file_name, line = where
    code, meaning = event
    if day in days:
        codes, old_name, first_line = days[day]
        meanings = {EVENTS_BY_CODE[c] for c in codes} | {meaning}
        if {SCHOOL, OFF} <= meanings:
            events = [Message(LABELS[c]) for c in sorted(codes)]
            said = events[0]
            for event in events[1:]:
                said = Message("%(said)s and %(then)s", said=said, then=event)
            report.problem(file_name, line, Message(
                "%(day)s is already listed as %(events)s (row %(row)s): a day has school or not",
                day=day.isoformat(), events=said, row=str(first_line)))
            return False
        earlier = _another_day_off(codes, code, meaning)
        codes.add(code)
        if name and old_name and name != old_name:  # one date, one name: the first row's is kept, and said
            _said_again(report, file_name, line, day, first_line, name, old_name)
        elif earlier and name in (old_name, ""):  # another day off, no other name: the first row's is kept, said
            _said_again(report, file_name, line, day, first_line, _event_named(code, name),
                        _event_named(earlier, old_name))
            old_name = old_name or Message(LABELS[earlier])  # the name the day keeps: the first row's event
        days[day] = (codes, old_name or name, first_line)
    else:
        days[day] = ({code}, name, line)
    return True


def _another_day_off(codes, code, meaning):
    """The event of the day off a date's first row listed, when a later row lists it again as another
    day off (Holiday, then Weather day); else None."""
    offs = sorted(c for c in codes if EVENTS_BY_CODE[c] == OFF)
    return offs[0] if meaning == OFF and offs and code not in codes else None


def _event_named(code, name):
    """A row of a day off as the notes name it: its event, and its name when it has one."""
    return Message("%(event)s: %(name)s", event=Message(LABELS[code]), name=name) if name else Message(LABELS[code])


def _said_again(report, file_name, line, day, first_line, name, kept):
    """Note a date listed again (row line, first on first_line) as name, which keeps the first row's, kept."""
    report.note(dated(N_("%(file)s, row %(row)s: %(day)s is listed again (first on row %(first)s) under "
                          "another name, “%(name)s”: a date keeps one name, the first row's, “%(kept)s”."),
                       file=file_name, row=str(line), day=day, first=str(first_line), name=name, kept=kept))
