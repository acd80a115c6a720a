"""Code lists: stable codes with their labels.

Codes are stored; labels are shown. Templates ask `label(kind, code)` instead
of spelling labels themselves, so a list is changed here only. Labels are the
English words; on screens, label() and choices() of fieldapp/web/i18n.py say
them in the user's language from the catalog (translations/, see babel.cfg).
"""

ROLES = {
    "officer": "Attendance officer",
    "front_office": "Front office",
    "supervisor": "Supervisor",
    "admin": "Administrator",
}

METHODS = {
    "home_visit": "Home visit",
    "phone": "Phone call",
    "text": "Text message",
    "email": "Email",
    "letter": "Letter",
    "conference": "Conference",
    "school_meeting": "School meeting",
    "excuse_note": "Excuse note",
}

# What the front office may log from the desk.
FRONT_OFFICE_METHODS = ("phone", "excuse_note")

OUTCOMES = {
    "reached_parent": "Reached parent",
    "reached_student": "Reached student",
    "no_answer": "No answer",
    "voicemail": "Voicemail left",
    "notice_at_door": "Notice left at door",
    "wrong_number": "Wrong or disconnected number",
    "moved": "Moved / wrong address",
    "refused": "Refused",
    "student_located": "Student located",
    "referral_made": "Referral made",
    "note_received": "Excuse note received",
    "letter_issued": "Letter issued",
}

# Which outcomes each method can have: a phone call leaves no notice at a door,
# a letter reaches nobody at once. The form offers these; the server refuses others.
METHOD_OUTCOMES = {
    "home_visit": ("reached_parent", "reached_student", "no_answer", "notice_at_door", "moved",
                   "refused", "student_located", "referral_made"),
    "phone": ("reached_parent", "reached_student", "no_answer", "voicemail", "wrong_number",
              "refused", "referral_made"),
    "text": ("reached_parent", "reached_student", "no_answer", "wrong_number", "refused",
             "referral_made"),
    "email": ("reached_parent", "reached_student", "no_answer", "refused", "referral_made"),
    "letter": ("letter_issued", "moved"),
    "conference": ("reached_parent", "reached_student", "no_answer", "refused", "referral_made"),
    "school_meeting": ("reached_parent", "reached_student", "no_answer", "student_located",
                       "refused", "referral_made"),
    "excuse_note": ("note_received",),
}


def methods_with_outcome(outcome):
    """The method codes that can have outcome: 'voicemail' -> ('phone',)."""
    return tuple(m for m, outcomes in METHOD_OUTCOMES.items() if outcome in outcomes)


REASONS = {
    "illness": "Illness",
    "medical": "Medical or dental appointment",
    "transportation": "Transportation",
    "housing": "Housing instability",
    "family_responsibilities": "Family responsibilities",
    "work": "Work",
    "bullying_safety": "Bullying or safety",
    "disengagement": "Disengagement",
    "academic": "Academic struggles",
    "mental_health": "Mental health",
    "misconceptions": "Misconceptions about attendance",
    "family_crisis": "Family crisis",
    "overslept": "Overslept / morning routine",
    "unknown": "Unknown",
    "other": "Other",
}

PEOPLE = {
    "parent": "Parent or guardian",
    "student": "Student",
    "sibling": "Sibling",
    "other_adult": "Other adult",
    "counselor": "Counselor",
    "teacher": "Teacher",
    "administrator": "Administrator",
    "interpreter": "Interpreter",
}

# The generic escalation ladder; a state's rule set names its own steps.
STAGES = {
    "monitoring": "Monitoring",
    "first_notice": "First notice sent",
    "conference": "Conference",
    "plan": "Attendance plan",
    "referral": "Board referral",
    "court": "Court / petition",
}

CLOSURE_REASONS = {
    "attendance_improved": "Attendance improved",
    "plan_completed": "Plan completed",
    "transferred": "Transferred to another school",
    "moved_away": "Moved out of district",
    "referred_out": "Referred to board or court",
    "graduated": "Graduated or aged out",
    "opened_in_error": "Opened in error",
    "other": "Other",
}

CASE_FLAGS = {
    "homeless": "Homelessness",
    "foster_care": "Foster care",
    "pregnant_parenting": "Pregnant or parenting",
    "primary_earner": "Family's main earner",
    "special_education": "Special education / 504",
    # Texas Ed Code 25.0915(a-3): severe or life-threatening illness or related treatment.
    "severe_illness": "Severe or life-threatening illness",
}

LANGUAGES = {
    "en": "English",
    "es": "Spanish",
    "vi": "Vietnamese",
    "zh": "Chinese",
    "ar": "Arabic",
    "tl": "Tagalog",
    "ru": "Russian",
    "other": "Other",
}

RELATIONSHIPS = {
    "mother": "Mother",
    "father": "Father",
    "parent": "Parent",  # OneRoster's role parent, which names neither
    "guardian": "Guardian",
    "grandparent": "Grandparent",
    "relative": "Relative",
    "foster_parent": "Foster parent",
}

# Ed-Fi AttendanceEventCategory descriptors, by their short code.
ATTENDANCE = {
    "present": "In Attendance",
    "excused": "Excused Absence",
    "unexcused": "Unexcused Absence",
    "tardy": "Tardy",
    "early_departure": "Early departure",
    "partial": "Partial",
    "excused_tardy": "Excused tardy",
    "excused_early_departure": "Excused early departure",
    "excused_partial": "Excused partial day",
}

# Chronic absence bands by share of enrolled days missed (any reason).
BANDS = {
    "satisfactory": "Satisfactory",
    "at_risk": "At risk",
    "moderate": "Moderate chronic absence",
    "severe": "Severe chronic absence",
}

# What an access-log line says happened to the record (34 CFR 99.32: access and disclosure).
ACCESS_ACTIONS = {
    "view": "Read the record",
    "list": "Shown in a list",
    "search": "Shown in search results",
    "disclose": "Disclosed: a copy handed out",
    "verify": "Checked a copy of a document",
    "export": "Exported",
    "offline copy": "Kept on the phone for offline work (automatic)",
}
# The one action a device does by itself, not a person reading.
AUTOMATIC_ACCESS = "offline copy"

# What an audit-trail line says was done (fieldapp.accounts.audit and the paperwork's lines).
AUDIT_ACTIONS = {
    "login": "Logged in",
    "login.failed": "Failed log-in",
    "login.failed_code": "Wrong second-step code",
    "login.throttled": "Log-in refused: too many attempts",
    "login.locked.account": "Account locked after failed log-ins",
    "login.locked.address": "Address locked after failed log-ins",
    "login.sso_refused": "District sign-in refused",
    "logout": "Logged out",
    "mfa.enrol": "Second step set up",
    "mfa.code_reused": "Second-step code used again, refused",
    "mfa.recovery_code": "Logged in with a recovery code",
    "mfa.remove": "Second step removed",
    "password.change": "Password changed",
    "password.check_failed": "Wrong current password",
    "password.check_throttled": "Current password refused: too many attempts",
    "sessions.end_others": "Other sessions logged out",
    "user.add": "User added",
    "user.change": "Role or schools changed",
    "user.deactivate": "User deactivated",
    "user.reactivate": "User reactivated",
    "user.reset_password": "Password reset",
    "user.unlock": "Account unlocked",
    "school.details": "School details changed",
    "plan.create": "Plan written",
    "plan.edit": "Plan changed",
    "letter.sent": "Letter sending recorded",
    "document.verify": "Copy of a document checked",
}
# What an audit-trail line was done to.
AUDIT_OBJECTS = {
    "user": "User",
    "school": "School",
    "plan": "Plan",
    "letter": "Letter",
    "document": "Document",
}

# How an excuse reached the front office.
EXCUSE_CHANNELS = {
    "phone": "Phone call",
    "written": "Written note",
    "email": "Email",
    "medical": "Doctor's or clinic note",
    "in_person": "In person",
}

# Where a referral to the attendance officer stands.
REFERRAL_STATUSES = {
    "waiting": "Waiting for the officer",
    # shown, not stored: waiting, and no officer holds it (a school without one)
    "queued": "Waiting in the unassigned queue",
    "accepted": "Case opened",
    "declined": "Declined",
}

LISTS = {
    "role": ROLES,
    "access": ACCESS_ACTIONS,
    "audit": AUDIT_ACTIONS,
    "audit_object": AUDIT_OBJECTS,
    "method": METHODS,
    "outcome": OUTCOMES,
    "reason": REASONS,
    "people": PEOPLE,
    "stage": STAGES,
    "closure": CLOSURE_REASONS,
    "flag": CASE_FLAGS,
    "language": LANGUAGES,
    "relationship": RELATIONSHIPS,
    "attendance": ATTENDANCE,
    "band": BANDS,
    "excuse_channel": EXCUSE_CHANNELS,
    "referral_status": REFERRAL_STATUSES,
}


def label(kind, code):
    """The label of code in list kind; unknown codes are shown as they are."""
    if code is None:
        return ""
    return LISTS[kind].get(code, code)


def choices(kind):
    """(code, label) pairs of list kind, in their defined order."""
    return list(LISTS[kind].items())
