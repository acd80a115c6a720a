"""The demo's paperwork, done as an officer does it through the app: truancy
notifications made and mailed when the record shows the truancies (EC
48260.5), the conference offered and held (48262), an attendance plan signed,
the referral notice made and mailed once the law allows it (48263), and each
case's stage moved only once the paperwork it stands for is on file.

Letters are made in the day's batches of a school, with every check and
record of fieldapp.documents.letters (grounds, contact, disclosure, sending);
their PDFs are laid out when first opened (issue.pdf_of), as thousands of
letters would take minutes to lay out.
"""
import base64
import datetime
import functools
import io
import uuid
from itertools import groupby

from PIL import Image, ImageDraw

from fieldapp.cases.contacts import log_contact, validate_contact
from fieldapp.cases.lifecycle import change_stage
from fieldapp.documents import issue, letters, plans, sending
from fieldapp.documents.letter_grounds import grounds_for
from fieldapp.models import utcnow
from fieldapp.rules import stored
from fieldapp.students.records import guardians_of
from fieldapp.timefmt import school_zone, to_utc

# The stages a case climbs, each with the letter that goes out on reaching it.
LADDER = ("first_notice", "conference", "plan", "referral")
LETTER_OF = {"first_notice": "first_notice", "conference": "conference_invitation",
             "referral": "referral_notice"}
STAGE_NOTES = {"first_notice": "Truancy notification mailed.", "conference": "Conference offered by letter.",
               "plan": "Conference held; attendance plan signed.",
               "referral": "Referred to the School Attendance Review Board; notice mailed."}
# Local hours: letters printed in the morning and mailed after lunch; conferences after school.
MADE, MAILED, MET = datetime.time(10), datetime.time(14), datetime.time(15)
PRINTING_DAYS = (1, 3)  # the office prints the letters due on Tuesdays and Thursdays
PLAN = {"barriers": "Missed the school bus on mornings the family had no car; oversleeping.",
        "goals": "Be at school on time every day for the next four weeks.",
        "school_supports": "Bus pass from the office; a check-in with the counselor each Monday.",
        "family_commitments": "Alarm set for 6:30; a neighbor drives on mornings without the car.",
        "student_commitments": "Lay out clothes and backpack the night before."}


def _weekday(day, weekdays=range(5)):
    """The first day from `day` on that is one of weekdays (Monday 0)."""
    while day.weekday() not in weekdays:
        day += datetime.timedelta(days=1)
    return day


def _first_reached(result, kind):
    """The day the first step asking for a letter of kind was reached, or None."""
    days = [s.triggered_on for s in (result.steps if result else ())
            if s.triggered and s.step.letter == kind and s.triggered_on]
    return min(days) if days else None


def _days(rng, case, target, result, today, opened):
    """[(stage, local day)] a case climbs to target, in the law's order; stops
    where a letter's step is not reached or a day would come after today."""
    notice, referral = _first_reached(result, "first_notice"), _first_reached(result, "referral_notice")
    if notice is None:
        return []
    day = _weekday(max(opened, notice) + datetime.timedelta(days=1), PRINTING_DAYS)
    plan = [("first_notice", day)]
    for stage in LADDER[1:LADDER.index(target) + 1]:
        day = _weekday(day + datetime.timedelta(days=rng.randint(3, 6)),
                       PRINTING_DAYS if stage in LETTER_OF else range(5))
        if stage == "referral":
            if referral is None:
                break
            day = _weekday(max(day, referral + datetime.timedelta(days=1)), PRINTING_DAYS)
        plan.append((stage, day))
    return [(stage, day) for stage, day in plan if day <= today]


def _at(day, hour, zone_name):
    return to_utc(datetime.datetime.combine(day, hour), zone_name)


def seed_paperwork(rng, climbs, settings, today, progress):
    """Do the paperwork of climbs, a list of (Case, officer, target stage,
    opened day), open cases of the demo: each climbs as far towards its
    target as its record lets the law go. Returns {"letters", "plans"}."""
    results = stored.standings_of(settings, today, [case.student_id for case, _, _, _ in climbs])
    now, zones, steps = utcnow(), {}, []
    for case, officer, target, opened in climbs:
        zone_name = zones.setdefault(case.school_id, school_zone(case.school_id))
        for stage, day in _days(rng, case, target, results.get(case.student_id), today, opened):
            if _at(day, MET, zone_name) <= now:
                steps.append((day, LADDER.index(stage), case.school_id, case.id, stage, case, officer))
    steps.sort(key=lambda step: step[:4])
    made, done = {"letters": 0, "plans": 0}, 0
    for (day, _, school_id, stage), group in groupby(steps, key=lambda step: (step[0], step[1], step[2], step[4])):
        group = list(group)
        done += len(group)  # counted in steps, as the total is, so the bar ends full
        progress(done, len(steps), "Making letters, conferences and plans")
        # A case climbs a stage only from the one before it, in order.
        group = [(case, officer) for *_, case, officer in group
                 if LADDER.index(stage) == 0 or case.stage == LADDER[LADDER.index(stage) - 1]]
        if stage in LETTER_OF:
            group = _letters(settings, group, LETTER_OF[stage], day, zones[school_id])
            made["letters"] += len(group)
        else:
            for case, officer in group:
                _conference_and_plan(rng, case, officer, day, zones[school_id])
            made["plans"] += len(group)
        for case, officer in group:
            change_stage(officer, case, {"stage": stage, "note": STAGE_NOTES[stage]},
                         now=_at(day, MAILED, zones[school_id]) + datetime.timedelta(minutes=5))
    return made


def _letters(settings, group, kind, day, zone_name):
    """Make the day's letters of kind for the cases of group whose record
    shows what the letter states, as one batch, and record it mailed; returns
    the (case, officer) pairs that got one."""
    when = _at(day, MADE, zone_name)
    results = stored.standings_of(settings, day, [case.student_id for case, _ in group])
    group = [(case, officer) for case, officer in group
             if grounds_for(kind, results.get(case.student_id)).allowed]
    for officer_id, mine in groupby(sorted(group, key=lambda pair: pair[1].id), key=lambda pair: pair[1].id):
        mine = list(mine)
        officer, school = mine[0][1], mine[0][0].student.school
        items = [(case, letters.default_choice(case, kind, day)) for case, _ in mine]
        record, made = letters.issue_letters(
            officer, school, items, settings, when, ("demo", ""),
            issue.TITLES["letter_batch"] % {"day": day.isoformat(), "school": school.name, "num": len(items)},
            render=False)
        mailed = _at(day, MAILED, zone_name)
        sending.record_batch_sent(officer, made, {
            "sent_how": "mail", "sent_at": datetime.datetime.combine(day, MAILED).isoformat(timespec="minutes"),
            "letter": [str(letter.id) for letter in made]}, now=mailed)
    return group


def _conference_and_plan(rng, case, officer, day, zone_name):
    """The conference held with the family, and the plan agreed at it, signed."""
    spanish = case.student.home_language == "es"
    form = {"method": "conference", "outcome": "reached_parent", "reasons": ["transportation"],
            "people_present": ["parent", "student"], "follow_up_on": "",
            "notes": "Attendance conference at school with the parent and student; plan agreed.",
            "occurred_at": datetime.datetime.combine(day, MET).isoformat(timespec="minutes"),
            "interpreter_used": "yes" if spanish else "", "language": "es" if spanish else ""}
    clean, errors = validate_contact(form, officer, now=_at(day, MET, zone_name) + datetime.timedelta(hours=1),
                                     zone_name=zone_name)
    assert not errors, errors
    log_contact(officer, case, clean, uuid.UUID(int=rng.getrandbits(128)))
    review = day + datetime.timedelta(days=28)
    plan = plans.save_plan(officer, case, {**PLAN, "review_on": review.isoformat()}, today=day,
                           now=_at(day, MET, zone_name) + datetime.timedelta(minutes=30))
    guardians = [g for g, _ in guardians_of(case.student)]
    signers = [("guardian", guardians[0].full_name if guardians else "Parent"),
               ("student", case.student.full_name), ("officer", officer.name)]
    for role, name in signers:
        plans.record_signature(officer, plan, {
            "role": role, "status": "signed", "signer_name": name, "image": _signature_data_url(),
            "interpreter": "Lucía Romero" if spanish and role == "guardian" else ""},
            now=_at(day, MET, zone_name) + datetime.timedelta(minutes=40))


@functools.lru_cache(maxsize=1)
def _signature_data_url():
    """A drawn signature, as the phone's canvas sends one."""
    image = Image.new("RGBA", (150, 50), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(8, 38), (30, 10), (50, 40), (80, 12), (140, 30)], fill=(17, 17, 17, 255), width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()

