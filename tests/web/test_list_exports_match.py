"""A list's form holds every filter the list takes from a link, its export
holds the rows it shows with the same filters, and every column of a file
says what the page says (labels, not codes)."""
import csv
import io
import re

import time_machine

from fieldapp.models import Case, Letter, utcnow
from tests.documents_support import gen_issued_letter
from tests.web.conftest import page_text
from tests.web.test_export_rows import NOW, _worklist


def _csv(answer):
    assert answer.status_code == 200, page_text(answer)[:300]
    return list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))


def _fields(page):
    """The names of the fields of the page's filter form."""
    form = page[page.index('class="filters'):]
    form = form[:form.index("</form>")]
    return set(re.findall(r'name="([a-z_]+)"', form))


def test_the_district_case_list_keeps_a_follow_up_filter_from_a_link(auth, login_as, world):
    login_as("supervisor")
    page = page_text(auth.client.get("/supervisor/cases?follow_up=today"))
    assert _fields(page) >= {"school", "officer", "status", "stage", "flag", "band", "follow_up", "sort"}
    chosen = re.search(r'<select id="f-follow" name="follow_up"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.search(r'<option value="today"\s+selected>', chosen)


def test_each_list_form_holds_the_filters_its_links_use(auth, login_as, world):
    login_as("supervisor")
    assert _fields(page_text(auth.client.get("/supervisor/students"))) >= {"school", "band"}
    assert _fields(page_text(auth.client.get("/supervisor/unassigned"))) >= {"school", "stage", "flag", "band"}
    login_as("front_office")
    assert _fields(page_text(auth.client.get("/office"))) >= {"stage", "officer", "follow_up"}


def test_the_worklist_export_holds_the_rows_the_narrowed_worklist_shows(auth, login_as, world):
    with time_machine.travel(NOW, tick=True):
        _worklist(world)
        login_as("supervisor")
        whole = page_text(auth.client.get("/worklist"))
        assert 'action="/supervisor/export/worklist' in whole
        for query, expected in ((f"officer={world['officer'].id}", 1), ("section=new", 4),
                                ("officer=none&section=overdue", 27), ("", 32)):
            rows = _csv(auth.post(f"/supervisor/export/worklist?{query}", data={"format": "csv"}))
            assert len(rows) == expected, query
            if "section=" in query:
                page = page_text(auth.client.get(f"/worklist?{query}"))
                shown = set(re.findall(r"<strong>([^<,]+, [^<]+?)(?: <span[^>]*>[^<]*</span>)?</strong>", page))
                assert shown == {f"{r['Last name']}, {r['First name']}" for r in rows}, query
        other_day = auth.post("/supervisor/export/worklist?on=2025-09-01", data={"format": "csv"})
        assert other_day.status_code == 422 and "today&#39;s worklist" in page_text(other_day)


def test_export_columns_say_what_the_pages_say(auth, login_as, world):
    Case.update(officer=None).where(Case.id == world["case_a"].id).execute()
    letter = gen_issued_letter(world["case_a"], world["officer"])
    Letter.update(language="es", sent_at=utcnow(), sent_how="certified_mail").where(Letter.id == letter.id).execute()
    login_as("supervisor")
    cases = {row["Last name"]: row for row in _csv(auth.post("/supervisor/export/cases", data={"format": "csv"}))}
    assert cases["García"]["Status"] == "Open" and cases["García"]["Officer"] == "Unassigned"
    letters = _csv(auth.post("/supervisor/export/letters", data={"format": "csv"}))
    assert [(r["How"], r["Kind"], r["Language"]) for r in letters] == \
        [("Certified mail", "Truancy notification", "Spanish")]


def test_the_office_list_prints_whose_it_is_and_how_it_was_filtered(auth, login_as, world):
    login_as("front_office")
    page = page_text(auth.client.get("/office?follow_up=overdue"))
    printed = re.search(r'<p class="print-only">(.*?)</p>', page, re.S).group(1)
    assert "Lincoln Elementary" in printed and "Follow-up: Overdue" in printed
    css = page_text(auth.client.get("/static/css/app.css"))
    assert re.search(r"@media print \{[^}]*search", css)


def test_a_band_filtered_case_export_reads_the_bands_the_list_reads(auth, login_as, world):
    """Standings not yet brought up to date are refreshed by the file as by the list."""
    login_as("supervisor")
    rows = _csv(auth.post("/supervisor/export/cases?band=satisfactory", data={"format": "csv"}))
    page = page_text(auth.client.get("/supervisor/cases?band=satisfactory"))
    assert len(rows) == 2 and all(f"{r['Last name']}, {r['First name']}" in page for r in rows)


def test_an_office_list_filtered_to_nothing_says_so_not_that_the_school_has_no_case(auth, login_as, world):
    login_as("front_office")
    page = page_text(auth.client.get("/office?stage=court"))
    assert "No case matches these filters." in page and "No open cases at your school." not in page


def test_letters_sent_are_a_list_whose_file_holds_its_rows(auth, login_as, world):
    for case, author in ((world["case_a"], world["officer"]), (world["case_b"], world["other_officer"])):
        letter = gen_issued_letter(case, author)
        Letter.update(sent_at=utcnow(), sent_how="hand_delivered").where(Letter.id == letter.id).execute()
    login_as("supervisor")
    assert "/supervisor/letters" in page_text(auth.client.get("/supervisor"))
    school = world["school_b"].id
    page = page_text(auth.client.get(f"/supervisor/letters?school={school}"))
    assert "Núñez, José" in page and "García, María" not in page and "Delivered by hand" in page
    assert f'action="/supervisor/export/letters?school={school}"' in page
    rows = _csv(auth.post(f"/supervisor/export/letters?school={school}", data={"format": "csv"}))
    assert [(r["Last name"], r["How"]) for r in rows] == [("Núñez", "Delivered by hand")]
    everyone = page_text(auth.client.get("/supervisor/letters"))
    assert "Núñez, José" in everyone and "García, María" in everyone


def test_sorting_by_stage_follows_the_ladder_on_the_page_and_in_the_file(auth, login_as, world):
    """Sorted by stage, the cases climb the legal ladder (monitoring, first notice,
    conference, plan, board referral), not the alphabet of the stages' codes."""
    from fieldapp import codes
    from tests import factories
    ladder = list(codes.STAGES)
    for place, stage in enumerate(reversed(ladder)):  # made in the wrong order on purpose
        factories.gen_case(factories.gen_student(world["school_a"], first=f"Kid{place}", last="Ladder"),
                           world["officer"], stage=stage)
    login_as("supervisor")
    page = page_text(auth.client.get("/supervisor/cases?sort=stage&school=%d" % world["school_a"].id))
    shown = [label for label in re.findall(r'data-label="Stage">([^<]+)<', page)]
    labels = [codes.STAGES[s] for s in ladder]
    assert [label for label in shown if label in labels] == sorted(
        [label for label in shown if label in labels], key=labels.index), shown
    assert all(label in shown for label in labels), shown
    rows = _csv(auth.post("/supervisor/export/cases?sort=stage&school=%d" % world["school_a"].id,
                          data={"format": "csv"}))
    assert [r["Stage"] for r in rows] == [label.strip() for label in shown]
