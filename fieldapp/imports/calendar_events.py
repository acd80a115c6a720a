"""The events a calendar file gives a date (imports.calendar): Ed-Fi's CalendarEventDescriptor
values and this import's own words, each with what it means for counting."""
from fieldapp.messages import N_

# Ed-Fi CalendarEventDescriptor (Data Standard 2.0 to 5.x; CalendarEventType in 2.0) and this
# import's own words: folded name -> (code, what the day is for counting).
SCHOOL, OFF, NEITHER = "school day", "no school", "neither"
EVENTS = {
    "firstday": ("first_day", SCHOOL), "firstdayofschool": ("first_day", SCHOOL),
    "lastday": ("last_day", SCHOOL), "lastdayofschool": ("last_day", SCHOOL),
    "instructionalday": ("instructional", SCHOOL),
    "makeupday": ("make_up", SCHOOL),
    "studentlatearrivalearlydismissal": ("late_arrival_early_dismissal", SCHOOL),
    "holiday": ("holiday", OFF), "noschool": ("holiday", OFF),
    "noninstructionalday": ("non_instructional", OFF),
    "teacheronlyday": ("teacher_only", OFF),
    "weatherday": ("weather", OFF),
    "emergencyday": ("emergency", OFF),
    "strike": ("strike", OFF),
    "other": ("other", NEITHER),
}
# What each event means for counting, as the preview and the README say it.
MEANING = {
    "first_day": N_("the first school day of the year"),
    "last_day": N_("the last school day of the year"),
    "instructional": N_("a school day"),
    "make_up": N_("a school day (on a weekend, it adds one)"),
    "late_arrival_early_dismissal": N_("a school day, shortened; marks count as on any school day"),
    "holiday": N_("no school"), "non_instructional": N_("no school for students"),
    "teacher_only": N_("no school for students"), "weather": N_("no school (closed for weather)"),
    "emergency": N_("no school (closed for an emergency)"), "strike": N_("no school (closed by a strike)"),
    "other": N_("neither: the day stays what the rest of the calendar makes it"),
}
# What an event meaning neither means in a list of instructional days, where a weekday not listed
# as a school day has no school.
MEANING_IN_A_LIST_OF_SCHOOL_DAYS = {
    "other": N_("neither, so on a weekday with no other event: not listed as a school day, no school"),
}


def event_of(raw):
    """(code, SCHOOL | OFF | NEITHER) of a calendarEvent cell, or None:
    'uri://ed-fi.org/CalendarEventDescriptor#Student late arrival/early dismissal',
    'http://ed-fi.org/Descriptor/CalendarEventDescriptor.xml/Holiday' or 'Holiday'."""
    if "#" in raw:
        name = raw.rsplit("#", 1)[1]
    elif "://" in raw:
        name = raw.split(".xml/", 1)[1] if ".xml/" in raw else raw.rsplit("/", 1)[1]
    else:
        name = raw
    return EVENTS.get("".join(ch for ch in name.lower() if ch.isalnum()))


EVENTS_BY_CODE = {code: meaning for code, meaning in EVENTS.values()}
LABELS = {"first_day": N_("First day"), "last_day": N_("Last day"), "instructional": N_("Instructional day"),
          "make_up": N_("Make-up day"),
          "late_arrival_early_dismissal": N_("Student late arrival/early dismissal"),
          "holiday": N_("Holiday"), "non_instructional": N_("Non-instructional day"),
          "teacher_only": N_("Teacher only day"), "weather": N_("Weather day"), "emergency": N_("Emergency day"),
          "strike": N_("Strike"), "other": N_("Other")}


def meaning_of(codes):
    meanings = {EVENTS_BY_CODE[c] for c in codes}
    return SCHOOL if SCHOOL in meanings else OFF if OFF in meanings else NEITHER


TAUGHT = {"instructional", "late_arrival_early_dismissal"}  # the days an instructional listing lists
