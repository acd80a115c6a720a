"""A guardian signs an attendance plan with a finger on the officer's phone,
in real Chromium with touch; the plan's review shows on the caseload."""
import io

from PIL import Image

from fieldapp.models import Signature
from tests.browser.conftest import login, shot
from tests.documents_support import add_attendance, gen_plan


def _swipe(page, cdp, points):
    """A finger drawn through points (page coordinates), as touch events."""
    def touch(kind, x, y):
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [] if kind == "touchEnd" else
                                              [{"x": x, "y": y, "radiusX": 4, "radiusY": 4, "force": 1}]})
    touch("touchStart", *points[0])
    for x, y in points[1:]:
        touch("touchMove", x, y)
    touch("touchEnd", *points[-1])


def test_guardian_signs_with_a_finger(world, live_server, phone):
    plan = gen_plan(world["case_a"], world["officer"], review_in_days=0)
    page = phone.new_page()
    login(page, live_server, world["officer"])
    # The caseload loads its plan reviews after the page.
    page.wait_for_selector("#plan-reviews :text('Review today')")
    page.goto(f"{live_server}/plans/{plan.id}/sign/guardian")
    page.check("input[name=status][value=signed]")
    page.fill("#signer_name", "Ana García")
    # The plan is shown above the box: the signer reads it, then scrolls to sign.
    page.locator("canvas.signature-pad").scroll_into_view_if_needed()
    pad = page.locator("canvas.signature-pad").bounding_box()
    assert pad["width"] > 300 and pad["height"] >= 150  # room for a finger on a 390 px phone
    cdp = phone.new_cdp_session(page)
    x, y, w, h = pad["x"], pad["y"], pad["width"], pad["height"]
    _swipe(page, cdp, [(x + w * f, y + h * (0.7 if i % 2 else 0.3)) for i, f in
                       enumerate((0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8))])
    assert page.input_value("input[name=image]").startswith("data:image/png;base64,")
    shot(page, "plan-sign")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_url(f"**/plans/{plan.id}")
    assert "Signed · Ana García" in page.inner_text("main")
    image = Image.open(io.BytesIO(bytes(Signature.get(Signature.role == "guardian").image)))
    ink = image.getchannel("A").getbbox()
    assert ink and ink[2] - ink[0] > image.size[0] / 2  # the stroke crosses most of the box
    shot(page, "plan-show")


def test_clearing_the_box_leaves_nothing_to_save(world, live_server, phone):
    plan = gen_plan(world["case_a"], world["officer"])
    page = phone.new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/plans/{plan.id}/sign/guardian")
    page.check("input[name=status][value=signed]")
    page.fill("#signer_name", "Ana García")
    # The plan is shown above the box: the signer reads it, then scrolls to sign.
    page.locator("canvas.signature-pad").scroll_into_view_if_needed()
    pad = page.locator("canvas.signature-pad").bounding_box()
    page.mouse.move(pad["x"] + 20, pad["y"] + 20)
    page.mouse.down()
    page.mouse.move(pad["x"] + 200, pad["y"] + 100, steps=8)
    page.mouse.up()
    page.click("button:has-text('Clear the box')")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("#image-error")
    assert "Draw the signature in the box" in page.inner_text("#image-error")
    assert Signature.select().count() == 0


def test_paperwork_on_a_phone(world, live_server, phone, start_worker):
    start_worker("sqlite")
    add_attendance(world["student_a"], world["school_a"], unexcused=4, tardies=0)  # a notice states this
    page = phone.new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/students/{world['student_a'].id}")
    page.click("text=Paperwork: case report, letters, plans")
    page.wait_for_url("**/paperwork")
    shot(page, "paperwork")
    page.select_option("#recipient", "sarb")
    page.click("button:has-text('Produce the case report')")
    page.wait_for_url("**/jobs/*")  # the work goes on in the background; the page follows it
    page.wait_for_selector("text=Open the document", timeout=90000)
    shot(page, "case-report-job")
    page.click("text=Open the document")
    page.wait_for_url("**/documents/*")
    assert "Case report" in page.inner_text("h1") and "Open the PDF" in page.inner_text("main")
    shot(page, "document")
    page.goto(f"{live_server}/cases/{world['case_a'].id}/letters/new?kind=first_notice")
    shot(page, "letter-form")
    page.click("button:has-text('Make the letter')")
    page.wait_for_url("**/documents/*")
    page.check("input[name=sent_how][value=mail]")
    page.click("button:has-text('Record sending')")
    page.wait_for_url("**/documents/*")
    assert "Sent" in page.inner_text(".letters") and "First-class mail" in page.inner_text(".letters")
    shot(page, "letter-sent")


def test_a_signature_drawn_before_another_field_is_fixed_is_kept(world, live_server, phone):
    from tests import factories
    factories.gen_guardian([world["student_a"]], last="Díaz", preferred_language="es")
    plan = gen_plan(world["case_a"], world["officer"])  # English only: an interpreter must be named
    page = phone.new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/plans/{plan.id}/sign/guardian")
    assert "The family reads Spanish and this plan is not written in it" in page.inner_text("main")
    page.fill("#signer_name", "Rosa Díaz")
    page.locator("canvas.signature-pad").scroll_into_view_if_needed()
    pad = page.locator("canvas.signature-pad").bounding_box()
    page.mouse.move(pad["x"] + 20, pad["y"] + 20)
    page.mouse.down()
    page.mouse.move(pad["x"] + 250, pad["y"] + 110, steps=8)
    page.mouse.up()
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_selector("#interpreter-error")
    assert Signature.select().count() == 0
    # The box still holds the signature: naming the interpreter is all that is left to do.
    page.wait_for_function("document.querySelector('input[name=image]').value.startsWith('data:image/png')")
    page.fill("#interpreter", "Lucía Romero")
    shot(page, "plan-sign-kept")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_url(f"**/plans/{plan.id}")
    signature = Signature.get()
    assert signature.interpreter == "Lucía Romero"
    ink = Image.open(io.BytesIO(bytes(signature.image))).getchannel("A").getbbox()
    assert ink and ink[2] - ink[0] > 150
