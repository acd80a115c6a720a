"""An XLSX export on a phone: the button leads to the job's page, which counts
the rows written and then offers the spreadsheet to download."""
import io

import openpyxl

from tests.browser.conftest import login, shot
from tests.browser.test_phone_layout import assert_fits_the_phone
from tests.web.test_export_jobs import held  # noqa: F401 (the fixture)


def test_a_supervisor_exports_a_spreadsheet_and_downloads_it(world, live_server, phone, start_worker, held):  # noqa: F811
    start_worker("sqlite")
    page = phone.new_page()
    login(page, live_server, world["supervisor"])
    page.goto(f"{live_server}/supervisor/cases?status=all")
    page.click("button[value=xlsx]")
    page.wait_for_url("**/jobs/*")
    assert held["written"].wait(60)
    page.get_by_text("1 of 2 rows").wait_for(timeout=30_000)
    assert "Preparing the spreadsheet" in page.inner_text("main")
    assert_fits_the_phone(page, "export-job-running")
    held["release"]()
    page.get_by_role("button", name="Download").wait_for(timeout=60_000)
    assert "The spreadsheet is ready." in page.inner_text("main")
    assert_fits_the_phone(page, "export-job-done")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    assert sheet.max_row == 3
