"""What the preview of a calendar file (imports.calendar) says of each calendar: what it lists, its
year and school days, and the warnings for a district's administrator to check."""
import datetime

from fieldapp.imports.calendar_events import LABELS, MEANING, MEANING_IN_A_LIST_OF_SCHOOL_DAYS, NEITHER, SCHOOL, \
    meaning_of
from fieldapp.messages import Message, N_, NP_, listed, plural_message
from fieldapp.rules.calendar import first_year_of

SHORT_YEAR_DAYS = 160  # fewer school days than any state's year: the file may be cut short
SAID_DAYS = 5  # the dates a note names before it says how many more


def _label(school, year, names):
    """A calendar as the notes name it: its school's name, or the district's, and its year."""
    return f"{names[school]} {year}" if school and school in names else Message("District %(year)s", year=year)


def dated(msgid, plural=None, n=None, **values):
    """A Message whose dates stay dates, for the pages to say in the reader's
    words ("12 ago 2026" in Spanish); its English says them day first, "12 Aug 2026".
    plural and n: its wording depends on the number n (fieldapp.messages.plural_message)."""
    english = Message(msgid, plural=plural, n=n, **{key: _day_first(value) for key, value in values.items()})
    return Message(msgid, english=str(english), plural=plural, n=n, **values)


def _day_first(value):
    """A date as the calendar's English says it, "12 Aug 2026"; a tuple of them (and words) as one list."""
    if isinstance(value, tuple):
        return listed(str(_day_first(part)) for part in value)
    return f"{value:%-d %b %Y}" if isinstance(value, datetime.date) else value


def _joined(pieces):
    """Messages said one after another, "; " between them."""
    said = pieces[-1]
    for piece in reversed(pieces[:-1]):
        said = Message("%(said)s; %(then)s", said=piece, then=said)
    return said


def warn_tracks(tracks, report, names):
    """Say which calendars hold several calendarCode tracks: their days are merged into one."""
    for (school, year), codes in sorted(tracks.items(), key=lambda item: (item[0][0] or 0, item[0][1])):
        if len(codes) > 1:
            label = _label(school, year, names)
            report.add("calendars merging several tracks")
            report.example("calendars merging several tracks", label)
            report.note(plural_message(  # more than one, always: the plural forms of a language say which
                "Check %(label)s: the file gives %(num)d calendar (calendarCode %(codes)s), merged into one: this "
                "import keeps one calendar per school and year, so a day listed in any of them counts for every "
                "student of the school.",
                "Check %(label)s: the file gives %(num)d calendars (calendarCode %(codes)s), merged into one: this "
                "import keeps one calendar per school and year, so a day listed in any of them counts for every "
                "student of the school.", len(codes), label=label, num=len(codes), codes=", ".join(codes)))


def describe(key, derived, days, report, names, kept, year_given=True):
    """Say what a calendar lists, its year and school days once imported
    (kept: that calendar's CalendarBook calendar), what its events mean, and
    warn when the year looks cut short, or is assumed (year_given False: no
    First day or Last day in the file, the stored calendar or the district's)."""
    school, year = key
    label = _label(school, year, names)
    seen = {}
    for codes, _, _ in days.values():
        for code in codes:
            seen[code] = seen.get(code, 0) + 1
    meanings = dict(MEANING, **MEANING_IN_A_LIST_OF_SCHOOL_DAYS) if derived.lists == "instructional days" \
        else MEANING
    events = _joined([Message("%(event)s ×%(num)s: %(meaning)s", event=Message(LABELS[c]), num=str(n),
                              meaning=Message(meanings[c])) for c, n in sorted(seen.items())])
    count, first, last = len(kept.days), kept.first_day, kept.last_day
    off = sum(1 for d in kept.holidays if first <= d <= last and d.weekday() < 5)
    make_up = sum(1 for d in kept.make_up if first <= d <= last and d.weekday() >= 5)
    msgid, plural, n, given = _what_it_lists(derived)
    report.note(dated(msgid, plural, n=n if plural else None, label=label, first=first, last=last, given=given,
                        days=plural_message("%(num)d school day", "%(num)d school days", count, num=count),
                        off=plural_message("%(num)d weekday", "%(num)d weekdays", off, num=off),
                        make_up=plural_message("%(num)d weekend day", "%(num)d weekend days", make_up, num=make_up),
                        num=n, start=derived.span and derived.span[0],
                        end=derived.span and derived.span[1], events=events))
    _warn_neither_days(label, derived, days, report)
    if not year_given:
        report.add("calendars with an assumed year")
        report.example("calendars with an assumed year", label)
        report.note(dated(N_("Check %(label)s: no calendar gives its school year (a First day and a Last day, "
                              "here or in the district's calendar), so %(first)s to %(last)s is assumed, the "
                              "weekdays from mid-August to mid-June. Import the district's calendar, or this "
                              "school's whole year, so that its school days are its own."),
                           label=label, first=first, last=last))
    start = first_year_of(year)
    short = []
    if first == last:  # a First day and a Last day on one date: a year of one day, wherever it falls
        short.append(dated(N_("it begins and ends on %(day)s, one day"), day=first))
    else:
        if last < datetime.date(start + 1, 5, 1):
            short.append(dated(N_("it ends on %(day)s"), day=last))
        if first > datetime.date(start, 10, 1):
            short.append(dated(N_("it begins on %(day)s"), day=first))
    if derived.sparse:  # more instructional days than days off: read as a list of instructional days
        listed, weekdays = derived.sparse
        short.append(dated(*NP_(
            "it lists %(num)d instructional day of the %(weekdays)d weekdays from %(start)s to %(end)s, more than "
            "its days off, so it is read as a list of instructional days and the other weekdays have no school",
            "it lists %(num)d instructional days of the %(weekdays)d weekdays from %(start)s to %(end)s, more than "
            "its days off, so it is read as a list of instructional days and the other weekdays have no school"),
            n=listed, num=listed, weekdays=weekdays, start=min(days), end=max(days)))
    if count < SHORT_YEAR_DAYS:
        short.append(plural_message("it has %(num)d school day, fewer than the %(most)s of any state's year",
                                    "it has %(num)d school days, fewer than the %(most)s of any state's year",
                                    count, num=count, most=str(SHORT_YEAR_DAYS)))
    if short:
        report.add("calendars that look cut short")
        report.example("calendars that look cut short", label)
        report.note(Message("Check %(label)s: the year looks cut short (%(why)s). If the file holds only part of "
                            "the year, import the whole year's calendar; days after its last day have no school.",
                            label=label, why=_joined(short)))


def _warn_neither_days(label, derived, days, report):
    """Name the weekdays a list of instructional days gives only an event meaning neither school nor no
    school (Other): not listed as school days, they have no school, and the office checks they have none."""
    neither = sorted(d for d, (codes, _, _) in days.items() if meaning_of(codes) == NEITHER and d in derived.holidays)
    if derived.lists != "instructional days" or not neither:
        return
    codes = sorted({code for day in neither for code in days[day][0]})
    said = tuple(neither[:SAID_DAYS])
    if len(neither) > SAID_DAYS:
        more = len(neither) - SAID_DAYS
        said += (plural_message("and %(num)d more", "and %(num)d more", more, num=more),)
    events = tuple(Message(LABELS[code]) for code in codes)
    report.note(dated(*NP_(
        "Check %(label)s: %(num)d weekday it lists only as %(events)s will have no school, %(days)s: a list of "
        "instructional days has school only on the days it lists as school days. If it has school, list it as "
        "an Instructional day.",
        "Check %(label)s: %(num)d weekdays it lists only as %(events)s will have no school, %(days)s: a list of "
        "instructional days has school only on the days it lists as school days. If they have school, list "
        "them as Instructional days."), n=len(neither), label=label, num=len(neither), events=events, days=said))


def _what_it_lists(derived):
    """What the preview says a calendar of the file is: (msgid, plural msgid or None, the number n said
    by the plural, the end the file gives when it gives one end only: its First day or its Last day)."""
    if derived.whole and derived.first == derived.last:  # a year of one day lists neither days off nor school days
        return N_("%(label)s: gives its First day and its Last day on the same date, %(first)s: a school year of "
                  "one day, %(days)s (%(off)s without school, %(make_up)s with school). Events: "
                  "%(events)s."), None, 0, None
    if derived.whole and derived.lists == "instructional days":
        return N_("%(label)s: lists instructional days; school year %(first)s to %(last)s, %(days)s (%(off)s "
                  "without school, %(make_up)s with school). Events: %(events)s."), None, 0, None
    if derived.whole:
        return N_("%(label)s: lists days off; school year %(first)s to %(last)s, %(days)s (%(off)s without "
                  "school, %(make_up)s with school). Events: %(events)s."), None, 0, None
    end = derived.first or derived.last  # a part of a year gives one end at most: both make it whole
    others = len(derived.speaks_for - {end})
    if derived.span:
        return (_SPAN_WORDS[derived.first is not None] if end else _SPAN_WORDS[None]), None, others, end
    if end and not others:
        return _ONLY_AN_END[derived.first is not None], None, 0, end
    if end:
        return _DAYS_OFF_AND_AN_END[derived.first is not None] + (others, end)
    return NP_("%(label)s: lists days off, without a First day and a Last day: it changes the one date it lists, "
               "and the rest of the calendar stays as it is; school year %(first)s to %(last)s, %(days)s (%(off)s "
               "without school, %(make_up)s with school). Events: %(events)s.",
               "%(label)s: lists days off, without a First day and a Last day: it changes the %(num)d dates it "
               "lists, and the rest of the calendar stays as it is; school year %(first)s to %(last)s, %(days)s "
               "(%(off)s without school, %(make_up)s with school). Events: %(events)s.") + (others, None)


# A part of a year giving one end of it, its First day (True) or its Last day (False), says which it gives
# and which it lacks: instructional days from a date to another (_SPAN_WORDS; None: neither end given),
# that end alone (_ONLY_AN_END), or days off and that end (_DAYS_OFF_AND_AN_END, said by their number).
_SPAN_WORDS = {
    None: N_("%(label)s: lists instructional days from %(start)s to %(end)s only, without a First day and a Last "
             "day: it changes those dates, and the rest of the calendar stays as it is; school year %(first)s to "
             "%(last)s, %(days)s (%(off)s without school, %(make_up)s with school). Events: %(events)s."),
    True: N_("%(label)s: lists instructional days from %(start)s to %(end)s only, with a First day, %(given)s, "
             "but without a Last day: the school year begins on its First day, it changes those dates, and the "
             "rest of the calendar stays as it is; school year %(first)s to %(last)s, %(days)s (%(off)s without "
             "school, %(make_up)s with school). Events: %(events)s."),
    False: N_("%(label)s: lists instructional days from %(start)s to %(end)s only, with a Last day, %(given)s, "
              "but without a First day: the school year ends on its Last day, it changes those dates, and the "
              "rest of the calendar stays as it is; school year %(first)s to %(last)s, %(days)s (%(off)s without "
              "school, %(make_up)s with school). Events: %(events)s."),
}
_ONLY_AN_END = {
    True: N_("%(label)s: gives only a First day, %(given)s, without a Last day: the school year begins on it, "
             "and the rest of the calendar stays as it is; school year %(first)s to %(last)s, %(days)s (%(off)s "
             "without school, %(make_up)s with school). Events: %(events)s."),
    False: N_("%(label)s: gives only a Last day, %(given)s, without a First day: the school year ends on it, "
              "and the rest of the calendar stays as it is; school year %(first)s to %(last)s, %(days)s (%(off)s "
              "without school, %(make_up)s with school). Events: %(events)s."),
}
_DAYS_OFF_AND_AN_END = {
    True: NP_("%(label)s: lists days off and a First day, %(given)s, without a Last day: the school year begins "
              "on its First day, it changes the one other date it lists, and the rest of the calendar stays as "
              "it is; school year %(first)s to %(last)s, %(days)s (%(off)s without school, %(make_up)s with "
              "school). Events: %(events)s.",
              "%(label)s: lists days off and a First day, %(given)s, without a Last day: the school year begins "
              "on its First day, it changes the %(num)d other dates it lists, and the rest of the calendar stays "
              "as it is; school year %(first)s to %(last)s, %(days)s (%(off)s without school, %(make_up)s with "
              "school). Events: %(events)s."),
    False: NP_("%(label)s: lists days off and a Last day, %(given)s, without a First day: the school year ends "
               "on its Last day, it changes the one other date it lists, and the rest of the calendar stays as "
               "it is; school year %(first)s to %(last)s, %(days)s (%(off)s without school, %(make_up)s with "
               "school). Events: %(events)s.",
               "%(label)s: lists days off and a Last day, %(given)s, without a First day: the school year ends "
               "on its Last day, it changes the %(num)d other dates it lists, and the rest of the calendar stays "
               "as it is; school year %(first)s to %(last)s, %(days)s (%(off)s without school, %(make_up)s with "
               "school). Events: %(events)s."),
}


def warn_district_days_off(key, days, district, report, names):
    """Say which weekdays a school's calendar lists with school (an Instructional day, a Make-up day, ...) that
    its district's calendar, as this import leaves it, has as days off: a school's calendar adds days off to
    the district's and takes none away (rules.calendar.CalendarBook), so they stay days off for the school,
    and the administrator checks which calendar is right."""
    closed = sorted(d for d, (codes, _, _) in days.items()
                    if d.weekday() < 5 and meaning_of(codes) == SCHOOL and district and d in district[2])
    if not closed:
        return
    said = tuple(closed[:SAID_DAYS])
    if len(closed) > SAID_DAYS:
        more = len(closed) - SAID_DAYS
        said += (plural_message("and %(num)d more", "and %(num)d more", more, num=more),)
    report.note(dated(*NP_(
        "Check %(label)s: it lists %(num)d day with school that the district's calendar has as a day off, "
        "%(days)s: it stays a day off, as a school's calendar adds days off to the district's and takes none "
        "away. Check which of the two calendars is right.",
        "Check %(label)s: it lists %(num)d days with school that the district's calendar has as days off, "
        "%(days)s: they stay days off, as a school's calendar adds days off to the district's and takes none "
        "away. Check which of the two calendars is right."), n=len(closed),
        label=_label(key[0], key[1], names), num=len(closed), days=said))
