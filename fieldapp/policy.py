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
    "office.worklist": ("front_office",),
    "contacts.district_log": ("supervisor", "admin"),
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


# What a refusal says: the action the role may not take (the record may well
# be one the user can see).
REFUSALS = {
    "student.search": N_("Your account may not look up students."),
    "student.view": N_("Your account may not read student records."),
    "case.open": N_("Your account may not open or change cases."),
    "case.close": N_("Your account may not close cases."),
    "case.assign": N_("Your account may not assign cases; a supervisor does."),
    "excuse.record": N_("Your account may not record excuse notes."),
    "referral.make": N_("Only the front office refers students to the officer."),
    "referral.answer": N_("Your account may not answer referrals."),
    "cases.district_list": N_("Your account may not see the district's case list."),
    "export.district": N_("Your account may not export district lists."),
    "contact.log": N_("Your account may not log contacts."),
    "contact.amend": N_("Your account may not correct contacts."),
    "contact.log_without_case": N_("Your account may not log calls."),
    "caseload.view": N_("Only attendance officers have a caseload."),
    "office.worklist": N_("Only front office accounts have the school desk."),
    "contacts.district_log": N_("Your account may not read the district contact log."),
    "access_log.view": N_("Your account may not read who viewed a record."),
    "document.case_report": N_("Your account may not produce case reports."),
    "letter.generate": N_("Your account may not write letters."),
    "plan.write": N_("Your account may not write attendance plans."),
    "plan.view": N_("Your account may not read attendance plans."),
    "imports.manage": N_("Only administrators manage imports."),
    "admin.home": N_("Only administrators have this page."),
    "rules.view": N_("Your account may not read the rule set."),
    "worklist.view": N_("Your account has no worklist."),
}


def refusal(action):
    """What a 403 for action says (a Message, translated where shown)."""
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


def may_follow_job(user, job):
    """A job's page (progress, result, retry) is its starter's, and the district roles'."""
    return allowed(user, "job.view") and (job.user_id == user.id or user.role in DISTRICT_ROLES)


def may_download_export(user, job):
    """An exported spreadsheet is a disclosure to the user who asked for it
    (34 CFR 99.32): only they may download it, not another supervisor."""
    return allowed(user, "export.district") and job.user_id == user.id


def may_hold_case(user, student):
    """May this user be the assigned officer of this student's case? An active
    officer of the student's current school (the case follows the student)."""
    return (user is not None and user.role == "officer" and user.active
            and student.school_id in set(user.school_ids()))


def works_in_the_field(user):
    """Officers work on phones, offline at times; desk users do not, so their
    Outbox is shown only while something waits on the device."""
    return user.role == "officer"


def student_school_id(student_id):
    """The school that decides scope for anything about this student: their current school."""
    from fieldapp.models import Student
    row = Student.select(Student.school).where(Student.id == student_id).tuples().first()
    return row[0] if row else None


def can_on_case(user, action, case):
    """May this user do `action` on this case? Decided by its student's current school."""
    return allowed(user, action) and in_scope(user, student_school_id(case.student_id))


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


def can_open_document(user, record):
    """May this user open the issued document `record` (its kind, in its school)?"""
    action = DOCUMENT_ACTIONS.get(record.kind, "document.case_report")
    return allowed(user, action) and document_in_scope(user, record)


def can_amend(user, contact, student):
    """Officers and the front office amend their own contacts; supervisors amend any."""
    if not can(user, "contact.amend", student):
        return False
    return user.role == "supervisor" or contact.author_id == user.id
