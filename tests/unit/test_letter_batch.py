"""A batch of letters is many families' letters in one PDF: each letter reads
as its own (its pages counted on their own, its footer in its own language)."""
import datetime
import io

import pytest
from pypdf import PdfReader

from fieldapp.rules.settings import RuleSettings
from fieldapp.documents import letters
from fieldapp.documents.letters import LetterChoice
from fieldapp.models import School
from fieldapp.timefmt import local_today
from tests import documents_support as support
from tests import factories


@pytest.fixture
def mixed_batch(app):
    """Three families at a school in Central time: Spanish, English, Spanish."""
    school = factories.gen_school("Lincoln Elementary")
    School.update(time_zone="America/Chicago", address="400 Lincoln Ave, Riverside, CA 92501",
                  phone="(951) 555-0100").where(School.id == school.id).execute()
    school = School.get_by_id(school.id)
    officer = factories.gen_user("officer", [school], name="Dana Ortiz")
    items = []
    for n, (language, kind) in enumerate((("es", "first_notice"), ("en", "conference_invitation"),
                                          ("es", "referral_notice"))):
        student = factories.gen_student(school, first=f"Ana{n}")
        guardian = factories.gen_guardian([student], preferred_language=language)
        support.add_attendance(student, school, unexcused=7)
        case = factories.gen_case(student, officer, stage="first_notice")
        # The referral's grounds: an attempt to meet (EC 48262), a referral to counseling (Ed Code 25.0915).
        support.log(case, officer, 1, method="phone", outcome="referral_made")
        items.append((case, LetterChoice(kind, language, guardian, local_today())))
    return officer, school, items


def _pages(pdf):
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_each_letter_of_a_batch_counts_its_own_pages_in_its_own_language(mixed_batch):
    officer, school, items = mixed_batch
    record, made = letters.issue_letters(officer, school, items, RuleSettings(), datetime.datetime.utcnow(), ("", ""),
                                         "Letters due")
    pages = _pages(bytes(record.pdf))
    assert record.page_count == len(pages) == 3
    spanish, english, spanish_again = pages
    assert "Página 1 de 1" in spanish and "Página 1 de 1" in spanish_again and "Page 1 of 1" in english
    assert "(hora del Centro)" in spanish and "(hora del Centro)" in spanish_again
    assert "(Central time)" in english and "hora del" not in english
    assert support.missing_glyphs(bytes(record.pdf)) == set()


@pytest.mark.parametrize("state", ["CA", "TX"])
def test_a_referral_notice_says_only_what_the_file_shows_was_done_before_it(mixed_batch, state):
    officer, school, items = mixed_batch
    case, choice = items[1]
    referral = LetterChoice("referral_notice", "en", choice.guardian, local_today())
    bare = support.text_of(letters.generate_letter(officer, case, referral, RuleSettings(state)).document)
    assert "Despite" not in bare and "has been absent from school without a valid excuse this school year" in bare
    spanish = LetterChoice("referral_notice", "es", choice.guardian, local_today())
    bare_es = support.text_of(letters.generate_letter(officer, case, spanish, RuleSettings(state)).document)
    assert "A pesar" not in bare_es and "ha faltado a la escuela sin una justificación válida" in bare_es
    letters.generate_letter(officer, case, LetterChoice("first_notice", "en", choice.guardian, local_today()), RuleSettings(state))
    notices = support.text_of(letters.generate_letter(officer, case, referral, RuleSettings(state)).document)
    assert "Despite the notices sent this school year," in notices
    support.log(case, officer, 1, method="conference", outcome="reached_parent")
    both = support.text_of(letters.generate_letter(officer, case, referral, RuleSettings(state)).document)
    assert "Despite the notices sent and the meetings held or offered this school year" in " ".join(both.split())
