"""How an import's counts read: "1 calendar replaced", "2 calendars replaced".

A count is stored under its plural name (the key of ImportRun.counts, which
the code reads back, such as "students deactivated"); the import pages, their
history and the command line say it in the singular when the number is 1, the
pages in their reader's language (each name is in the catalog).
Every name an import or an undo counts has its singular here; a test reads
the import code for the names it counts and holds this list to them."""
import re

from fieldapp.messages import N_, NP_, Message, plural_message

SINGULAR = {
    N_("absences, tardies and part days stored"): N_("absence, tardy or part day stored"),
    N_("already had a case"): N_("already had a case"),
    N_("attendance marks it stored removed"): N_("attendance mark it stored removed"),
    N_("attendance marks put back"): N_("attendance mark put back"),
    N_("birth dates set"): N_("birth date set"),
    N_("calendars changed in part"): N_("calendar changed in part"),
    N_("calendars imported"): N_("calendar imported"),
    N_("calendars it imported removed"): N_("calendar it imported removed"),
    N_("calendars merging several tracks"): N_("calendar merging several tracks"),
    N_("calendars put back"): N_("calendar put back"),
    N_("calendars replaced"): N_("calendar replaced"),
    N_("calendars that look cut short"): N_("calendar that looks cut short"),
    N_("calendars with an assumed year"): N_("calendar with an assumed year"),
    N_("cases it opened closed"): N_("case it opened closed"),
    N_("cases opened"): N_("case opened"),
    N_("cases restored"): N_("case restored"),
    N_("days off and make-up days"): N_("day off or make-up day"),  # the count of imports before it said the change
    N_("days off and make-up days changed"): N_("day off or make-up day changed"),
    N_("earlier marks replaced"): N_("earlier mark replaced"),
    N_("enrollment dates set"): N_("enrollment date set"),
    N_("enrollment periods it added removed"): N_("enrollment period it added removed"),
    N_("enrollment periods restored"): N_("enrollment period restored"),
    N_("enrollment records added"): N_("enrollment record added"),
    N_("enrollment records ended"): N_("enrollment record ended"),
    N_("enrollment records it added removed"): N_("enrollment record it added removed"),
    N_("enrollment records restored"): N_("enrollment record restored"),
    N_("enrollment records updated"): N_("enrollment record updated"),
    N_("guardian links added"): N_("guardian link added"),
    N_("guardian links ended"): N_("guardian link ended"),
    N_("guardian links ended again"): N_("guardian link ended again"),
    N_("guardian links it added ended"): N_("guardian link it added ended"),
    N_("guardian links restored"): N_("guardian link restored"),
    N_("guardians created"): N_("guardian created"),
    N_("guardians restored"): N_("guardian restored"),
    N_("guardians updated"): N_("guardian updated"),
    N_("kept open: cases it opened, worked since"): N_("kept open: case it opened, worked since"),
    N_("kept: changed since the import"): N_("kept: changed since the import"),
    N_("marks on holidays (kept, not counted)"): N_("mark on a holiday (kept, not counted)"),
    N_("marks on weekends (kept, not counted)"): N_("mark on a weekend (kept, not counted)"),
    N_("marks outside the school year (kept, not counted)"): N_("mark outside the school year (kept, not counted)"),
    N_("open cases moved with a transfer"): N_("open case moved with a transfer"),
    N_("referrals restored"): N_("referral restored"),
    N_("school addresses and phones updated"): N_("school address or phone updated"),
    N_("school days"): N_("school day"),
    N_("schools created"): N_("school created"),
    N_("schools deactivated"): N_("school deactivated"),
    N_("schools it created deactivated"): N_("school it created deactivated"),
    N_("schools restored"): N_("school restored"),
    N_("schools updated"): N_("school updated"),
    N_("staff users skipped"): N_("staff user skipped"),
    N_("students"): N_("student"),
    N_("students created"): N_("student created"),
    N_("students deactivated"): N_("student deactivated"),
    N_("students it created deactivated"): N_("student it created deactivated"),
    N_("students it created kept active: casework since"): N_("student it created kept active: casework since"),
    N_("students reactivated"): N_("student reactivated"),
    N_("students restored"): N_("student restored"),
    N_("students updated"): N_("student updated"),
    N_("transfers recorded"): N_("transfer recorded"),
    N_("values cleared"): N_("value cleared"),
    N_("waiting referrals moved with a transfer"): N_("waiting referral moved with a transfer"),
}

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
