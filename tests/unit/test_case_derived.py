"""A case's derived fields (how many contacts, the last one, the next
follow-up), moved on contact by contact or by a phone's chunk, always equal
what the case's whole history gives."""
import datetime
import uuid

from hypothesis import HealthCheck, given, settings, strategies as st

from fieldapp.cases import contacts
from fieldapp.db import database
from fieldapp.models import Case, User
from fieldapp.sync import store
from fieldapp.timefmt import local_today
from tests import factories

NOW = datetime.datetime(2026, 1, 1, 12)
TIMES = st.sampled_from([NOW - datetime.timedelta(hours=h) for h in (0, 0, 1, 5, 30, 30, 200)])
FOLLOW_UP = st.sampled_from([None, local_today(), local_today() + datetime.timedelta(days=3)])
STEP = st.one_of(
    st.tuples(st.just("log"), TIMES, FOLLOW_UP),
    st.tuples(st.just("chunk"), st.lists(st.tuples(TIMES, FOLLOW_UP), min_size=1, max_size=4)),
    st.tuples(st.just("amend"), TIMES, FOLLOW_UP),
)


def _clean(when, follow_up):
    return {"method": "phone", "outcome": "no_answer", "reasons": [], "people_present": [], "notes": "",
            "follow_up_on": follow_up, "interpreter_used": False, "language": "", "latitude": None,
            "longitude": None, "occurred_at": when}


def _derived(case_id):
    case = Case.get_by_id(case_id)
    return case.contact_count, case.last_contact_at, case.next_follow_up


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=8))
def test_derived_fields_moved_on_equal_those_derived_from_the_history(app, steps):
    with database.atomic() as transaction:
        school = factories.gen_school()
        officer = factories.gen_user("officer", schools=[school])
        case = factories.gen_case(factories.gen_student(school), officer)
        for kind, *args in steps:
            case = Case.get_by_id(case.id)
            if kind == "log":
                contacts.log_contact(officer, case, _clean(*args), uuid.uuid4())
            elif kind == "chunk":
                store.store_new(User.get_by_id(officer.id),
                                [(case, _clean(when, due), uuid.uuid4()) for when, due in args[0]])
            else:
                latest = contacts.effective_contacts(case).first()
                if latest is not None:
                    contacts.log_contact(officer, case, _clean(*args), uuid.uuid4(), amends=latest,
                                         amendment_reason="Wrong time.")
            moved_on = _derived(case.id)
            contacts.refresh_case(Case.get_by_id(case.id))
            assert moved_on == _derived(case.id), steps
        transaction.rollback()


def test_moving_a_full_tables_cases_on_mostly_leaves_their_indexes_alone(world):
    """A case row is updated for every contact stored on it. On PostgreSQL a
    new version that fits on its row's page is a heap-only update (no entry in
    any of the table's indexes); with the pages filled to the brim (the table
    as seeded or imported) nearly every update took an entry in each of its
    17 indexes (migration 0620)."""
    from fieldapp.db import is_postgres
    from fieldapp.models import Contact
    base = Case.get_by_id(world["case_a"].id).__data__
    rows = [{**{k: v for k, v in base.items() if k != "id"}, "status": "closed", "closed_at": NOW,
             "closure_note": "Closed after the family moved. " * 4} for _ in range(150)]
    Case.insert_many(rows).execute()
    cases = list(Case.select().where(Case.status == "closed"))
    with database.atomic():
        contacts.add_to_cases({case: [Contact(occurred_at=NOW, follow_up_on=None)] for case in cases})
        if not is_postgres():  # SQLite rewrites a row where it is, and keeps no such count
            return
        heap_only = database.execute_sql(
            "SELECT pg_stat_get_xact_tuples_hot_updated('\"case\"'::regclass)").fetchone()[0]
    assert heap_only >= len(cases) // 3, f"{heap_only} of {len(cases)} updates were heap-only"
    assert all(case.contact_count == base["contact_count"] + 1 for case in Case.select().where(Case.status == "closed"))
