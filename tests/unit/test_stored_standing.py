"""A stored standing always equals a recomputation from the record, whatever
changed since it was stored: attendance marks, contacts and letters, stages,
flags, enrolments, a transfer, a school calendar, a rule setting."""
import dataclasses
import datetime
import json
import re
import uuid

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from peewee import fn

from fieldapp.cases import contacts, lifecycle
from fieldapp.db import database, is_postgres
from fieldapp.models import (
    AttendanceEvent, CalendarDay, Case, Enrollment, SchoolCalendar, StandingTally, Student, StudentStanding,
)
from fieldapp.rules import stored, worklist
from fieldapp.rules.calendar import assumed_calendar
from fieldapp.rules.engine import Result, StepResult
from fieldapp.rules.settings import RuleSettings
from fieldapp.rules.standing import standings
from fieldapp.timefmt import local_today, school_year_of, to_utc
from tests import factories

TODAY = local_today()
YEAR = assumed_calendar(school_year_of(TODAY))
if YEAR.first_day > TODAY:  # summer: the school year that ended
    YEAR = assumed_calendar(school_year_of(TODAY - datetime.timedelta(days=90)))
ON_DAY = min(TODAY, YEAR.last_day)
PAST_DAYS = [d for d in YEAR.days if d <= ON_DAY][-60:]
SETTINGS = {
    "plain": RuleSettings(state="CA"),
    "lower": RuleSettings(state="CA", thresholds={"ca_first_notice": 2}),
    "texas": RuleSettings(state="TX"),
}
MARK = st.sampled_from([("unexcused", 0), ("excused", 0), ("tardy", 45), ("partial", 200)])
CONTACT = st.sampled_from([("letter", "no_answer"), ("phone", "reached_parent"),
                           ("conference", "reached_parent"), ("home_visit", "notice_at_door")])
OPS = st.one_of(
    st.tuples(st.just("mark"), st.integers(0, 2), st.sampled_from(PAST_DAYS), MARK),
    st.tuples(st.just("unmark"), st.integers(0, 2)),
    st.tuples(st.just("contact"), st.integers(0, 1), st.sampled_from(PAST_DAYS), CONTACT),
    # A call the front office logs without a case: a record of contact, not a legal step.
    st.tuples(st.just("office_call"), st.integers(0, 2), st.sampled_from(PAST_DAYS)),
    st.tuples(st.just("stage"), st.integers(0, 1), st.sampled_from(["first_notice", "conference", "referral"])),
    st.tuples(st.just("flag"), st.integers(0, 1)),
    st.tuples(st.just("enrol"), st.integers(0, 2), st.sampled_from(PAST_DAYS)),
    st.tuples(st.just("transfer"), st.integers(0, 2)),
    st.tuples(st.just("born"), st.integers(0, 2), st.sampled_from([datetime.date(2008, 1, 5), datetime.date(2019, 9, 1),
                                                                 datetime.date(2014, 3, 2), None])),
    st.tuples(st.just("grade"), st.integers(0, 2), st.sampled_from(["K", "3", "9", "12"])),
    st.tuples(st.just("holiday"), st.sampled_from(PAST_DAYS)),
    st.tuples(st.just("settings"), st.sampled_from(sorted(SETTINGS))),
    st.tuples(st.just("read"),),
)


def _world():
    school, other = factories.gen_school(), factories.gen_school()
    officer = factories.gen_user("officer", schools=[school, other])
    front = factories.gen_user("front_office", schools=[school])
    students = [factories.gen_student(school, first=f"S{i}") for i in range(3)]
    cases = [factories.gen_case(s, officer) for s in students[:2]]
    return {"school": school, "other": other, "officer": officer, "front": front, "students": students,
            "cases": cases}


def _apply(world, op, state):
    kind, students, cases = op[0], world["students"], world["cases"]
    if kind == "mark":
        _, i, day, (category, minutes) = op
        AttendanceEvent.create(student=students[i], school=students[i].school_id, date=day,
                               category=category, minutes=minutes)
    elif kind == "unmark":
        first = AttendanceEvent.select().where(AttendanceEvent.student == students[op[1]]).first()
        if first:
            first.delete_instance()
    elif kind == "contact":
        _, i, day, (method, outcome) = op
        contacts.log_contact(world["officer"], Case.get_by_id(cases[i].id), _contact(method, outcome, day),
                             uuid.uuid4())
    elif kind == "office_call":
        _, i, day = op
        contacts.log_contact(world["front"], None, _contact("phone", "reached_parent", day), uuid.uuid4(),
                             student=students[i])
    elif kind == "stage":
        case = Case.get_by_id(cases[op[1]].id)
        if case.stage != op[2]:
            lifecycle.change_stage(world["officer"], case, {"stage": op[2], "note": "Moved on.", "without_record": "yes"})
    elif kind == "flag":
        Case.update(flags="homeless").where(Case.id == cases[op[1]].id).execute()
    elif kind == "enrol":
        student = students[op[1]]
        Enrollment.create(student=student, school=world["other"], begin_date=PAST_DAYS[0],
                          end_date=op[2])
        Enrollment.create(student=student, school=student.school_id, begin_date=op[2])
    elif kind == "transfer":
        student = Student.get_by_id(students[op[1]].id)
        student.school = world["other"] if student.school_id == world["school"].id else world["school"]
        student.save()
    elif kind in ("born", "grade"):
        field = {"born": Student.birth_date, "grade": Student.grade}[kind]
        Student.update({field: op[2]}).where(Student.id == students[op[1]].id).execute()
    elif kind == "holiday":
        calendar = SchoolCalendar.create(school=world["school"], school_year=YEAR.school_year,
                                         first_day=YEAR.first_day, last_day=YEAR.last_day)
        CalendarDay.create(calendar=calendar, date=op[1], kind="holiday", name="Snow day")
    elif kind == "settings":
        state["settings"] = SETTINGS[op[1]]
    elif kind == "read":
        stored.standings_of(state["settings"], ON_DAY, [s.id for s in students])


def _contact(method, outcome, day):
    return {"method": method, "outcome": outcome, "reasons": [], "people_present": [], "notes": "",
            "follow_up_on": None, "interpreter_used": False, "language": "", "latitude": None,
            "longitude": None, "occurred_at": to_utc(datetime.datetime.combine(day, datetime.time(10)))}


def _seen(result):
    """Everything the engine said of a student, as pages and lists read it:
    every field, every step's, the derived properties and days left."""
    skip = {"calendar", "events", "case", "version", "steps", "status"}
    fields = {f.name: stored.encode(getattr(result, f.name)) for f in dataclasses.fields(Result)
              if f.name not in skip}
    steps = [(s.step.code, {f.name: stored.encode(getattr(s, f.name)) for f in dataclasses.fields(StepResult)
                            if f.name != "step"}) for s in result.steps]
    return {
        **fields, "steps": steps, "status": result.status_label,
        "next": result.next_step.step.code if result.next_step else None,
        "upcoming": result.upcoming.code if result.upcoming else None,
        "blocked": [s.step.code for s in result.blocked_steps],
        "pending": [(s.step.code, result.school_days_left(s)) for s in result.steps if s.pending],
        "why_nothing_due": stored.encode(list(result.why_nothing_due)),
        "not_counted": stored.encode(list(result.not_counted)),
        "version": result.version.version_id, "flags": sorted(result.case.flags) if result.case else [],
    }


def _tally_is_a_recount():
    """The counts the database keeps of the fresh rows (StandingTally,
    migration 0260) are what counting the rows gives; and so whether every
    active student has a fresh row (stored.all_fresh, which reads the tally)
    is what counting the rows says, for the district and for each school."""
    kept = {(str(t.as_of), t.rules_key, t.school_id, t.band, t.section, t.due): t.students
            for t in StandingTally.select()}
    for as_of, key in {(t.as_of, t.rules_key) for t in StandingTally.select()}:
        for schools in [None] + [[school_id] for (school_id,) in Student.select(Student.school).distinct().tuples()]:
            active = Student.select().where(Student.active == True)  # noqa: E712
            if schools is not None:
                active = active.where(Student.school.in_(schools))
            counted = stored.fresh_rows(key, as_of, schools).count() == active.count()
            assert stored.all_fresh(key, as_of, schools) == counted, (as_of, key, schools)
    recount = {}
    for row in StudentStanding.select().where(StudentStanding.stale == False):  # noqa: E712
        key = (str(row.as_of), row.rules_key, row.school_id, row.band, row.section or "",
               row.next_due_on.isoformat() if row.next_due_on else "")
        recount[key] = recount.get(key, 0) + 1
    assert kept == recount


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(OPS, max_size=14))
def test_a_stored_standing_equals_a_recomputation(app, ops):
    with database.atomic() as transaction:
        world, state = _world(), {"settings": SETTINGS["plain"]}
        stored.standings_of(state["settings"], ON_DAY, [s.id for s in world["students"]])
        for op in ops:
            _apply(world, op, state)
            _tally_is_a_recount()
        ids = [s.id for s in world["students"]]
        kept = stored.standings_of(state["settings"], ON_DAY, ids)
        _tally_is_a_recount()
        fresh = standings(state["settings"], ON_DAY, student_ids=ids)
        assert set(kept) == set(fresh) == set(ids)
        for sid in ids:
            assert _seen(kept[sid]) == _seen(fresh[sid]), f"student {sid} after {ops}"
        _cards_say_what_the_standings_say(state["settings"], ids)
        transaction.rollback()


def _card_of(result):
    """What the caseload's card shows of a standing, as the full Result says it."""
    step = result.next_step
    return (repr(result.percent_missed), result.band, str(result.status_label),
            str(step.step.label) if step else None, step is not None and result.school_days_left(step) < 0)


def _cards_say_what_the_standings_say(rules, ids):
    """card_standings, read from the stored rows' columns alone, equals what
    the decoded standing says, for every student (on their school's today)."""
    cards = stored.card_standings(rules, ids)
    full = stored.standings_of(rules, None, ids)
    assert set(cards) == set(full) == set(ids)
    for sid in ids:
        card = cards[sid]
        said = (repr(card.percent_missed), card.band, str(card.status_label),
                str(card.next_step_label) if card.next_step_label else None, card.overdue)
        assert said == _card_of(full[sid]), f"student {sid}"
    return [_card_of(full[sid]) for sid in ids]


def test_a_change_marks_the_row_stale_and_a_read_refreshes_it(app):
    world = _world()
    student, rules = world["students"][0], SETTINGS["plain"]
    before = stored.standing_for(rules, student, ON_DAY)
    assert before.counts["year"] == 0
    row = StudentStanding.get_by_id(student.id)
    assert not row.stale and row.as_of == ON_DAY
    for day in PAST_DAYS[-3:]:
        AttendanceEvent.create(student=student, school=student.school_id, date=day, category="unexcused")
    assert StudentStanding.get_by_id(student.id).stale
    after = stored.standing_for(rules, student, ON_DAY)
    assert after.counts["year"] == 3 and after.status is not None
    assert not StudentStanding.get_by_id(student.id).stale
    # read back from the row, the same as computed
    assert _seen(stored.standing_for(rules, student, ON_DAY)) == _seen(after)


def test_a_contact_without_a_case_and_a_contact_deleted_mark_the_standing_stale(app):
    """Whether or not its case is touched: on SQLite the contact's own triggers
    were lost in a rebuild of its table, and only a case's UPDATE marked it."""
    world = _world()
    student, rules = world["students"][2], SETTINGS["plain"]  # no case
    stored.standing_for(rules, student, ON_DAY)
    call = contacts.log_contact(world["front"], None, _contact("phone", "reached_parent", PAST_DAYS[-1]),
                                uuid.uuid4(), student=student)[0]
    assert StudentStanding.get_by_id(student.id).stale
    stored.standing_for(rules, student, ON_DAY)
    call.delete_instance()
    assert StudentStanding.get_by_id(student.id).stale


def test_a_cases_derived_counts_alone_leave_its_standing_fresh_and_any_other_column_marks_it(app):
    """The count, last contact and follow-up a case keeps are moved on with the
    contacts that mark the standing stale themselves; the standing reads none
    of them, so writing them alone (as each phone's chunk does for up to 50
    cases) leaves it fresh. Writing any other column marks it stale."""
    world = _world()
    student, case, rules = world["students"][0], world["cases"][0], SETTINGS["plain"]
    stored.standing_for(rules, student, ON_DAY)
    Case.update(contact_count=Case.contact_count + 1, last_contact_at=datetime.datetime(2026, 1, 5, 15),
                next_follow_up=ON_DAY).where(Case.id == case.id).execute()
    assert not StudentStanding.get_by_id(student.id).stale
    for column, value in (("flags", "homeless"), ("status", "closed"), ("school_year", "1999-00")):
        Case.update({getattr(Case, column): value, Case.contact_count: 0}).where(Case.id == case.id).execute()
        assert StudentStanding.get_by_id(student.id).stale, column
        stored.standing_for(rules, student, ON_DAY)
        assert not StudentStanding.get_by_id(student.id).stale


def test_the_cases_standing_trigger_watches_every_column_but_the_derived_counts(app):
    """A column added to the case table is one the standing may read: its
    trigger (migration 0690) must name it, or an UPDATE of it alone would
    leave the standing stale unmarked."""
    columns = {c.name for c in database.get_columns("case")}
    if is_postgres():
        definition = database.execute_sql(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'standing_stale_case'").fetchone()[0]
    else:
        definition = database.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                          "AND name = 'standing_stale_case_update'").fetchone()[0]
    watched = re.search(r"UPDATE OF (.*?) ON ", definition).group(1)
    assert {name.strip().strip('"') for name in watched.split(",")} == \
        columns - {"contact_count", "last_contact_at", "next_follow_up"}


def test_the_worklist_read_from_stored_rows_lists_what_a_recomputation_lists(app):
    world, rules = _world(), SETTINGS["plain"]
    for i, student in enumerate(world["students"]):
        for day in PAST_DAYS[-(3 + 2 * i):]:
            AttendanceEvent.create(student=student, school=student.school_id, date=day, category="unexcused")
    listing = worklist.build(rules, ON_DAY, [world["school"].id])
    fresh = standings(rules, ON_DAY, school_ids=[world["school"].id])
    expected = {sid for sid, r in fresh.items() if r.next_step or r.blocked_steps}
    assert {item.student.id for item in listing.items} == expected
    assert sum(listing.totals.values()) == len(expected)
    for item in listing.items:
        assert item.step.step.code == (fresh[item.student.id].next_step.step.code)
        assert item.days_left == fresh[item.student.id].school_days_left(fresh[item.student.id].next_step)
    streamed = [i.student.id for _, _, items in worklist.stream(rules, ON_DAY, [world["school"].id])
                for i in items]
    assert streamed == [i.student.id for i in listing.items]


def test_a_page_of_students_is_checked_for_fresh_rows_by_id_not_from_every_active_student(app):
    """The caseload asks whether its page's students have fresh rows. With
    "active" and the schools in that query, SQLite without statistics started
    from the index on student (active, school_id): every active student of the
    district (20 ms a caseload page on 100,000 students). It starts from the ids
    and still leaves out an inactive student."""
    from fieldapp.db import is_postgres
    world, rules = _world(), SETTINGS["plain"]
    gone = factories.gen_student(world["school"], first="Gone", active=False)
    present = world["students"]
    ids = [s.id for s in present] + [gone.id]
    stored.standing_for(rules, present[0], ON_DAY)  # one fresh row
    statements = []
    hook = lambda event: statements.append((event.sql, event.params))  # noqa: E731
    database.obj.query_hooks.append(hook)
    try:
        found = stored.needing_refresh(rules, ON_DAY, student_ids=ids)
        in_schools = stored.needing_refresh(rules, ON_DAY, school_ids=[world["school"].id, world["other"].id],
                                            student_ids=ids)
    finally:
        database.obj.query_hooks.remove(hook)
    assert sorted(found) == sorted(in_schools) == sorted(s.id for s in present[1:])
    if is_postgres():
        return
    checks = [(sql, params) for sql, params in statements
              if sql.startswith('SELECT "t1"."id"') and "student_standing" in sql]
    assert len(checks) == 2
    for sql, params in checks:
        plan = " | ".join(row[3] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall())
        assert "SEARCH t1 USING INTEGER PRIMARY KEY" in plan, plan


def test_the_district_figures_from_the_tally_equal_a_count_of_the_fresh_rows(app):
    """The dashboard's bands and legal steps by school, and the counts of the
    band lists, read from the tally, are what counting the stored rows gives,
    after a refresh, a change that makes rows stale, and a student deleted."""
    from fieldapp.students import bands
    world, rules = _world(), SETTINGS["plain"]
    students = world["students"] + [factories.gen_student(world["other"], first=f"T{i}") for i in range(3)]
    for student in students[:4]:
        for day in PAST_DAYS[-5:]:
            AttendanceEvent.create(student=student, school=student.school_id, date=day, category="unexcused")

    def recount():
        overdue, this_week = bands._step_sums(StudentStanding)
        figures = {}
        for band, school_id, n, late, soon in (
                bands.fresh(rules).select(StudentStanding.band, StudentStanding.school_id,
                                          fn.COUNT(StudentStanding.student), overdue, this_week)
                .group_by(StudentStanding.band, StudentStanding.school_id).tuples()):
            row = figures.setdefault(school_id, {"bands": {}, "steps_overdue": 0, "steps_this_week": 0})
            row["bands"][band] = n
            row["steps_overdue"] += late or 0
            row["steps_this_week"] += soon or 0
        return figures

    for change in ("refresh", "stale", "delete"):
        if change == "refresh":
            stored.ensure_fresh(rules)
        elif change == "stale":
            AttendanceEvent.create(student=students[0], school=students[0].school_id, date=PAST_DAYS[-1],
                                   category="unexcused", minutes=0)
        else:
            Student.delete_by_id(students[-1].id)
        _tally_is_a_recount()
        assert bands._by_school(rules) == recount(), change
        assert sum(n for row in recount().values() for n in row["bands"].values()) > 0
        for school in (world["school"], world["other"]):
            for band in (None, "satisfactory", "severe"):
                assert bands.students(rules, school.id, band)[1] == bands.students(rules, school.id, band)[0].count()


def _varied_district(world):
    """Students in most sections of today's worklist: overdue, crossed on the
    last school day, due soon, nothing due because of age or an excused part
    of a day, a homeless student's step in Texas; with and without an open
    case, names sharing due days; and one with no marks."""
    school, other = world["school"], world["other"]
    more = [factories.gen_student(s, first=first, last=last, **extra) for s, first, last, extra in (
        (school, "Ana", "Zúñiga", {}), (school, "Luis", "Álvarez", {}), (other, "Eva", "Álvarez", {}),
        (school, "Kai", "Moe", {"grade": "KG"}),
        (other, "Tom", "Ng", {}), (other, "Ida", "Bell", {}), (other, "Noé", "Ríos", {}))]
    students = world["students"] + more
    Student.update(birth_date=TODAY.replace(year=TODAY.year - 5, day=1)).where(Student.id == more[3].id).execute()
    world["cases"].append(factories.gen_case(more[2], world["officer"]))
    Case.update(flags="homeless").where(Case.id == world["cases"][1].id).execute()
    marks = {0: PAST_DAYS[:3], 1: PAST_DAYS[-16:], 2: PAST_DAYS[-3:], 3: PAST_DAYS[-3:], 4: PAST_DAYS[:3],
             5: PAST_DAYS[-40:-30], 6: PAST_DAYS[-6:-3], 9: PAST_DAYS[-4:-1]}
    for i, days in marks.items():
        for day in days:
            AttendanceEvent.create(student=students[i], school=students[i].school_id, date=day, category="unexcused")
    AttendanceEvent.create(student=students[7], school=students[7].school_id, date=PAST_DAYS[-2],
                           category="excused_tardy", minutes=60)
    for case, day, method in ((2, PAST_DAYS[-35], "letter"), (1, PAST_DAYS[-2], "letter"),
                              (1, PAST_DAYS[-2], "conference")):
        _apply(world, ("contact", case, day, (method, "reached_parent")), {})
    return students


@pytest.mark.parametrize("state", ["CA", "TX"])
def test_the_command_lines_of_todays_worklist_equal_the_pages_items(app, monkeypatch, state):
    """`flask worklist --json` makes today's lines straight from the stored
    rows (a cursor, no model objects, no decoded Result): each line equals the
    page's item (WorkItem.as_dict), in the page's order, in every section."""
    from fieldapp.rules.settings import from_config
    monkeypatch.setitem(app.config, "STATE", state)
    world = _world()
    _varied_district(world)
    rules = from_config(app.config)
    answer = app.test_cli_runner().invoke(args=["worklist", "--json"])
    assert answer.exit_code == 0, answer.output
    lines = [json.loads(line) for line in answer.output.splitlines()]
    page = worklist.build(rules, None, None)
    assert not page.computed
    assert lines == [item.as_dict() for item in page.items]
    sections = {line["section"] for line in lines}
    assert any(line.get("crossed") and line["triggered_on"] == stored.since_day(TODAY).isoformat()
               for line in lines)  # crossed on the last school day: new
    assert {"overdue", "new"} <= sections and len(sections) >= 3 and any(line.get("case_id") for line in lines)
    assert state == "TX" or "not_counted" in sections  # California's compulsory age (EC 48200)
    # 25.0915(a-3): a homeless student's court referral gives way to counseling
    assert state == "CA" or "tx_additional_counseling" in {line.get("next_step") for line in lines}
    streamed = [item.as_dict() for _, _, items in worklist.stream(rules, None, None) for item in items]
    assert [line["student_id"] for line in streamed] == [line["student_id"] for line in lines]


@pytest.mark.parametrize("state", ["CA", "TX"])
def test_a_caseload_card_shows_what_the_stored_standing_says(app, monkeypatch, state):
    """The caseload's cards read only the stored rows' columns (no decoded
    Result): the share missed, band, status, next step and whether it is
    overdue are what the whole standing says, in every worklist section."""
    from fieldapp.rules.settings import from_config
    monkeypatch.setitem(app.config, "STATE", state)
    world = _world()
    students = _varied_district(world)
    shown = _cards_say_what_the_standings_say(from_config(app.config), [s.id for s in students])
    assert any(overdue for *_, overdue in shown) and any(step and not overdue for *_, step, overdue in shown)
    assert any(step is None for *_, step, _ in shown)


def test_a_large_refresh_leaves_postgresql_planning_from_the_rows_it_wrote(app, monkeypatch):
    """A refresh that rewrites many standings at once tells PostgreSQL's
    planner (ANALYZE), which autovacuum may not do in time: planned from the
    rows before, the bench district's worklist took 2.0 s instead of 0.14 s.
    SQLite keeps no statistics unless told to, and plans without them."""
    monkeypatch.setattr(stored, "ANALYZE_AFTER", 25)
    school = factories.gen_school()
    students = [factories.gen_student(school, first=f"Ana{n}") for n in range(30)]
    assert stored.refresh(RuleSettings(), ON_DAY, [s.id for s in students]) == 30
    assert StudentStanding.select().count() == 30
    if is_postgres():
        estimate = database.execute_sql(
            "SELECT reltuples FROM pg_class WHERE relname = 'student_standing'").fetchone()[0]
        assert estimate == 30
