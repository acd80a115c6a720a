"""The unassigned queue, the students by chronic absence and the front
office's open cases each offer Export CSV / Export XLSX as the other lists
do, on a phone (390x844) and at a desk (1280x800); the CSV button downloads
the list's file."""
import csv
import io

from fieldapp.models import Case
from tests import factories
from tests.browser.conftest import PHONE, login, shot
from tests.browser.test_phone_layout import assert_fits_the_phone

# role -> the list pages it exports, each with the name its file takes
PAGES = {"supervisor": [("/supervisor/cases", "cases"), ("/supervisor/unassigned", "unassigned-cases"),
                        ("/supervisor/students", "students")],
         "front": [("/office", "open-cases")]}


def _district(world):
    for n in range(6):
        kid = factories.gen_student(world["school_a"], first=f"Kid{n}", last="=Export" if n == 0 else "Desk")
        case = factories.gen_case(kid, world["officer"])
        if n % 2:
            Case.update(officer=None).where(Case.id == case.id).execute()


def _each_list(browser, live_server, world, **context_options):
    """(page, path, name, button boxes) on each list of PAGES, signed in as
    its user in a browser context of context_options, its export control
    checked for its two buttons."""
    for who, pages in PAGES.items():
        context = browser.new_context(**context_options)
        page = context.new_page()
        login(page, live_server, world[who])
        for path, name in pages:
            page.goto(f"{live_server}{path}")
            form = page.locator("form.export")
            assert form.count() == 1, path
            buttons = [form.locator("button").nth(i) for i in range(form.locator("button").count())]
            assert [b.inner_text() for b in buttons] == ["Export CSV", "Export XLSX"], path
            yield page, path, name, [b.bounding_box() for b in buttons]
        context.close()


def test_each_list_offers_its_export_on_a_phone(world, live_server, browser):
    _district(world)
    for page, path, name, boxes in _each_list(browser, live_server, world, **PHONE, accept_downloads=True):
        assert all(box["height"] >= 44 for box in boxes), path  # a finger's tap
        assert_fits_the_phone(page, f"export-control-{name}")
        with page.expect_download() as download:
            page.click("form.export button[value=csv]")
        assert download.value.suggested_filename.startswith(f"{name}-"), path
        rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
        assert len(rows) > 1 and "Local id" in rows[0], path


def test_each_list_offers_its_export_at_a_desk(world, live_server, browser):
    _district(world)
    sizes = {}
    for page, path, name, boxes in _each_list(browser, live_server, world, service_workers="block",
                                              viewport={"width": 1280, "height": 800}):
        assert boxes[0]["y"] == boxes[1]["y"], path  # side by side
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, path
        sizes[path] = (round(boxes[0]["width"]), round(boxes[0]["height"]))
        shot(page, f"desktop-export-control-{name}")
    assert len(set(sizes.values())) == 1, sizes  # the same buttons, the same size, on every list
