"""The optional details of a roster's records left out, each noted, so that
the records themselves are imported."""
from fieldapp.imports.school_details import ADDRESS_LIMIT
from fieldapp.messages import Message, N_, plural_message

# An optional detail of a record that the app would refuse on a page (a phone that is no phone, a cell longer
# than its field keeps) is left out with a note naming its row, column and what to fix: the record is
# imported without it (keeping what is stored), so the records that depend on it (a school's students, a
# student's guardians and enrolments) are never refused for it. A cell that says which record a row is, or
# how it stands (sourcedId, role, names, school, status, links), is still a row problem.
DETAIL_LIMIT = 255  # the longest email or grade a record keeps (an address: school_details.ADDRESS_LIMIT)
# Users' cells left out when too long, as the record keeps them (a phone too long is no phone: see _phoned)
USER_DETAILS = ("email", "grades")
LEFT_OUT = {
    ("phone", "school"): N_(
        "%(file)s row %(row)s: %(column)s '%(raw)s' is not a phone: left out; the school is imported without it. "
        "To keep one, give 7 to 15 digits, like (555) 201-3344 or +1 555 201 3344 x12."),
    ("phone", "student"): N_(
        "%(file)s row %(row)s: %(column)s '%(raw)s' is not a phone: left out; the student is imported without it. "
        "To keep one, give 7 to 15 digits, like (555) 201-3344 or +1 555 201 3344 x12."),
    ("phone", "guardian"): N_(
        "%(file)s row %(row)s: %(column)s '%(raw)s' is not a phone: left out; the guardian is imported without "
        "it. To keep one, give 7 to 15 digits, like (555) 201-3344 or +1 555 201 3344 x12."),
    ("long", "school"): N_(
        "%(file)s row %(row)s: %(column)s '%(raw)s' is longer than %(num)d characters: left out; the school is "
        "imported without it. To keep it, shorten it to %(num)d characters."),
    ("long", "student"): N_(
        "%(file)s row %(row)s: %(column)s '%(raw)s' is longer than %(num)d characters: left out; the student is "
        "imported without it. To keep it, shorten it to %(num)d characters."),
    ("long", "guardian"): N_(
        "%(file)s row %(row)s: %(column)s '%(raw)s' is longer than %(num)d characters: left out; the guardian is "
        "imported without it. To keep it, shorten it to %(num)d characters."),
}
SHOWN_LEFT_OUT = 20  # notes of details left out, per file; any more are counted in one note
SHOWN_RAW = 40  # the characters of a cell a note quotes


class LeftOut:
    """The details of one file's rows left out, each noted (the first SHOWN_LEFT_OUT; then how many more)."""

    def __init__(self, report, file):
        self.report, self.file, self.count = report, file, 0

    def note(self, line, record, column, raw, why):
        """Note that row line's cell of column (its text raw) is left out of record ("school",
        "student" or "guardian"), being no phone (why "phone") or too long ("long")."""
        self.count += 1
        if self.count <= SHOWN_LEFT_OUT:
            most = ADDRESS_LIMIT if column == "metadata.address" else DETAIL_LIMIT
            self.report.note(Message(LEFT_OUT[why, record], file=self.file, row=str(line), column=column,
                                     raw=raw if len(raw) <= SHOWN_RAW else raw[:SHOWN_RAW] + "…", num=most))

    def close(self):
        more = self.count - SHOWN_LEFT_OUT
        if more > 0:
            self.report.note(plural_message(
                "%(file)s: %(num)d more detail left out, as the notes above say",
                "%(file)s: %(num)d more details left out, as the notes above say",
                more, file=self.file, num=more))
