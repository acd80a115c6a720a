"""In Spanish on a phone (390x844), the import history's result pills break
between words only: "Aplicada" beside "Deshecha" broke as "Aplicad / a"
(the page breaks long words anywhere, and a pill squeezed to fit its row)."""
from fieldapp.models import ImportRun, User, utcnow
from tests.browser.conftest import PHONE, login, shot



def test_the_history_pills_in_spanish_on_a_phone_break_between_words(world, live_server, browser):
    admin = world["admin"]
    for name, outcome, undone in (("c1.csv", "applied", True), ("d1.zip", "applied", False),
                                  ("a1.csv", "applied_with_skips", True), ("r3.zip", "refused", False)):
        ImportRun.create(kind="calendar" if name.endswith(".csv") else "oneroster", filename=name, user=admin,
                         source="upload", outcome=outcome, rows_read=200, finished_at=utcnow(),
                         undone_at=utcnow() if undone else None)
    User.update(language="es").where(User.id == admin.id).execute()
    context = browser.new_context(**PHONE, service_workers="block")
    page = context.new_page()
    login(page, live_server, admin)
    page.goto(f"{live_server}/admin/imports")
    page.wait_for_selector("html[lang=es]")
    shot(page, "es-phone-import-history-pills")
    assert page.locator(".pill", has_text="Aplicada").count() >= 2
    split = page.evaluate("""() => [...document.querySelectorAll('main .pill')].flatMap(pill => {
        const words = [];
        const walker = document.createTreeWalker(pill, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const match of node.data.matchAll(/[^\\s\\u00a0-]+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
            if (lines.size > 1) words.push(match[0]);
          }
        }
        return words;
    })""")
    assert split == []
    # none runs out of its cell (squeezed side by side, or cut off at the page's edge)
    assert page.evaluate("""() => [...document.querySelectorAll('main td .pill')].filter(pill =>
        pill.getBoundingClientRect().right > pill.closest('td').getBoundingClientRect().right + 0.5).length""") == 0
    context.close()
