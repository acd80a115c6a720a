"""An Ed-Fi split day (Excused Absence 0.5 and Unexcused Absence 0.5 on one day, kept as an
excused partial day and a partial day of half the school day each) is read whole: the student
page's calendar says both parts of the day, in its cell and in the days listed under the months,
and the case report lists the day with both its parts."""
import datetime
import re

from fieldapp.documents import case_report
from fieldapp.models import AttendanceEvent
from fieldapp.rules.settings import from_config
from fieldapp.timefmt import local_today
from tests.documents_support import text_of
from tests.web.conftest import page_text

WORDS = {
    "en": ("In parts: Unexcused part of the day, {half} minutes; Excused part of the day, {half} minutes",
           "Part of the day excused, part not"),
    "es": ("En partes: Parte del día injustificada, {half} minutos; Parte del día justificada, {half} minutos",
           "Parte del día justificada y parte no"),
}


def _split_day(app, world):
    today, half = local_today(), from_config(app.config).school_day_minutes // 2
    day = next(today - datetime.timedelta(days=n) for n in range(1, 12)
               if (today - datetime.timedelta(days=n)).weekday() < 5)
    for category in ("excused_partial", "partial"):
        AttendanceEvent.create(student=world["student_a"], school=world["school_a"], date=day,
                               category=category, minutes=half)
    return day, half


def test_the_calendar_says_both_parts_of_a_split_day_in_its_cell_and_under_the_months(
        app, auth, login_as, world):
    day, half = _split_day(app, world)
    user = login_as("officer")
    for language, (parts, key) in WORDS.items():
        user.language = language
        user.save()
        page = page_text(auth.client.get(f"/students/{world['student_a'].id}"))
        said = parts.format(half=half)
        cell = re.search(rf'<td class="day (\w+)" title="[^":]*: ([^"]*)"><span aria-hidden="true">{day.day}</span>',
                         page.split(f'data-month="{day:%Y-%m}"')[1].split("</table>")[0])
        assert cell and cell.groups() == ("split", said), cell and cell.groups()
        listed = page.split('class="legend marked-days"')[1].split("</ul>")[0]
        assert '<span class="day split" aria-hidden="true"></span>' in listed and said in listed
        legend = page.split('<ul class="legend" aria-label=')[1].split("</ul>")[0]
        assert f'<span class="day split" aria-hidden="true"></span>{key}</li>' in legend


def test_the_case_report_lists_a_split_day_with_both_its_parts(app, world):
    day, half = _split_day(app, world)
    with app.app_context():
        facts = case_report.case_facts(world["case_a"], "CA", local_today())["attendance"]
    assert facts["days_in_parts"] == [{"day": day.strftime(case_report.DAY), "parts": [
        f"Excused partial day, {half} minutes", f"Partial, {half} minutes"]}]
    assert facts["missed_in_parts"] == 1
    month = next(m for m in facts["by_month"] if m["label"] == day.strftime("%b %Y"))
    assert (month["partial"], month["excused_parts"]) == (1, 1)
    with app.app_context():
        text = text_of(case_report.produce_case_report(world["officer"], world["case_a"], "CA"))
    assert f"{day.strftime(case_report.DAY)} Excused partial day, {half} minutes; Partial, {half} minutes" in text
    assert "1 day whose parts add up to the school day is counted as a day missed." in text
