"""Migration 0510 on history lines written before: the sentences the app
stored in English become codes and values, said in the reader's language;
what a person typed stays theirs, as they typed it."""

from fieldapp.cases.history_text import note_text, said_by_app
from fieldapp.db import database
from fieldapp.models import CaseEvent
from tests import factories
from tests.migration_support import migration

OLD = {
    "Account deactivated: the case waits in the unassigned queue.": ("", "account_deactivated"),
    "The officer no longer serves this school: the case waits in the unassigned queue.": ("", "school_removed"),
    "Three days (recorded without a letter on file)": ("Three days", "without_record"),
    "Transferred from Lincoln Elementary on Oct 3, 2025.": ("", "transferred"),
    "Import #7 (sept.csv) was undone; the case moved back with the student.": ("", "import_undone_moved_back"),
    "Import #7 (sept.csv) was undone; it had opened this case automatically.": ("", "import_undone_closed"),
    "Moved.\nClosed with the law's steps outstanding, confirmed: Refer to SARB (EC 48263): overdue since "
    "2025-11-25; Status: Habitual truant": ("Moved.", "closed_outstanding"),
    "Opened automatically: First truancy notification (EC 48260.5) became due on Sep 16, 2025; "
    "CA-2025-07-01.": ("", "opened_automatically"),
    "Account deactivated, I think": ("Account deactivated, I think", ""),  # typed by a person
}


def test_the_apps_english_sentences_become_codes_and_read_as_before(app):
    school = factories.gen_school("North")
    officer = factories.gen_user("officer", [school])
    case = factories.gen_case(factories.gen_student(school), officer)
    events = {note: CaseEvent.create(case=case, kind="assigned", note=note, by=officer) for note in OLD}
    with database.atomic():
        migration("0510_case_event_note_code.py").convert(database)
    for note, (typed, code) in OLD.items():
        event = CaseEvent.get_by_id(events[note].id)
        assert (event.note, event.note_code) == (typed, code), note
        if code != "closed_outstanding":
            assert note_text(event) == note  # the same words, now in the reader's language on screen
    closed = CaseEvent.get_by_id(events[next(n for n in OLD if "outstanding" in n)].id)
    assert str(said_by_app(closed)) == ("Closed with the law's steps outstanding, confirmed: Refer to SARB "
                                        "(EC 48263): overdue since Nov 25, 2025; Status: Habitual truant")
    moved = CaseEvent.get_by_id(events["Transferred from Lincoln Elementary on Oct 3, 2025."].id)
    assert said_by_app(moved).values["school"] == "Lincoln Elementary"
