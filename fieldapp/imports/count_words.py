"""How an import's counts read: "1 calendar replaced", "2 calendars replaced".

A count is stored under its plural name (the key of ImportRun.counts, which
the code reads back, such as "students deactivated"); the import pages, their
history and the command line say it in the singular when the number is 1, the
pages in their reader's language (each name is in the catalog).
Every name an import or an undo counts has its singular here; a test reads
the import code for the names it counts and holds this list to them."""
import re

from fieldapp.messages import NP_, Message, plural_message

PAIRS = [  # (singular, plural): the pages say them with the catalog's plural forms
    NP_("absence, tardy or part day stored", "absences, tardies and part days stored"),
    NP_("already had a case", "already had a case"),
    NP_("attendance mark it stored removed", "attendance marks it stored removed"),
    NP_("attendance mark put back", "attendance marks put back"),
    NP_("birth date set", "birth dates set"),
    NP_("calendar changed in part", "calendars changed in part"),
    NP_("calendar imported", "calendars imported"),
    NP_("calendar it imported removed", "calendars it imported removed"),
    NP_("calendar merging several tracks", "calendars merging several tracks"),
    NP_("calendar put back", "calendars put back"),
    NP_("calendar replaced", "calendars replaced"),
    NP_("calendar that looks cut short", "calendars that look cut short"),
    NP_("calendar with an assumed year", "calendars with an assumed year"),
    NP_("case it opened closed", "cases it opened closed"),
    NP_("case opened", "cases opened"),
    NP_("case restored", "cases restored"),
    NP_("day off or make-up day", "days off and make-up days"),  # the count of imports before it said the change
    NP_("day off or make-up day added", "days off and make-up days added"),
    NP_("day off or make-up day changed", "days off and make-up days changed"),  # before it said each change
    NP_("day off or make-up day removed", "days off and make-up days removed"),
    NP_("day off or make-up day renamed", "days off and make-up days renamed"),
    NP_("earlier mark replaced", "earlier marks replaced"),
    NP_("enrollment date set", "enrollment dates set"),
    NP_("enrollment period an import undone since had added removed",
        "enrollment periods an import undone since had added removed"),
    NP_("enrollment period it added removed", "enrollment periods it added removed"),
    NP_("enrollment period restored", "enrollment periods restored"),
    NP_("enrollment record added", "enrollment records added"),
    NP_("enrollment record an import undone since had added removed",
        "enrollment records an import undone since had added removed"),
    NP_("enrollment record ended", "enrollment records ended"),
    NP_("enrollment record it added removed", "enrollment records it added removed"),
    NP_("enrollment record restored", "enrollment records restored"),
    NP_("enrollment record updated", "enrollment records updated"),
    NP_("guardian link added", "guardian links added"),
    NP_("guardian link ended", "guardian links ended"),
    NP_("guardian link ended again", "guardian links ended again"),
    NP_("guardian link it added ended", "guardian links it added ended"),
    NP_("guardian link restored", "guardian links restored"),
    NP_("guardian created", "guardians created"),
    NP_("guardian relationship changed", "guardian relationships changed"),
    NP_("guardian relationship put back", "guardian relationships put back"),
    NP_("guardian restored", "guardians restored"),
    NP_("guardian updated", "guardians updated"),
    NP_("kept open: case it opened, worked since", "kept open: cases it opened, worked since"),
    NP_("kept: changed since the import", "kept: changed since the import"),
    NP_("mark already stored as it is", "marks already stored as they are"),
    NP_("mark on a holiday (kept, not counted)", "marks on holidays (kept, not counted)"),
    NP_("mark on a day the student was not enrolled (kept, not counted)",
        "marks on days the student was not enrolled (kept, not counted)"),
    NP_("mark on a weekend (kept, not counted)", "marks on weekends (kept, not counted)"),
    NP_("mark outside the school year (kept, not counted)", "marks outside the school year (kept, not counted)"),
    NP_("open case moved with a transfer", "open cases moved with a transfer"),
    NP_("referral restored", "referrals restored"),
    NP_("school address or phone updated", "school addresses and phones updated"),
    NP_("school day", "school days"),
    NP_("school created", "schools created"),
    NP_("school deactivated", "schools deactivated"),
    NP_("school it created deactivated", "schools it created deactivated"),
    NP_("school an import undone since had created deactivated",
        "schools an import undone since had created deactivated"),
    NP_("school restored", "schools restored"),
    NP_("school updated", "schools updated"),
    NP_("staff user skipped", "staff users skipped"),
    NP_("student", "students"),
    NP_("student created", "students created"),
    NP_("student deactivated", "students deactivated"),
    NP_("student it created deactivated", "students it created deactivated"),
    NP_("student an import undone since had created deactivated",
        "students an import undone since had created deactivated"),
    NP_("student it created kept active: casework since", "students it created kept active: casework since"),
    NP_("student reactivated", "students reactivated"),
    NP_("student restored", "students restored"),
    NP_("student updated", "students updated"),
    NP_("transfer recorded", "transfers recorded"),
    NP_("value cleared", "values cleared"),
    NP_("waiting referral moved with a transfer", "waiting referrals moved with a transfer"),
]
SINGULAR = {plural: singular for singular, plural in PAIRS}

# Names made with a value in them: (plural, singular) patterns.
PATTERNS = [
    (re.compile(r"^(?P<kind>.+) orgs not kept \(not schools\)$"), r"\g<kind> org not kept (not a school)"),
    (re.compile(r"^languages stored as Other (?P<what>\(.*\))$"), r"language stored as Other \g<what>"),
]

# Names an undo stored before it said its rows in words: a table's name.
FORMER = {"enrollments restored": "enrollment periods restored",
          "roster_enrollments restored": "enrollment records restored"}


# The same names as the pages say them: the value stays as the file wrote it.
SAID = [
    (PATTERNS[0][0], NP_("%(kind)s org not kept (not a school)", "%(kind)s orgs not kept (not schools)")),
    (PATTERNS[1][0], NP_("language stored as Other %(what)s", "languages stored as Other %(what)s")),
]


def said_name(name, n):
    """count_name's words as a Message the pages translate (fieldapp.messages)."""
    name = FORMER.get(name, name)
    for plural, pair in SAID:
        found = plural.match(name)
        if found:  # an org's type is a OneRoster word, said in the reader's language
            values = {key: Message(value) if key == "kind" else value for key, value in found.groupdict().items()}
            return plural_message(*pair, n, **values)
    if name in SINGULAR:  # the catalog's plural forms: a language may have more than two, or say 0 as 1
        return plural_message(SINGULAR[name], name, n)
    return Message(count_name(name, n))


def count_name(name, n):
    """A count's name as its number n says it: singular for 1, else as stored."""
    name = FORMER.get(name, name)
    if n != 1:
        return name
    if name in SINGULAR:
        return SINGULAR[name]
    for plural, singular in PATTERNS:
        if plural.match(name):
            return plural.sub(singular, name)
    return name
