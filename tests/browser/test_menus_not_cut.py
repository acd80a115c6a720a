"""A menu shows its whole choice on a 390x844 phone, in English and Spanish: the
worklist's school menu read "All my school" with its last letter cut off."""
import pytest

from fieldapp.models import User
from tests import factories
from tests.browser.conftest import PHONE, login, shot

# Each visible <select> whose chosen option's text is wider than the room the menu
# leaves for it (its width less its padding, where the arrow sits).
CUT_MENUS_JS = """() => {
  const ctx = document.createElement('canvas').getContext('2d'), cut = [];
  for (const select of document.querySelectorAll('main select')) {
    if (!select.offsetWidth) continue;
    const s = getComputedStyle(select);
    ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const text = select.options[select.selectedIndex]?.text || '';
    const room = select.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    if (ctx.measureText(text).width > room) cut.push(`#${select.id}: "${text}" in ${Math.round(room)}px`);
  }
  return cut;
}"""


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_filter_menu_shows_its_whole_choice(world, live_server, phone, language):
    officer = factories.gen_user("officer", [world["school_a"], world["school_b"]])
    for user in (officer, world["supervisor"], world["front"]):
        User.update(language=language).where(User.id == user.id).execute()
    pages = {officer: ["/worklist"], world["supervisor"]: ["/worklist", "/supervisor/cases",
                                                           "/supervisor/students", "/supervisor/contacts",
                                                           f"/students/{world['student_a'].id}/access-log"],
             world["front"]: ["/office"]}
    for user, paths in pages.items():
        context = phone.browser.new_context(**PHONE, service_workers="block")
        page = context.new_page()
        login(page, live_server, user)
        for path in paths:
            page.goto(live_server + path)
            page.evaluate("document.querySelectorAll('details.filter-fold').forEach(d => d.open = true)")
            shot(page, f"{language}-menus{path.replace('/', '-')}-{user.role}")
            assert page.evaluate(CUT_MENUS_JS) == [], f"{path} as {user.role}: menus cut"
        context.close()


