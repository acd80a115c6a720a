"""The top bar at a desk (1280x800): where its links take more than one row
(the supervisor's and the administrator's, in Spanish), a row that wraps
starts at the left; it was spread across the width, "Cuenta" alone in the
middle of the second row."""
import pytest

from fieldapp.models import User
from tests.browser.conftest import login

# Each row of the bar's links: [row top, left of its first link and right of its last, from the bar's left].
ROWS_JS = """() => {
  const bar = document.querySelector('header.bar'), rows = {};
  for (const a of bar.querySelectorAll('a, button')) {
    const box = a.getBoundingClientRect();
    if (!box.width) continue;
    const top = Math.round(box.top), row = rows[top] ?? [1e9, 0];
    rows[top] = [Math.min(row[0], box.left), Math.max(row[1], box.right)];
  }
  const left = bar.getBoundingClientRect().left;
  return Object.entries(rows).map(([top, [x, y]]) => [Number(top), x - left, y - left]).sort((a, b) => a[0] - b[0]);
}"""


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_a_wrapped_row_of_the_bar_starts_at_the_left(world, live_server, phone, who):
    user = world[who]
    User.update(language="es").where(User.id == user.id).execute()
    page = phone.browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block").new_page()
    login(page, live_server, user)
    page.goto(live_server + "/supervisor/contacts")
    rows = page.evaluate(ROWS_JS)
    assert len(rows) > 1  # Spanish words take two rows or more here
    # the account's row (Su trabajo, Cuenta, Cerrar sesión) starts at the left, its links side by side
    top, left, right = rows[-1]
    assert left < 40 and right < 500, rows
