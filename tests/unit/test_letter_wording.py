"""Letters read as a family would read them: counts agree with their nouns in
the letter's own language, through the catalog's plural forms."""
import datetime

import pytest

from fieldapp.rules.settings import RuleSettings
from fieldapp.documents import letters
from fieldapp.documents.letters import LetterChoice
from fieldapp.models import AttendanceEvent
from fieldapp.timefmt import local_today
from tests import documents_support as support
from tests import factories


@pytest.fixture
def one_of_each(app):
    school = factories.gen_school("Lincoln Elementary")
    officer = factories.gen_user("officer", [school], name="Dana Ortiz")
    student = factories.gen_student(school)
    guardian = factories.gen_guardian([student], preferred_language="es")
    case = factories.gen_case(student, officer, stage="monitoring")
    today = local_today()
    days = [today - datetime.timedelta(days=n) for n in range(1, 10) if
            (today - datetime.timedelta(days=n)).weekday() < 5][:2]
    AttendanceEvent.create(student=student, school=school, date=days[0], category="unexcused")
    AttendanceEvent.create(student=student, school=school, date=days[1], category="tardy", minutes=40)
    # Parts of days the letters do not count by name make the truancies each letter states
    # (EC 48260: five with the call, for a referral).
    for day in [today - datetime.timedelta(days=n) for n in range(10, 30)
                if (today - datetime.timedelta(days=n)).weekday() < 5][:3]:
        AttendanceEvent.create(student=student, school=school, date=day, category="partial", minutes=90)
    factories.gen_contact(case, officer, method="phone", outcome="no_answer")
    return officer, case, guardian


@pytest.mark.parametrize("kind", ["first_notice", "conference_invitation", "referral_notice"])
def test_one_absence_and_one_tardy_read_in_the_singular(one_of_each, kind):
    officer, case, guardian = one_of_each
    for language, right, wrong in (
            ("es", "1 ausencia injustificada y 1 retraso", ("1 retrasos", "1 ausencias")),
            ("en", "1 unexcused absence and 1 tardy", ("1 tardies", "1 unexcused absences"))):
        choice = LetterChoice(kind, language, guardian, local_today())
        text = support.text_of(letters.generate_letter(officer, case, choice, RuleSettings()).document)
        assert right in text
        assert not any(bad in text for bad in wrong)
