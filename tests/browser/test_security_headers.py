"""In real Chromium: the Content-Security-Policy (no inline script) breaks
nothing a person uses (service worker, HTMX, the signature pad), logging out
ends the session on the server, and an idle session ends by itself."""
import datetime

from fieldapp.models import UserSession, utcnow
from tests.browser.conftest import PHONE, login, shot
from tests.documents_support import gen_plan

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def violations(page):
    return page.evaluate("window.__cspViolations")


def test_the_officers_phone_works_under_the_content_security_policy(world, live_server, browser):
    phone = browser.new_context(**{**PHONE, "bypass_csp": False})
    phone.add_init_script(RECORD_VIOLATIONS)
    page = phone.new_page()
    answer = page.goto(f"{live_server}/login")
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert answer.headers["permissions-policy"].startswith("geolocation=(self), camera=(self)")
    login(page, live_server, world["officer"])
    # The service worker installs and controls the page.
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                           timeout=20000)
    # HTMX: the active search swaps in its results.
    page.goto(f"{live_server}/students")
    page.fill("input[name=q]", "Garc")
    page.wait_for_selector(f"a[href='/students/{world['student_a'].id}']", timeout=10000)
    # The signature pad draws.
    plan = gen_plan(world["case_a"], world["officer"])
    page.goto(f"{live_server}/plans/{plan.id}/sign/guardian")
    page.check("input[name=status][value=signed]")
    page.locator("canvas.signature-pad").scroll_into_view_if_needed()  # below the plan's text
    pad = page.locator("canvas.signature-pad").bounding_box()
    page.mouse.move(pad["x"] + 20, pad["y"] + 20)
    page.mouse.down()
    page.mouse.move(pad["x"] + 220, pad["y"] + 90, steps=8)
    page.mouse.up()
    assert page.input_value("input[name=image]").startswith("data:image/png;base64,")
    shot(page, "csp-signature")
    assert violations(page) == []
    phone.close()


def test_logout_in_the_browser_ends_the_session_on_the_server(world, live_server, browser):
    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    page = desk.new_page()
    login(page, live_server, world["supervisor"])
    cookies = desk.cookies()
    page.click("text=Log out")
    page.wait_for_url("**/login")
    assert UserSession.get().ended_why == "logout"
    # A copy of the cookie taken before logout opens nothing now.
    thief = browser.new_context()
    thief.add_cookies(cookies)
    stolen = thief.new_page()
    stolen.goto(f"{live_server}/supervisor/contacts")
    assert "/login" in stolen.url
    thief.close()
    desk.close()


def test_an_idle_desk_session_ends_and_says_so(world, live_server, browser):
    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    page = desk.new_page()
    login(page, live_server, world["front"])
    UserSession.update(last_seen_at=utcnow() - datetime.timedelta(minutes=31)).execute()
    page.goto(f"{live_server}/students")
    assert "/login" in page.url
    assert "Your session ended. Please log in again." in page.inner_text("main")
    shot(page, "idle-session-ended")
    desk.close()


def test_an_admin_offboards_an_officer_at_a_desk(world, live_server, browser):
    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    page = desk.new_page()
    login(page, live_server, world["admin"])
    page.click("header >> text=Users")
    page.wait_for_url("**/admin/users")
    shot(page, "admin-users")
    page.click(f"text={world['officer'].email}")
    page.click("text=Deactivate (off-board)")  # asks first: the click alone changes nothing
    page.wait_for_selector("text=Yes, deactivate")
    assert "can no longer log in" not in page.inner_text("main")
    page.click("text=Yes, deactivate")
    page.wait_for_selector("text=can no longer log in")
    shot(page, "admin-user-deactivated")
    page.goto(f"{live_server}/admin/audit?action=user.")
    assert "User deactivated" in page.inner_text("main")
    shot(page, "admin-audit")
    desk.close()


def _desk_pages(world):
    """role -> the desk pages that role works in (the supervisor's desk, the
    front office, jobs, paperwork, imports, users), as a person reaches them."""
    from fieldapp.models import Referral
    from tests.web.test_access_matrix import gen_job
    from tests.web.test_import_pages import gen_import_run
    case, student = world["case_a"].id, world["student_a"].id
    referral = Referral.create(student=world["student_a"], school=world["school_a"],
                               reason="illness", referred_by=world["front"], officer=world["officer"]).id
    return {
        "supervisor": ["/supervisor", "/supervisor/cases", "/supervisor/contacts",
                       "/supervisor/students", "/supervisor/officers", "/supervisor/unassigned",
                       f"/supervisor/officers/{world['officer'].id}/hand-over",
                       f"/cases/{case}/assign", f"/cases/{case}/paperwork",
                       f"/jobs/{gen_job(world['supervisor']).id}", "/letters/due",
                       f"/students/{student}"],
        "front": ["/office", f"/students/{student}/excuse-notes/new",
                  f"/students/{student}/referrals/new"],
        "admin": ["/admin/", "/admin/imports", f"/admin/imports/{gen_import_run(world['admin']).id}",
                  "/admin/schools", "/admin/users", "/admin/audit", "/account"],
        "officer": ["/caseload", "/worklist", f"/cases/{case}/circumstances",
                    f"/referrals/{referral}/decline"],
    }


def test_every_desk_page_works_under_the_content_security_policy(world, live_server, browser):
    for who, paths in _desk_pages(world).items():
        desk = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=False)
        desk.add_init_script(RECORD_VIOLATIONS)
        page = desk.new_page()
        login(page, live_server, world[who])
        for path in paths:
            answer = page.goto(f"{live_server}{path}")
            page.wait_for_load_state("networkidle")
            assert answer.status == 200, (who, path, answer.status)
            assert "unsafe-inline" not in answer.headers["content-security-policy"]
            # The site's stylesheet applies (a blocked one would leave the page unstyled).
            assert page.evaluate("getComputedStyle(document.body).fontFamily") != "", path
            assert violations(page) == [], (who, path, violations(page))
        shot(page, f"csp-desk-{who}")
        desk.close()
