"""All models, importable from one place."""
from fieldapp.models.accounts import RateLimitCounter, RecoveryCode, SentForm, UserSession
from fieldapp.models.attendance import AttendanceEvent
from fieldapp.models.audit import AccessLog, AuditEvent
from fieldapp.models.base import BaseModel, utcnow
from fieldapp.models.cases import Case, CaseEvent, Contact, open_among_students
from fieldapp.models.followups import FollowUp
from fieldapp.models.documents import DocumentRecord, Letter, OwedLetter, Plan, Signature
from fieldapp.models.imports import (
    CalendarDay, CalendarRevision, Enrollment, ImportChange, ImportFile, ImportRun, RosterEnrollment, SchoolCalendar,
)
from fieldapp.models.jobs import Job, JobFile
from fieldapp.models.office import ExcuseNote, ExcuseNoteDay, Referral
from fieldapp.models.people import (
    Guardian, PhoneMark, School, Student, StudentGuardian,
    StudentSearchTerm, User, UserSchool,
)
from fieldapp.models.standing import SchoolRoll, StandingTally, StudentStanding
from fieldapp.models.sync import DeviceReport, SyncConflict

__all__ = [
    "AccessLog", "AttendanceEvent", "AuditEvent", "BaseModel", "CalendarDay", "CalendarRevision", "Case",
    "CaseEvent", "Contact", "DeviceReport", "DocumentRecord", "FollowUp", "Guardian", "Letter", "OwedLetter",
    "PhoneMark", "Plan", "School", "SchoolRoll", "Signature", "Student",
    "Enrollment", "RosterEnrollment", "ImportChange", "ImportFile", "ImportRun", "Job", "JobFile", "SchoolCalendar",
    "ExcuseNote", "ExcuseNoteDay",
    "Referral",
    "StandingTally", "StudentGuardian", "StudentSearchTerm", "StudentStanding", "SyncConflict", "User",
    "UserSchool", "open_among_students", "utcnow",
    "RateLimitCounter", "RecoveryCode", "SentForm", "UserSession",
]
