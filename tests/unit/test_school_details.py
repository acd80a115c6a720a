"""The address and phone a family reaches the school by: from a OneRoster
export where it carries them, or typed by an administrator; and printed on
every letter with the officer's phone."""
import os
import shutil

import pytest

from fieldapp.rules.settings import RuleSettings
from fieldapp import contact_details, timefmt
from fieldapp.documents import letters
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import School
from tests import documents_support as support
from tests import factories

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")


def test_an_export_with_address_and_phone_columns_fills_them_and_keeps_typed_ones(app, tmp_path):
    export = tmp_path / "export"
    shutil.copytree(BULK, export)
    (export / "orgs.csv").write_text(
        "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,metadata.address,metadata.phone\n"
        "dist-1,,,Riverside Unified,district,0612345,,,\n"
        'sch-100,,,Lincoln Elementary,school,061234500001,dist-1,"400 Lincoln Ave, Riverside, CA 92501",(951) 555-0100\n'
        "sch-200,,,Riverside Middle School,school,061234500002,dist-1,,\n", encoding="utf-8")
    import_oneroster(str(BULK), "first")  # the plain export: nothing to fill
    admin = factories.gen_user("admin")
    middle = School.get(School.sourced_id == "sch-200")
    contact_details.save_school_details(admin, middle, {"address": "1 Middle Way", "phone": "951-555-0200"})
    report = import_oneroster(str(export), "with details")
    assert report.outcome == "applied"
    lincoln = School.get(School.sourced_id == "sch-100")
    assert (lincoln.address, lincoln.phone) == ("400 Lincoln Ave, Riverside, CA 92501", "(951) 555-0100")
    middle = School.get_by_id(middle.id)
    assert (middle.address, middle.phone) == ("1 Middle Way", "951-555-0200")  # empty cells keep them


@pytest.mark.parametrize("phone, ok", [("(951) 555-0100", True), ("+1 951 555 0100 x12", True),
                                       ("call me", False), ("12", False), ("9" * 30, False)])
def test_a_phone_is_checked_and_says_what_to_fix(app, phone, ok):
    school = factories.gen_school()
    admin = factories.gen_user("admin")
    if ok:
        assert contact_details.save_school_details(admin, school, {"phone": phone}).phone == phone
    else:
        with pytest.raises(contact_details.DetailsError) as refused:
            contact_details.save_school_details(admin, school, {"phone": phone})
        assert "phone" in refused.value.errors
        assert School.get_by_id(school.id).phone == ""


@pytest.mark.parametrize("language, phone_word", [("en", "Phone"), ("es", "Teléfono")])
def test_every_letter_prints_how_to_reach_the_school_and_the_officer(app, language, phone_word):
    school = factories.gen_school("Lincoln Elementary")
    school.address, school.phone = "400 Lincoln Ave\nRiverside, CA 92501", "(951) 555-0100"
    school.save()
    officer = factories.gen_user("officer", [school], name="Dana Ortiz")
    contact_details.save_own_phone(officer, {"phone": "(951) 555-0177"})
    student = factories.gen_student(school)
    guardian = factories.gen_guardian([student], preferred_language=language)
    case = factories.gen_case(student, officer)
    support.add_attendance(student, school)  # what the notices state (EC 48260, 48263)
    support.log(case, officer, 1, method="phone", outcome="no_answer")
    for kind in letters.KINDS:
        choice = letters.LetterChoice(kind, language, guardian, timefmt.today_for_school(school.id))
        document = letters.generate_letter(officer, case, choice, RuleSettings()).document
        text = support.text_of(document)
        assert "400 Lincoln Ave, Riverside, CA 92501" in text
        assert f"{phone_word}: (951) 555-0100" in text and f"{phone_word}: (951) 555-0177" in text
        assert document.page_count == 1  # a family's letter fits one sheet


@pytest.mark.parametrize("typed, link", [
    ("(555) 201-3344", "tel:5552013344"),
    ("+1 555 201 3344 x12", "tel:+15552013344;ext=12"),
    ("555.201.3344 ext. 7", "tel:5552013344;ext=7"),
    ("", ""),
])
def test_a_phone_as_typed_becomes_a_link_a_phone_dials(typed, link):
    assert contact_details.tel_uri(typed) == link


def test_a_school_address_over_two_lines_is_read_and_kept_on_its_lines(app, tmp_path):
    """The one roster column that may hold a line break; a quote left open in
    any other refuses the file (tests/unit/test_import_open_quotes.py)."""
    export = tmp_path / "export"
    shutil.copytree(BULK, export)
    header = ("sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,"
              "metadata.address,metadata.phone\n")
    (export / "orgs.csv").write_text(
        header + "dist-1,,,Riverside Unified,district,0612345,,,\n"
        'sch-100,,,Lincoln Elementary,school,061234500001,dist-1,"400 Lincoln Ave\nRiverside, CA 92501",'
        "(951) 555-0100\nsch-200,,,Riverside Middle School,school,061234500002,dist-1,,\n",
        encoding="utf-8")
    report = import_oneroster(str(export), "two lines")
    assert report.outcome == "applied", report.message
    lincoln = School.get(School.sourced_id == "sch-100")
    assert lincoln.address == "400 Lincoln Ave\nRiverside, CA 92501"
    assert School.select().where(School.sourced_id == "sch-200").exists()
    (export / "orgs.csv").write_text(
        header + 'sch-100,,,Lincoln Elementary,school,061234500001,dist-1,,"(951) 555-0100\n'
        "sch-200,,,Riverside Middle School,school,061234500002,dist-1,,\n", encoding="utf-8")
    refused = import_oneroster(str(export), "phone left open")
    assert refused.outcome == "refused"
    assert "orgs.csv: a quote opened on line 2 (column I ('metadata.phone')) never closes" in \
        refused.message
