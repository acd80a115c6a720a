"""Seed a demo district: schools, families, a school year of attendance,
cases at every stage and contacts of every method and outcome.

Deterministic for a given seed, so screenshots and benchmarks repeat.
"""
import datetime
import random
import uuid

from faker import Faker

from fieldapp import codes
from fieldapp.accounts.passwords import hash_password
from fieldapp.cases.lifecycle import close_case
from fieldapp.db import database
from fieldapp.demo.notes import note_for
from fieldapp.demo.paperwork import seed_paperwork
from fieldapp.models import (
    AttendanceEvent, Case, CaseEvent, Contact, FollowUp, Guardian, School, Student,
    StudentGuardian, StudentSearchTerm, User, UserSchool, utcnow,
)
from fieldapp.names import sort_key
from fieldapp.rules.settings import RuleSettings
from fieldapp.students.attendance import school_days
from fieldapp.students.search import student_terms
from fieldapp.timefmt import local_today, school_year_of, school_year_start, to_local, to_utc

DEMO_PASSWORD = "field-demo-2026!"
SCHOOLS = [
    ("sch-1", "Lincoln Elementary", ("K", "1", "2", "3", "4", "5")),
    ("sch-2", "César Chávez Elementary", ("K", "1", "2", "3", "4", "5")),
    ("sch-3", "Riverside Middle School", ("6", "7", "8")),
    ("sch-4", "Riverside High School", ("9", "10", "11", "12")),
]
# Where a family reaches each school: every letter prints it.
SCHOOL_CONTACTS = {
    "sch-1": ("4150 Lincoln Ave, Riverside, CA 92503", "(555) 410-2100"),
    "sch-2": ("2500 Chávez St, Riverside, CA 92507", "(555) 410-2200"),
    "sch-3": ("1880 Arlington Ave, Riverside, CA 92506", "(555) 410-2300"),
    "sch-4": ("6070 Magnolia Ave, Riverside, CA 92506", "(555) 410-2400"),
}
# The officers' work phones, printed beside their names on letters.
USER_PHONES = {"officer@demo.fieldapp.test": "(555) 410-3101", "officer2@demo.fieldapp.test": "(555) 410-3102"}
DEMO_USERS = [
    ("officer@demo.fieldapp.test", "Olivia Ortiz", "officer", ("sch-1", "sch-2", "sch-3")),
    ("officer2@demo.fieldapp.test", "Marcus Reed", "officer", ("sch-4",)),
    ("frontoffice@demo.fieldapp.test", "Fran Nguyen", "front_office", ("sch-1",)),
    ("supervisor@demo.fieldapp.test", "Sam Patel", "supervisor", ()),
    ("admin@demo.fieldapp.test", "Alex Kim", "admin", ()),
]
BATCH = 1000


def logins():
    return [(email, DEMO_PASSWORD, role) for email, _, role, _ in DEMO_USERS]


def _insert(model, rows, progress=None, step=""):
    for start in range(0, len(rows), BATCH):
        model.insert_many(rows[start:start + BATCH]).execute()
        if progress:
            progress(min(start + BATCH, len(rows)), len(rows), step)


def _quiet(done, total, step=""):
    """Progress nobody follows."""


def _phone(rng):
    return f"(555) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}"


def seed(students=2000, seed_value=2026, today=None, attendance=True, progress=None, settings=None):
    """Fill an empty database with a demo district. Returns counts.
    progress(done, total, step), when given, hears how far each step has
    gone (students made, attendance rows stored, students given cases).
    settings: the RuleSettings whose law the cases' paperwork follows (CA by default)."""
    progress = progress or _quiet
    settings = settings or RuleSettings()
    rng = random.Random(seed_value)
    today = today or local_today()
    fakers = demo_fakers(seed_value)
    with database.atomic():
        schools = _seed_schools()
        users = _seed_users(schools)
        kids = _seed_families(rng, fakers, schools, students, school_year_start(today), progress)
    events = _seed_attendance(rng, kids, today, progress) if attendance else {}
    with database.atomic():
        cases, climbs, closing = _seed_cases(rng, fakers["en"], kids, events, users, schools, today, progress)
        made = seed_paperwork(random.Random(seed_value + 1), climbs, settings, today, progress)
        for officer, case, reason in closing:
            close_case(officer, case, {"closure_reason": reason})
    return {"schools": len(schools), "students": len(kids), "cases": cases, **made,
            "attendance_events": sum(len(v) for v in events.values())}


def _seed_schools():
    return {sid: School.create(sourced_id=sid, name=name, district="Riverside Unified",
                               address=SCHOOL_CONTACTS[sid][0], phone=SCHOOL_CONTACTS[sid][1])
            for sid, name, _ in SCHOOLS}


def _seed_users(schools):
    users = {}
    password = hash_password(DEMO_PASSWORD)
    for email, name, role, school_ids in DEMO_USERS:
        user = User.create(email=email, name=name, role=role, password_hash=password,
                           phone=USER_PHONES.get(email, ""))
        for sid in school_ids:
            UserSchool.create(user=user, school=schools[sid])
        users[email] = user
    return users


def _birth_date(rng, grade, year_start):
    """A birth date that fits the grade: 5 on 1 September in kindergarten, 6
    in grade 1, and so on (the age most children are in that grade)."""
    age = 5 + (0 if grade == "K" else int(grade))
    earliest = datetime.date(year_start.year - age - 1, 9, 2)
    return earliest + datetime.timedelta(days=rng.randint(0, 364))


# Faker's es_MX lists carry a few misspellings no family is named: a cut-off "Jos", a
# stray accent ("Rafaél", "José Manuél", "de la Crúz") and "Hernádez" beside "Hernández".
_MISSPELT = {"Jos": None, "Hernádez": None, "Rafaél": "Rafael", "José Manuél": "José Manuel",
             "de la Crúz": "de la Cruz"}


def demo_fakers(seed_value):
    """The demo's name makers, {"en": Faker, "es": Faker}, seeded with seed_value, with
    the es_MX name lists' misspellings corrected or left out (on these instances only)."""
    fakers = {"en": Faker("en_US"), "es": Faker("es_MX")}
    for fake in fakers.values():
        fake.seed_instance(seed_value)
        for provider in fake.providers:
            for attr in ("first_names", "first_names_male", "first_names_female", "last_names"):
                names = getattr(provider, attr, None)
                if isinstance(names, (tuple, list)) and any(n in _MISSPELT for n in names):
                    setattr(provider, attr, tuple(_MISSPELT.get(n, n) for n in names
                                                  if _MISSPELT.get(n, n) is not None))
    return fakers


def _seed_families(rng, fakers, schools, total, year_start, progress):
    """Households of 1-3 children sharing guardians and an address."""
    next_id = Student.select().count() + 1
    students, guardians, links, kids = [], [], [], []
    while len(kids) < total:
        lang = "es" if rng.random() < 0.4 else "en"
        fake = fakers[lang]
        last = fake.last_name()
        first_family = next_id == 1 and not kids
        if first_family:  # the look-up's example ("gar mar or 100001") finds her
            lang, fake, last = "es", fakers["es"], "García"
        address = f"{fake.street_address()}, Riverside, CA {rng.randint(92501, 92509)}"
        family = []
        for g in range(1 if rng.random() < 0.35 else 2):
            gid = f"gdn-{len(guardians) + 1:07d}"
            first = fake.first_name_female() if g == 0 else fake.first_name_male()
            guardians.append({"sourced_id": gid, "first_name": first, "last_name": last,
                              "phone": _phone(rng), "alt_phone": _phone(rng) if rng.random() < .3 else "",
                              "email": f"{gid}@example.org" if rng.random() < .6 else "",
                              "preferred_language": lang if rng.random() < .8 else "en",
                              "address": address})
            family.append((gid, "mother" if g == 0 else "father"))
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            if len(kids) >= total:
                break
            sid, _, grades = SCHOOLS[0] if first_family and not kids else rng.choice(SCHOOLS)
            n = next_id + len(kids)
            row = {"sourced_id": f"stu-{n:07d}", "local_id": str(100000 + n),
                   "first_name": "María" if n == 1 else fake.first_name(), "middle_name": "",
                   "last_name": last, "grade": rng.choice(grades), "school": schools[sid].id,
                   "home_language": lang, "address": address, "phone": guardians[-1]["phone"]}
            row["birth_date"] = _birth_date(rng, row["grade"], year_start)
            row["sort_key"] = sort_key(row["first_name"], row["last_name"])
            students.append(row)
            kids.append(row)
            if len(kids) % BATCH == 0:
                progress(len(kids), total, "Making students and families")
            for gid, rel in family:
                links.append((row["sourced_id"], gid, rel, rel == "mother"))
    progress(len(kids), total, "Making students and families")
    _insert(Student, students, progress, "Storing students")
    _insert(Guardian, guardians, progress, "Storing guardians")
    student_ids = dict(Student.select(Student.sourced_id, Student.id).tuples())
    guardian_ids = dict(Guardian.select(Guardian.sourced_id, Guardian.id).tuples())
    _insert(StudentGuardian, [{"student": student_ids[s], "guardian": guardian_ids[g],
                               "relationship": rel, "is_primary": primary} for s, g, rel, primary in links])
    terms = []
    for row in students:
        row["id"] = student_ids[row["sourced_id"]]
        terms.extend({"term": t[:100], "student": row["id"]} for t in student_terms(Student(**row)))
    _insert(StudentSearchTerm, terms, progress, "Storing the search index")
    return students


def _seed_attendance(rng, kids, today, progress):
    """Absences, tardies and partial days so far this school year (present days are implied)."""
    days = school_days(school_year_start(today), today)
    events, rows = {}, []
    for n, kid in enumerate(kids, 1):
        if n % BATCH == 0 or n == len(kids):
            progress(n, len(kids), "Making a school year of attendance")
        risk = rng.choices((0.012, 0.05, 0.12, 0.22), weights=(72, 17, 8, 3))[0]
        mine = []
        for day in days:
            roll = rng.random()
            if roll < risk:
                category = rng.choices(("unexcused", "excused"), weights=(55, 45))[0]
                mine.append((day, category, 0))
            elif roll < risk + risk / 2:
                category = rng.choice(("tardy", "tardy", "early_departure", "partial"))
                mine.append((day, category, rng.choice((10, 20, 35, 45, 90))))
        events[kid["id"]] = mine
        rows.extend({"student": kid["id"], "school": kid["school"], "date": d, "category": c,
                     "minutes": m} for d, c, m in mine)
    with database.atomic():
        _insert(AttendanceEvent, rows, progress, "Storing attendance")
    return events


def _stage_for(unexcused):
    if unexcused >= 10:
        return "referral"
    if unexcused >= 7:
        return "plan"
    if unexcused >= 5:
        return "conference"
    return "first_notice"


def _seed_cases(rng, fake, kids, events, users, schools, today, progress):
    """Cases for students with 4+ unexcused absences; some to close. Returns
    (how many, [(Case, officer, the stage its absences call for, opened
    day)] for the paperwork, [(officer, Case, closure reason)] to close after it)."""
    officer_of = {}
    for user in users.values():
        if user.role == "officer":
            for sid in user.school_ids():
                officer_of[sid] = user
    year = school_year_of(today)
    climbs, closing = [], []
    front = next(u for u in users.values() if u.role == "front_office")
    front_schools = set(front.school_ids())
    # The first contacts cover every method and outcome, so each shows in the demo.
    unseen = [("excuse_note", "note_received")] + [
        (method, outcome) for method in _OFFICER_METHODS for outcome in codes.METHOD_OUTCOMES[method]]
    for n, kid in enumerate(kids, 1):
        if n % BATCH == 0 or n == len(kids):
            progress(n, len(kids), "Opening cases and logging contacts")
        unexcused = sum(1 for _, c, _ in events.get(kid["id"], []) if c == "unexcused")
        if unexcused < 4 and rng.random() > 0.01:
            continue
        officer = officer_of[kid["school"]]
        closed = unexcused < 4 or rng.random() < 0.1
        opened_day = today - datetime.timedelta(days=rng.randint(10, 60))
        opened = to_utc(datetime.datetime.combine(opened_day, datetime.time(9, 0)))
        # Opened to watch; the stage climbs as the paperwork goes out (fieldapp.demo.paperwork).
        case = Case.create(student=kid["id"], school=kid["school"], school_year=year,
                           stage="monitoring", officer=officer, opened_at=opened, opened_by=officer)
        CaseEvent.create(case=case, kind="opened", to_value="monitoring", by=officer, at=opened,
                         note=f"{unexcused} unexcused absences")
        _seed_contacts(rng, fake, case, kid, officer, opened, today, unseen,
                       front if kid["school"] in front_schools else officer)
        climbs.append((case, officer, _stage_for(unexcused), opened_day))
        if closed:
            closing.append((officer, case, rng.choice(("attendance_improved", "transferred", "plan_completed"))))
    return len(climbs), climbs, closing


_OFFICER_METHODS = [m for m in codes.METHODS if m not in ("excuse_note",)]


def _seed_contacts(rng, fake, case, kid, officer, opened, today, unseen, desk):
    """A few contacts on case; pairs still in unseen (method, outcome) come first.
    An excuse note is logged from the desk: the front office of the kid's school."""
    when, now = opened, utcnow()
    rows = []
    for n in range(rng.randint(1, 6)):
        # A working hour on the district's clock: 8 AM to 4 PM, never a home visit at 2 AM.
        day = to_local(when).date() + datetime.timedelta(days=rng.randint(1, 6))
        when = to_utc(datetime.datetime.combine(day, datetime.time(8 + rng.randint(0, 8))))
        # What the contact says is drawn from a generator of its own, drawn here whether or
        # not it is logged: the district of a seed is the same at any hour of the day.
        drawn = random.Random(rng.getrandbits(64))
        if when.date() > today or when > now:  # nothing logged later than now
            continue
        method = drawn.choice(_OFFICER_METHODS)
        contact_uuid = uuid.UUID(int=drawn.getrandbits(128))
        outcome = drawn.choice(codes.METHOD_OUTCOMES[method])
        if unseen:
            method, outcome = unseen.pop(0)
        rows.append(Contact(
            uuid=contact_uuid, case=case, student=kid["id"],
            author=desk if method == "excuse_note" else officer,
            author_role=(desk if method == "excuse_note" else officer).role,
            method=method, outcome=outcome,
            reasons=",".join(drawn.sample(list(codes.REASONS)[:12], drawn.randint(1, 2))),
            people_present="parent,student" if method in ("home_visit", "conference") else "",
            notes=note_for(drawn, method, outcome, kid["home_language"]), occurred_at=when, received_at=when,
            interpreter_used=kid["home_language"] == "es" and drawn.random() < .5,
            language="es" if kid["home_language"] == "es" else ""))
    # drawn whether or not a contact was logged (see above)
    follow_up_in, amended = rng.choice((-5, -2, 0, 0, 2, 4, 7, 10)), rng.random() < 0.1
    amendment_uuid = uuid.UUID(int=rng.getrandbits(128))
    if rows:
        # The last contact sets the follow-up: some overdue, some today, some ahead.
        rows[-1].follow_up_on = today + datetime.timedelta(days=follow_up_in)
        Contact.bulk_create(rows)
        case.contact_count, case.last_contact_at = len(rows), rows[-1].occurred_at
        case.next_follow_up = rows[-1].follow_up_on
        FollowUp.create(case=case, due_on=rows[-1].follow_up_on,
                        planned_by=Contact.get(Contact.uuid == rows[-1].uuid))
        if amended:
            first = Contact.get(Contact.uuid == rows[0].uuid)
            Contact.create(uuid=amendment_uuid, case=case, student=kid["id"],
                           author=officer, author_role=first.author_role, method=first.method,
                           outcome=first.outcome,
                           reasons=first.reasons, notes=first.notes + " (time corrected)",
                           occurred_at=first.occurred_at - datetime.timedelta(hours=1),
                           amends=first, amendment_reason="Wrong time entered at the door.")
        case.save()
