"""In real Chromium: the phone's refresh of its offline copy is logged as an
automatic copy, and a person opening the same page is logged as reading it."""
from fieldapp.models import AccessLog
from tests.browser.conftest import login
from tests.browser.test_offline import ready_offline


def test_the_phones_refresh_is_an_offline_copy_and_opening_the_page_a_view(world, live_server, phone):
    student = world["student_a"]
    page = phone.new_page()
    login(page, live_server, world["officer"])
    ready_offline(page)
    kept = [line.path for line in AccessLog.select().where(
        (AccessLog.student == student) & (AccessLog.action == "offline copy"))]
    assert f"/students/{student.id}" in kept and f"/cases/{world['case_a'].id}/contacts/new" in kept
    assert not AccessLog.select().where((AccessLog.student == student) & (AccessLog.action == "view")
                                        & (AccessLog.path == f"/students/{student.id}")).exists()
    page.goto(f"{live_server}/students/{student.id}")
    last = AccessLog.select().where(AccessLog.student == student).order_by(AccessLog.id.desc()).first()
    assert (last.action, last.path) == ("view", f"/students/{student.id}")
