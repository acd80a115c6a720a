from tests.browser.conftest import login, shot


def test_officer_finds_student_and_logs_home_visit_on_phone(world, live_server, phone):
    page = phone.new_page()
    login(page, live_server, world["officer"])
    assert "My caseload" in page.content()
    page.fill("#q", "gar mar")
    page.wait_for_selector("#results a")
    shot(page, "search")
    page.click("#results a")
    page.wait_for_url("**/students/*")
    assert "María García" in page.inner_text("h1")
    shot(page, "student")
    page.click("text=Home visit")
    page.wait_for_url("**/contacts/new*")
    page.select_option("#outcome", "notice_at_door")
    page.fill("#notes", "Left notice with neighbour.")
    shot(page, "contact-form")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_url("**/students/*")
    assert "Left notice with neighbour." in page.inner_text("#timeline")
    shot(page, "after-save")
