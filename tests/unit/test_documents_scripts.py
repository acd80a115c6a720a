"""What the paper shows, read from the PDF itself: names and notes in the
scripts families write come out as real glyphs (no empty boxes), and a long
unbroken run of text wraps inside the page instead of leaving it."""
import datetime

import pytest

from fieldapp.rules.settings import RuleSettings
from fieldapp.documents import case_report, letters, plans
from fieldapp.timefmt import local_today
from tests import documents_support as support
from tests import factories

# Text a family or an officer might write, one line per script the district serves.
SCRIPTS = {
    "Chinese": "王秀英说她早上送孩子上学",
    "Vietnamese": "Nguyễn Thị Hương đưa con đến trường",
    "Arabic": "الأم تعمل في الصباح الباكر",
    "Burmese": "မိခင်သည် နံနက်စောစော အလုပ်လုပ်သည်",
    "Amharic": "እናትየዋ በጠዋት ትሰራለች",
    "Hindi": "माँ सुबह जल्दी काम करती है",
    "Korean": "어머니는 아침 일찍 일합니다",
}
# Arabic and Vietnamese are in DejaVu Sans itself.
FONTS = {"Chinese": "Noto-Sans-CJK-SC", "Korean": "Noto-Sans-CJK",
         "Burmese": "Noto-Sans-Myanmar", "Amharic": "Noto-Sans-Ethiopic", "Hindi": "Noto-Sans-Devanagari"}
# pypdf reads a shaped cluster back through the PDF's one-text-per-glyph map,
# so Burmese words can come back with their marks in another order: for
# Burmese, the glyphs and the font are what the tests check.
READ_BACK = [text.split()[0] for script, text in SCRIPTS.items() if script != "Burmese"]
MAP_LINK = "https://maps.example.com/?q=" + "".join(f"{n:03d}abcdefg" for n in range(23))[:223]


@pytest.fixture
def family(app):
    """王秀英, whose guardian writes in Burmese and Amharic, with notes in every script."""
    school = factories.gen_school("Lincoln Elementary")
    officer = factories.gen_user("officer", [school], name="Dana Ortiz")
    student = factories.gen_student(school, first="秀英", last="王",
                                    address="Apt 4, " + "ထောင်ကြီးရပ်ကွက်" + " 12 Elm St")
    factories.gen_guardian([student], first="ዘውዲቱ", last="ဦးမောင်", preferred_language="es")
    case = factories.gen_case(student, officer, stage="first_notice")
    support.add_attendance(student, school)
    for days_ago, (script, text) in enumerate(SCRIPTS.items(), 2):
        support.log(case, officer, days_ago, notes=f"{script}: {text}")
    support.log(case, officer, 1, notes=f"The family's home on the map: {MAP_LINK} (the blue door).")
    return dict(officer=officer, student=student, case=case)


def _assert_real_glyphs(pdf, *expected):
    assert support.missing_glyphs(pdf) == set()
    text = support.text_of(pdf)
    for words in expected:
        assert words in text, text[text.find(words[:1]) - 80:][:300]


def test_every_script_prints_in_the_case_report(family):
    record = case_report.produce_case_report(family["officer"], family["case"], "CA", recipient="SARB")
    pdf = bytes(record.pdf)
    _assert_real_glyphs(pdf, "秀英 王", *READ_BACK)
    fonts = support.font_names(pdf)
    for script, font in FONTS.items():
        assert any(name.startswith(font) for name in fonts), (script, fonts)


def test_a_long_link_wraps_inside_the_page_and_is_printed_whole(family):
    record = case_report.produce_case_report(family["officer"], family["case"], "CA", recipient="SARB")
    pdf = bytes(record.pdf)
    assert support.text_beyond_margin(pdf) == []
    joined = "".join(support.text_of(pdf).split())
    assert MAP_LINK in joined and f"{MAP_LINK}(thebluedoor)." in joined


def test_a_letter_prints_the_names_in_their_scripts(family):
    case = family["case"]
    letter = letters.generate_letter(family["officer"], case, letters.default_choice(case), RuleSettings())
    _assert_real_glyphs(bytes(letter.document.pdf), "秀英", "ዘውዲቱ")
    assert support.text_beyond_margin(bytes(letter.document.pdf)) == []


def test_a_plan_prints_every_script(family):
    case, officer = family["case"], family["officer"]
    text = "\n".join(SCRIPTS.values())
    plan = plans.save_plan(officer, case, {
        "barriers": text, "goals": MAP_LINK, "family_commitments": SCRIPTS["Burmese"],
        "review_on": (local_today() + datetime.timedelta(days=20)).isoformat()})
    plans.record_signature(officer, plan, {"role": "guardian", "status": "signed", "signer_name": "ዘውዲቱ ဦးမောင်",
                                           "image": support.signature_data_url(), "interpreter": "अनीता शर्मा"})
    record = plans.produce_plan_pdf(officer, plan, "CA")
    pdf = bytes(record.pdf)
    _assert_real_glyphs(pdf, "ዘውዲቱ", "अनीता", *READ_BACK)
    assert support.text_beyond_margin(pdf) == []
    assert MAP_LINK in "".join(support.text_of(pdf).split())


@pytest.mark.parametrize("language, text", [("zh", SCRIPTS["Chinese"]), ("ar", SCRIPTS["Arabic"] + " في الساعة 6:40."),
                                            ("vi", SCRIPTS["Vietnamese"])])
def test_the_familys_copy_of_a_plan_prints_its_translation_in_their_script(family, language, text):
    from fieldapp.models import Guardian
    Guardian.update(preferred_language=language).execute()
    case, officer = family["case"], family["officer"]
    plan = plans.save_plan(officer, case, {
        "barriers": "The bus comes at 6:40.", "goals": "Miss less than one day a month.",
        "barriers_translated": text, "goals_translated": text + " " + MAP_LINK,
        "translation_language": language, "translated_by": SCRIPTS["Amharic"].split()[0], "translator": "interpreter",
        "review_on": (local_today() + datetime.timedelta(days=20)).isoformat()})
    assert plans.family_language(plan) == language
    pdf = bytes(plans.produce_plan_pdf(officer, plan, "CA", language=plans.family_language(plan)).pdf)
    _assert_real_glyphs(pdf, SCRIPTS["Amharic"].split()[0], text.split()[0])
    assert support.text_beyond_margin(pdf) == []
    if language != "ar":  # a link inside right-to-left text is laid out by the bidi rules (see the report)
        assert MAP_LINK in "".join(support.text_of(pdf).split())
    # Fixed words the app has no catalog for stay English, dates included; Arabic reads from the right.
    said = " ".join(support.text_of(pdf).split())
    assert "Text written in Arabic by" in said if language == "ar" else True
    assert "Review date" in said and local_today().strftime("%Y") in said
    starts = _line_starts(pdf, text.split()[0] if language != "ar" else "الساعة")
    page_width = 8.5 * 72
    assert starts and (starts[0] > page_width / 2) == (language == "ar"), starts  # the barriers, first


def _line_starts(pdf, word):
    """Where the text runs holding word begin on the page (points from the left)."""
    import io
    from pypdf import PdfReader
    found = []

    def visit(text, cm, tm, font_dict, font_size):
        if word in text:
            found.append(tm[4] * cm[0] + cm[4])
    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return found


def test_this_machine_has_a_font_for_every_script():
    from fieldapp.documents import fonts
    assert fonts.missing_scripts() == {}
    assert fonts.missing_scripts({"DejaVu Sans"}) == {
        "Chinese, Korean, Japanese": "fonts-noto-cjk", "Burmese": "fonts-noto-core",
        "Amharic": "fonts-noto-core", "Hindi": "fonts-noto-core"}
