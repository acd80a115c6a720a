"""How an import's counts read: "1 calendar replaced", "2 calendars replaced".

A count is stored under its plural name (the key of ImportRun.counts, which
the code reads back, such as "students deactivated"); the import pages, their
history and the command line say it in the singular when the number is 1.
Every name an import or an undo counts has its singular here; a test reads
the import code for the names it counts and holds this list to them."""
import re

SINGULAR = {
    "absences, tardies and part days stored": "absence, tardy or part day stored",
    "already had a case": "already had a case",
    "attendance marks it stored removed": "attendance mark it stored removed",
    "attendance marks put back": "attendance mark put back",
    "birth dates set": "birth date set",
    "calendars imported": "calendar imported",
    "calendars it imported removed": "calendar it imported removed",
    "calendars merging several tracks": "calendar merging several tracks",
    "calendars put back": "calendar put back",
    "calendars replaced": "calendar replaced",
    "calendars that look cut short": "calendar that looks cut short",
    "cases it opened closed": "case it opened closed",
    "cases opened": "case opened",
    "days off and make-up days": "day off or make-up day",
    "earlier marks replaced": "earlier mark replaced",
    "enrollment dates set": "enrollment date set",
    "enrollment records added": "enrollment record added",
    "enrollment records ended": "enrollment record ended",
    "guardian links added": "guardian link added",
    "guardian links ended": "guardian link ended",
    "guardian links ended again": "guardian link ended again",
    "guardian links it added ended": "guardian link it added ended",
    "guardian links restored": "guardian link restored",
    "guardians created": "guardian created",
    "guardians updated": "guardian updated",
    "kept open: cases it opened, worked since": "kept open: case it opened, worked since",
    "kept: changed since the import": "kept: changed since the import",
    "marks on holidays (kept, not counted)": "mark on a holiday (kept, not counted)",
    "marks on weekends (kept, not counted)": "mark on a weekend (kept, not counted)",
    "marks outside the school year (kept, not counted)": "mark outside the school year (kept, not counted)",
    "open cases moved with a transfer": "open case moved with a transfer",
    "school addresses and phones updated": "school address or phone updated",
    "school days": "school day",
    "schools created": "school created",
    "schools deactivated": "school deactivated",
    "schools updated": "school updated",
    "staff users skipped": "staff user skipped",
    "students": "student",
    "students created": "student created",
    "students deactivated": "student deactivated",
    "students it created kept active: casework since": "student it created kept active: casework since",
    "students reactivated": "student reactivated",
    "students updated": "student updated",
    "transfers recorded": "transfer recorded",
    "values cleared": "value cleared",
    "waiting referrals moved with a transfer": "waiting referral moved with a transfer",
}

# Names made with a value in them: (plural, singular) patterns.
PATTERNS = [
    (re.compile(r"^(?P<kind>.+) orgs not kept \(not schools\)$"), r"\g<kind> org not kept (not a school)"),
    (re.compile(r"^languages stored as Other (?P<what>\(.*\))$"), r"language stored as Other \g<what>"),
    (re.compile(r"^(?P<table>[a-z_]+)s restored$"), r"\g<table> restored"),
    (re.compile(r"^(?P<table>[a-z_]+)s it created deactivated$"), r"\g<table> it created deactivated"),
]


def counted(n, singular, plural):
    """'1 row', '2,000 rows': a number with its noun, for an import's notes."""
    return f"{n:,} {singular if n == 1 else plural}"


def count_name(name, n):
    """A count's name as its number n says it: singular for 1, else as stored."""
    if n != 1:
        return name
    if name in SINGULAR:
        return SINGULAR[name]
    for plural, singular in PATTERNS:
        if plural.match(name):
            return plural.sub(singular, name)
    return name
