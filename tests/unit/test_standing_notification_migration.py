"""Migration 0450: a standing stored while a front-office call counted as the
first truancy notification is computed again, so the student page and the
worklist show the notification overdue once more after the upgrade."""
import datetime
import uuid

from fieldapp.cases import contacts
from fieldapp.db import database
from fieldapp.models import StudentStanding
from fieldapp.rules import stored
from fieldapp.rules.settings import RuleSettings
from fieldapp.timefmt import local_today, to_utc
from tests import documents_support, factories
from tests.migration_support import migration


def test_a_standing_stored_under_the_old_rule_is_recomputed_on_upgrade(app):
    school = factories.gen_school("North")
    front = factories.gen_user("front_office", [school])
    student = factories.gen_student(school, first="Lucía", last="Pérez")
    documents_support.add_attendance(student, school, unexcused=4, tardies=0)
    clean = {"method": "phone", "outcome": "reached_parent", "reasons": [], "people_present": [],
             "notes": "called mum", "follow_up_on": None, "interpreter_used": False, "language": "",
             "latitude": None, "longitude": None, "occurred_at": to_utc(datetime.datetime.combine(local_today() - datetime.timedelta(days=1),
                                                            datetime.time(10)))}
    contacts.log_contact(front, None, clean, uuid.uuid4(), student=student)
    settings, today = RuleSettings(state="CA"), local_today()
    assert stored.standings_of(settings, today, [student.id])[student.id].next_step.step.code == "ca_first_notice"
    # As the old rule stored it: the call took both reports, nothing due, not in Overdue.
    StudentStanding.update(next_step=None, section=None).where(StudentStanding.student == student.id).execute()
    assert stored.standings_of(settings, today, [student.id])[student.id].section is None
    with database.atomic():
        migration("0450_standing_after_notification_rule.py").up(None, database)
    again = stored.standings_of(settings, today, [student.id])[student.id]
    assert again.next_step.step.code == "ca_first_notice" and again.section == "overdue"
    assert StudentStanding.get(StudentStanding.student == student.id).next_step == "ca_first_notice"
