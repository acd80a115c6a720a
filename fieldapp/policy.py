"""Who may see and do what. Every view asks here; nothing else decides.

Scope is by school: an officer works the schools assigned to them, the front
office its one school, supervisors and admins the whole district. The school
that decides is always the student's CURRENT school, on every path (pages,
sync, documents, lists, letters): a case, a contact or a document is in
scope when its student is. When a roster moves a student, their open case
moves with them and the old school's staff lose access at once.
"""
from fieldapp import codes
from fieldapp.messages import Message, N_

DISTRICT_ROLES = ("supervisor", "admin")

# action -> roles allowed to attempt it (scope is checked separately)
ACTIONS = {
    "student.search": ("officer", "front_office", "supervisor", "admin"),
    "student.view": ("officer", "front_office", "supervisor", "admin"),
    "case.open": ("officer", "supervisor"),
    "case.close": ("officer", "supervisor"),
    "contact.log": ("officer", "front_office", "supervisor"),
    # Authors correct their own contacts; supervisors any (can_amend).
    "contact.amend": ("officer", "front_office", "supervisor"),
    # A phone call about a student with no open case (the front office takes most).
    "contact.log_without_case": ("officer", "front_office", "supervisor"),
    # A number that reached a stranger or a dead line stops being offered.
    "phone.mark": ("officer", "front_office", "supervisor"),
    "household.visit": ("officer", "supervisor"),
    "caseload.view": ("officer",),
    "followup.done": ("officer", "supervisor"),
    "case.assign": ("supervisor",),
    "excuse.record": ("front_office", "officer", "supervisor"),
    "referral.make": ("front_office",),
    "referral.answer": ("officer", "supervisor"),
    "cases.district_list": ("supervisor", "admin"),
    "export.district": ("supervisor",),
    # A school's open cases, as its desk lists them, to a file.
    "export.school": ("front_office",),
    "office.worklist": ("front_office",),
    "contacts.district_log": ("supervisor", "admin"),
    # The letters sent district-wide (each names its student).
    "letters.district_list": ("supervisor", "admin"),
    "access_log.view": ("supervisor", "admin"),
    "sync.outbox": ("officer", "front_office", "supervisor"),
    "sync.send": ("officer", "front_office", "supervisor"),
    "sync.conflicts": ("supervisor",),
    "sync.devices": ("supervisor", "admin"),
    # Paperwork: producing a document discloses the record (logged as such).
    "document.case_report": ("officer", "supervisor"),
    "document.verify": ("officer", "front_office", "supervisor", "admin"),
    "letter.generate": ("officer", "front_office", "supervisor"),
    "plan.write": ("officer", "supervisor"),
    "plan.view": ("officer", "supervisor"),
    "plan.reviews": ("officer",),
    # District data and the law as data.
    "imports.manage": ("admin",),
    "admin.home": ("admin",),
    "schools.manage": ("admin",),  # each school's time zone, and the address and phone letters print
    "rules.view": ("admin", "supervisor"),
    "worklist.view": ("officer", "front_office", "supervisor"),
    # Long work (a case report, a letter batch) runs as a job its starter follows.
    "job.view": ("officer", "front_office", "supervisor", "admin"),
    # Everyone chooses the language of their own screens.
    "account.language": ("officer", "front_office", "supervisor", "admin"),
    # Each user's own phone, printed on their letters.
    "account.phone": ("officer", "front_office", "supervisor", "admin"),
    # Everyone keeps their own password and sessions.
    "account.own": ("officer", "front_office", "supervisor", "admin"),
    # Users' lifecycle and the audit trail of log-ins and administrative actions.
    "users.manage": ("admin",),
    "audit.view": ("admin",),
}


# What a refusal says: the action the role may not take, and who takes it (the
# record may well be one the user can see). Every action of ACTIONS has one
# (tests/unit/test_refusals.py), and so does each refusal that is not about
# the role (another user's export, a contact someone else logged).
REFUSALS = {
    "student.search": N_("Your account may not look up students."),
    "student.view": N_("Your account may not read student records."),
    "case.open": N_("Your account may not open or change cases: the school's attendance officer or a supervisor does."),
    "case.close": N_("Your account may not close cases: the case's attendance officer or a supervisor does."),
    "case.assign": N_("Your account may not assign cases; a supervisor does."),
    "excuse.record": N_("Your account may not record excuse notes: the school's front office, its officer or a supervisor does."),
    "referral.make": N_("Only the front office refers students to the officer."),
    "referral.answer": N_("Your account may not answer referrals: the school's attendance officer or a supervisor does."),
    "referral.held_elsewhere": N_("This referral waits for another officer or in the unassigned queue: its officer or a supervisor answers it."),
    "cases.district_list": N_("Your account may not see the district's case list: it is the supervisors' desk."),
    "export.district": N_("Your account may not export district lists; a supervisor does."),
    "export.school": N_("Your account may not export a school's list of open cases: its front office does."),
    "contact.log": N_("Your account may not log contacts: officers, the front office and supervisors do."),
    "contact.amend": N_("Your account may not correct contacts: their author or a supervisor does."),
    "contact.log_without_case": N_("Your account may not log calls: officers, the front office and supervisors do."),
    "phone.mark": N_("Your account may not mark phone numbers: officers, the front office and supervisors do."),
    "household.visit": N_("Your account may not log home visits: attendance officers and supervisors do."),
    "followup.done": N_("Your account may not mark follow-ups done: the case's attendance officer or a supervisor does."),
    "caseload.view": N_("Only attendance officers have a caseload."),
    "office.worklist": N_("Only front office accounts have the school desk."),
    "contacts.district_log": N_("Your account may not read the district contact log: it is the supervisors' desk."),
    "letters.district_list": N_("Your account may not see the letters sent district-wide: it is the supervisors' desk."),
    "access_log.view": N_("Your account may not read who viewed a record: supervisors and administrators do."),
    "sync.outbox": N_("Your account has no outbox: it sends nothing from a phone."),
    "sync.send": N_("Your account may not send contacts from a phone: officers, the front office and supervisors do."),
    "sync.conflicts": N_("Your account may not settle sync conflicts; a supervisor does."),
    "sync.devices": N_("Your account may not see which phones wait to send: supervisors and administrators do."),
    "document.case_report": N_("Your account may not produce case reports: attendance officers and supervisors do."),
    "document.verify": N_("Your account may not check documents."),
    "document.open": N_("Your account may not open letters, plans or case reports: they are for the staff who work the cases."),
    "letter.generate": N_("Your account may not write letters: officers, the front office and supervisors do."),
    "plan.write": N_("Your account may not write attendance plans: attendance officers and supervisors do."),
    "plan.view": N_("Your account may not read attendance plans: attendance officers and supervisors do."),
    "plan.reviews": N_("Only attendance officers have plans to review."),
    "imports.manage": N_("Only administrators manage imports."),
    "admin.home": N_("Only administrators have this page."),
    "schools.manage": N_("Only administrators change a school's time zone, address and phone."),
    "rules.view": N_("Your account may not read the rule set: supervisors and administrators do."),
    "worklist.view": N_("Your account has no worklist."),
    "job.view": N_("Your account may not follow background work."),
    "job.others": N_("This work was started by another user: only they follow it."),
    "export.others": N_("This export was made for another user: only they may open or download it, as it discloses the students in it to them."),
    "contact.others": N_("Only its author or a supervisor corrects a contact: log a new one instead."),
    "mfa.keep": N_("Your role must keep the second step at log-in: it may not be turned off."),
    "account.language": N_("Your account may not choose a language."),
    "account.phone": N_("Your account may not keep a phone number."),
    "account.own": N_("Your account may not change its password or sessions."),
    "users.manage": N_("Only administrators manage user accounts."),
    "audit.view": N_("Only administrators read the audit trail."),
}


def refusal(action):
    """What a 403 for action says (a Message, translated where shown): the
    action refused and who may take it."""
    return Message(REFUSALS.get(action, N_("Your account may not do this.")))


def allowed(user, action):
    """May this user attempt `action` at all (before looking at a record)?"""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.role in ACTIONS.get(action, ())


def school_scope(user):
    """The school ids a user works in, or None for the whole district."""
    if user.role in DISTRICT_ROLES:
        return None
    return set(user.school_ids())


def in_scope(user, school_id):
    scope = school_scope(user)
    return scope is None or school_id in scope


def can(user, action, student=None):
    """May this user do `action`, on this student's record when one is named?"""
    if not allowed(user, action):
        return False
    return student is None or in_scope(user, student.school_id)


# Jobs whose page discloses records to its starter alone (an export's rows).
OWN_ONLY_JOBS = ("export_xlsx", "export_csv")


def may_follow_job(user, job):
    """A job's page (progress, result, retry) is its starter's alone: the work
    runs as them (a case report made on retry is their disclosure), its result
    links open what they may open, and its reasons speak to them ("your
    account..."). Others learn only that an import is being applied, on its
    own page."""
    return allowed(user, "job.view") and job.user_id == user.id


def job_refusal(job):
    """The refusal for a job page the user may not follow (see may_follow_job)."""
    return "export.others" if job.kind in OWN_ONLY_JOBS else "job.others"


# Each list that has an export -> the action that makes it: the district's
# lists are the supervisors', a school's open cases its front office's (of
# their own school only: the file is limited to school_scope, as the page is).
EXPORTS = {"cases": "export.district", "contacts": "export.district", "letters": "export.district",
           "worklist": "export.district", "unassigned": "export.district", "students": "export.district",
           "office": "export.school"}


def export_action(name):
    """The action that exports list name (a key of EXPORTS); a name of no
    list is the district's, which no one but a supervisor asks for."""
    return EXPORTS.get(name, "export.district")


def may_export(user, name):
    """May this user export list name (a key of EXPORTS)?"""
    return name in EXPORTS and allowed(user, export_action(name))


def may_export_any(user):
    """Does this user's role export any list (and so download its files)?"""
    return any(allowed(user, action) for action in set(EXPORTS.values()))


def may_download_export(user, job):
    """An exported spreadsheet is a disclosure to the user who asked for it
    (34 CFR 99.32): only they may download it, not another supervisor, and
    only while their role may still export that list."""
    return job.user_id == user.id and may_export(user, job.params.get("name"))


def may_hold_case(user, student):
    """May this user be the assigned officer of this student's case? An active
    officer of the student's current school (the case follows the student)."""
    return (user is not None and user.role == "officer" and user.active
            and student.school_id in set(user.school_ids()))


def does_casework(role):
    """Does a contact made by a user of this role, on a case, carry the case's
    legal steps (a notification, a report)? The roles that open and work
    cases do; a front-office call is a record of contact (fieldapp.rules.states)."""
    return role in ACTIONS["case.open"]


def works_in_the_field(user):
    """Officers work on phones, offline at times; desk users do not, so their
    Outbox is shown only while something waits on the device."""
    return user.role == "officer"


def student_school_id(student_id):
    """The school that decides scope for anything about this student: their current school."""
    from fieldapp.models import Student
    row = Student.select(Student.school).where(Student.id == student_id).tuples().first()
    return row[0] if row else None


def may_answer_referral(user, referral, student):
    """May this user decline a waiting referral of student? A supervisor any
    in their scope; an officer only one they hold: a referral in the
    unassigned queue is the supervisors' to assign (an officer who handed
    her work over does not keep answering it)."""
    if not can(user, "referral.answer", student):
        return False
    return user.role != "officer" or referral.officer_id == user.id


def can_on_case(user, action, case):
    """May this user do `action` on this case? Decided by its student's current school."""
    return allowed(user, action) and in_scope(user, student_school_id(case.student_id))


def can_on_stored_case(user, action, case):
    """can_on_case for a case just read from the database, decided by the copy of
    its student's current school the case row carries (Case.student_school_id,
    which the database keeps equal: migration 0264) without reading the student
    again: a phone's batch checks every entry's case so, with no query per entry.
    Not for a Case made in this process, whose copy the database filled in after."""
    return allowed(user, action) and in_scope(user, case.student_school_id)


def document_in_scope(user, record):
    """A document about one student is in scope by that student's current
    school; a batch of letters by the school it was printed for."""
    school = student_school_id(record.student_id) if record.student_id else record.school_id
    return in_scope(user, school)


def methods_for(user):
    """The contact methods this user may log."""
    if user.role == "front_office":
        return list(codes.FRONT_OFFICE_METHODS)
    return list(codes.METHODS)


# The one-tap buttons on a student's page, most used first.
QUICK_METHODS = ("home_visit", "phone", "text", "excuse_note")


def quick_methods_for(user):
    """Up to three methods this user may log, for one-tap buttons."""
    allowed_methods = methods_for(user)
    return [m for m in QUICK_METHODS if m in allowed_methods][:3]


# Who may open an issued document, by its kind (scope is checked as well).
DOCUMENT_ACTIONS = {"case_report": "document.case_report", "plan": "plan.view",
                    "letter": "letter.generate", "letter_batch": "letter.generate"}


def may_open_any_document(user):
    return any(allowed(user, action) for action in set(DOCUMENT_ACTIONS.values()))


def document_action(record):
    """The action that opens an issued document of record's kind."""
    return DOCUMENT_ACTIONS.get(record.kind, "document.case_report")


def can_open_document(user, record):
    """May this user open the issued document `record` (its kind, in its school)?"""
    return allowed(user, document_action(record)) and document_in_scope(user, record)


OUT_OF_SCOPE_DOCUMENT = N_("You can no longer open this document: its student is now at a school your "
                           "account does not cover.")
OUT_OF_SCOPE_BATCH = N_("You can no longer open this document: it was printed for a school your account "
                        "no longer covers.")


def document_refusal(user, record):
    """Why user may not open the issued document record, in words (a
    Message), or None when they may (can_open_document): for a page that
    would link to it -- a job's result, say -- to say why instead of
    linking to a 403."""
    if not allowed(user, document_action(record)):
        return refusal(document_action(record))
    if not document_in_scope(user, record):
        return Message(OUT_OF_SCOPE_DOCUMENT if record.student_id else OUT_OF_SCOPE_BATCH)
    return None


def can_amend(user, contact, student):
    """Officers and the front office amend their own contacts; supervisors amend any."""
    if not can(user, "contact.amend", student):
        return False
    return user.role == "supervisor" or contact.author_id == user.id
