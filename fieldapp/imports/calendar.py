"""School calendars from a CSV, one row per special day:

    schoolId,date,calendarEvent,name
    ,2025-08-18,First day,
    ,2026-06-11,Last day,
    ,2025-09-01,Holiday,Labor Day
    sch-1,2025-10-10,Holiday,Staff development day
    ,2026-03-14,Make-up day,Snow day made up

An empty schoolId is the whole district. calendarEvent is First day, Last
day, Holiday (or another day without school: Non-instructional day,
Teacher only day, Weather day, Emergency day), or Make-up day (a weekend day
with school). An Ed-Fi calendar listing every Instructional day works too:
its first and last instructional days are the first and last day. Each
calendar (district or school, per school year) in the file replaces the
stored one.
"""
from fieldapp.imports.csvfile import CsvFile
from fieldapp.imports.dates import parse_date, why_not_a_date
from fieldapp.imports.schools import school_keys, unknown_school
from fieldapp.imports.journal import plain
from fieldapp.models import CalendarDay, SchoolCalendar
from fieldapp.timefmt import school_year_of

EVENTS = {
    "firstday": "first_day", "firstdayofschool": "first_day",
    "lastday": "last_day", "lastdayofschool": "last_day",
    "holiday": "holiday", "noninstructionalday": "holiday", "teacheronlyday": "holiday",
    "weatherday": "holiday", "emergencyday": "holiday", "noschool": "holiday",
    "makeupday": "make_up", "instructionalday": "instructional",
}


def _event(raw):
    name = raw.split("#")[-1].split("/")[-1]
    return EVENTS.get("".join(ch for ch in name.lower() if ch.isalnum()))


def _read(file, report, date_order=""):
    """{(school id or None, school year): {date: (event, name, line)}}."""
    schools, shared_codes = school_keys()
    groups = {}
    for line, cells in file.rows():
        report.rows_read += 1
        school_key, raw_date = file.cell(cells, "schoolId"), file.cell(cells, "date")
        raw_event = file.cell(cells, "calendarEvent")
        day, event = parse_date(raw_date, date_order), _event(raw_event)
        if school_key and school_key not in schools:
            report.problem(file.name, line, unknown_school(school_key, shared_codes))
        elif day is None:
            report.problem(file.name, line, why_not_a_date(raw_date, "date", date_order))
        elif event is None:
            report.problem(file.name, line, f"unknown calendarEvent '{raw_event}' (use First day, "
                                            "Last day, Holiday or Make-up day)")
        else:
            days = groups.setdefault((schools.get(school_key), school_year_of(day)), {})
            if day in days and days[day][0] != event:
                report.problem(file.name, line, f"{day} is already a {days[day][0].replace('_', ' ')} "
                                                f"(line {days[day][2]})")
            else:
                days[day] = (event, file.cell(cells, "name")[:100], line)
    return groups


def _bounds(key, days, report, name):
    """(first day, last day) of one calendar, checked; None when unusable."""
    firsts = [d for d, (e, _, _) in days.items() if e == "first_day"]
    lasts = [d for d, (e, _, _) in days.items() if e == "last_day"]
    taught = [d for d, (e, _, _) in days.items() if e == "instructional"]  # an Ed-Fi full calendar
    first = min(firsts) if firsts else (min(taught) if taught else None)
    last = max(lasts) if lasts else (max(taught) if taught else None)
    line = min(entry[2] for entry in days.values())
    if len(firsts) > 1 or len(lasts) > 1:
        report.problem(name, line, f"{key[1]}: more than one first or last day")
    elif key[0] is None and (first is None or last is None):
        report.problem(name, line, f"the district calendar of {key[1]} needs a First day and a Last day")
    elif first and last and first > last:
        report.problem(name, line, f"{key[1]}: the first day {first} is after the last day {last}")
    else:
        return first, last
    return None


def _snapshot(key):
    """The stored calendar of key as the journal keeps it, or None."""
    school, year = key
    old = SchoolCalendar.get_or_none((SchoolCalendar.school_year == year) & (
        SchoolCalendar.school.is_null() if school is None else SchoolCalendar.school == school))
    if old is None:
        return None
    return {"school": school, "school_year": year, "first_day": plain(old.first_day),
            "last_day": plain(old.last_day),
            "days": [[plain(d.date), d.kind, d.name] for d in old.days.order_by(CalendarDay.date)]}


def _save(key, first, last, days, journal):
    school, year = key
    before = _snapshot(key) or {"school": school, "school_year": year, "absent": True}
    SchoolCalendar.delete().where((SchoolCalendar.school_year == year) & (
        SchoolCalendar.school.is_null() if school is None else SchoolCalendar.school == school)).execute()
    calendar = SchoolCalendar.create(school=school, school_year=year, first_day=first, last_day=last)
    journal.replaced("school_calendar", calendar.id, before)
    rows = [{"calendar": calendar.id, "date": d, "kind": e, "name": n}
            for d, (e, n, _) in sorted(days.items())
            if (e == "holiday" and d.weekday() < 5) or (e in ("make_up", "instructional") and d.weekday() >= 5)]
    for row in rows:
        row["kind"] = "holiday" if row["kind"] == "holiday" else "make_up"
    if rows:
        CalendarDay.insert_many(rows).execute()
    return len(rows)


def check(binary, filename, report, context):
    """Read and check a calendar file; returns (groups, bounds by calendar)."""
    file = CsvFile(binary, filename, required=("date", "calendarEvent"), optional=("schoolId", "name"),
                   max_rows=context.limits.max_rows)
    report.note_ignored_columns(file)
    groups = _read(file, report, context.date_order)
    return groups, {key: _bounds(key, days, report, filename) for key, days in groups.items()}


def apply(plan, report, journal, context):
    groups, checked = plan
    for key, bounds in checked.items():
        if bounds:
            report.add("days off and make-up days", _save(key, *bounds, groups[key], journal))
            report.add("calendars replaced")


def import_calendar(binary, filename, skip_bad_rows=False, date_order=""):
    """Check and apply a calendar file at once, without the history; returns its Report."""
    from fieldapp.imports.steps import apply_now
    return apply_now("calendar", binary, filename, skip_bad_rows, date_order=date_order)
