"""What a person is told when the letters they asked for were made meanwhile
by someone else: two tabs of the day's list printing the same letters, a
case's letter page left open while the batch printed it. Nothing is made
twice, and the page says by whom, when and where the letters are."""
import re

from fieldapp.models import Contact, Letter
from tests import documents_support as support
from tests.jobs_support import post_job
from tests.web.conftest import page_text


def _ticks(page):
    return re.findall(r'name="case" value="([^"]+)" checked', page)


def test_the_second_tab_printing_the_same_letters_says_they_were_made_and_offers_them(
        client, auth, world, login_as):
    ava, ben = (support.gen_truant_case(world["school_a"], world["officer"], first, "Brown")
                for first in ("Ava", "Ben"))
    login_as("supervisor")
    school = world["school_a"].id
    first_tab = page_text(client.get(f"/letters/due?school={school}"))
    second_tab = page_text(client.get(f"/letters/due?school={school}"))
    assert len(_ticks(first_tab)) == 2 and _ticks(first_tab) == _ticks(second_tab)
    first = post_job(auth, "/letters/due", {"school": school, "ticks": "1", "case": _ticks(first_tab)})
    second = post_job(auth, "/letters/due", {"school": school, "ticks": "1", "case": _ticks(second_tab)})
    assert first.result["letters"] == 2 and second.result["letters"] == 0
    assert Letter.select().count() == 2 and Contact.select().where(Contact.method == "letter").count() == 2
    page = " ".join(page_text(client.get(f"/jobs/{second.id}")).split())
    document = first.result["document_id"]
    assert "No letter was made." in page
    assert re.search(rf"2 ticked letters were already made by {world['supervisor'].name} at .+?, "
                     rf"in document {document}\. <a href=\"/documents/{document}\"[^>]*>Open it</a>", page), page
    assert "now owe other letters" not in page and "Ready." not in page
    assert "<li>Ava Brown</li><li>Ben Brown</li>" in page


def test_a_case_letter_page_left_open_while_the_batch_printed_it_refuses_a_second(
        client, auth, world, login_as):
    ava = support.gen_truant_case(world["school_a"], world["officer"], "Ava", "Brown")
    login_as("officer")
    form = page_text(client.get(f"/cases/{ava.id}/letters/new"))
    owed = re.search(r'name="owed" value="([^"]+)"', form).group(1)
    assert owed.startswith("first_notice:")
    batch = post_job(auth, "/letters/due", {"school": world["school_a"].id})
    assert batch.result["letters"] == 1
    answer = auth.post(f"/cases/{ava.id}/letters/new", data={
        "kind": "first_notice", "language": "en", "guardian": "", "letter_date": "", "owed": owed})
    page = " ".join(page_text(answer).split())
    assert answer.status_code == 409
    assert f"Truancy notification for Ava Brown was already made by {world['officer'].name} at " in page
    assert f'href="/documents/{batch.result["document_id"]}">Open it</a>' in page
    assert Letter.select().count() == 1
