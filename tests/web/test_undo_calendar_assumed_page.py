"""The page of a calendar import whose undo would leave the school year assumed says so before the undo, in
the reader's language: the year used to change to mid-August to mid-June without a word."""
from fieldapp.models import ImportRun
from tests.unit.test_undo_calendar_assumed_year import whole_then_part


def test_the_undo_of_the_whole_year_says_before_that_the_year_will_be_assumed(auth, login_as):
    login_as("admin")
    whole, part = whole_then_part()
    page = auth.client.get(f"/admin/imports/{whole.id}").get_data(as_text=True)
    assert "Undoing this import leaves a school year assumed, no calendar still applied giving it:" in page
    assert ("the district&#39;s calendar, 2025-26: no calendar still applied gives its First day and its Last day, "
            "so its school year is now assumed, Aug 18, 2025 to Jun 12, 2026") in page
    other = auth.client.get(f"/admin/imports/{part.id}").get_data(as_text=True)
    assert "leaves a school year assumed" not in other
    assert ImportRun.get_by_id(whole.id).undone_at is None


def test_it_is_said_in_spanish(auth, login_as):
    from fieldapp.models import User
    admin = login_as("admin")
    User.update(language="es").where(User.id == admin.id).execute()
    whole, _ = whole_then_part()
    page = auth.client.get(f"/admin/imports/{whole.id}").get_data(as_text=True)
    assert "Deshacer esta importación deja un año escolar supuesto, sin ningún calendario aplicado que lo dé:" in page
    assert ("el calendario del distrito, 2025-26: ningún calendario que sigue aplicado da su primer día ni su último "
            "día, así que ahora se supone su año escolar, del 18 ago 2025 al 12 jun 2026") in page
