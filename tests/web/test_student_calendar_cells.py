"""The attendance calendar's cells, made once per page in Python (web.i18n.say_days)
rather than by the template per day, read exactly as the template wrote them."""
import re

from fieldapp.models import ExcuseNoteDay
from tests.web.test_front_office import _absent_days, no_case  # noqa: F401
from tests.web.conftest import page_text

CELL = re.compile(r'<td class="day ([a-z_]+)( noted)?" title="([^"]*)"><span aria-hidden="true">(\d+)</span>'
                  r'<span class="vh">([^<]*)</span></td>')


def test_each_day_of_the_calendar_is_one_cell_its_title_said_twice(auth, login_as, no_case):
    student = no_case["student_c"]
    first, *_, last = _absent_days(student, 3)
    user = login_as("front_office")
    assert auth.post(f"/students/{student.id}/excuse-notes/new",
                     data={"first_day": first.isoformat(), "last_day": last.isoformat(),
                           "received_how": "phone", "from_whom": "Mother", "reason": "illness"}).status_code == 302
    noted = {d.date for d in ExcuseNoteDay.select()}
    for language, words in (("en", " · excuse note"), ("es", " · justificante")):
        user.language = language
        user.save()
        page = page_text(auth.client.get(f"/students/{student.id}"))
        rows = re.findall(r"<tr>(.*?)</tr>", page.split('class="months"')[1].split("</div>")[0])
        cells = [cell for row in rows for cell in re.findall(r"<td[^>]*>.*?</td>|<td></td>", row)]
        days = [CELL.fullmatch(c) for c in cells if c != "<td></td>"]
        assert days and all(days), [c for c in cells if c != "<td></td>" and not CELL.fullmatch(c)]
        marked = [d for d in days if d.group(2)]
        assert len(marked) == len(noted)
        for day in days:
            kind, is_noted, title, number, said = day.groups()
            assert title == said
            assert title.endswith(words) == bool(is_noted)


def test_no_piece_of_a_cell_is_read_as_markup(app):
    """Every piece say_days puts in a cell is escaped, its kind (the cell's
    class) and the excuse note's words too: a value cannot add markup."""
    import datetime

    from fieldapp.rules.yearview import Day, Month
    from fieldapp.web.i18n import say_days
    day = datetime.date(2025, 9, 3)
    months = [Month(day.replace(day=1), [[Day(day, 'present" onmouseover="alert(1)', "<b>Fiesta</b>")]])]
    with app.test_request_context("/"):
        cell = str(say_days(months, {day})[0].rows[0])
    assert "<b>" not in cell and 'onmouseover="' not in cell
    assert 'class="day present&#34; onmouseover=&#34;alert(1) noted"' in cell and "&lt;b&gt;Fiesta&lt;/b&gt;" in cell
