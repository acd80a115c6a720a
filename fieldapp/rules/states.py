"""The four state rule sets, written from the statutes (DESIGN.md section 7).

Where a statute sets a deadline the step says so; where it sets none, the
deadline is a district practice that the installation may change (see
fieldapp.rules.settings). Each version names its source and effective date.
"""
import datetime

from fieldapp.messages import N_, NP_
from fieldapp.rules.ages import Compulsory
from fieldapp.rules.ladder import CASEWORK, Evidence, Requirement, RuleSet, RuleVersion, Status, Step, Threshold

ANY = ()
WRITTEN = Evidence(contacts=(("letter", ANY),), stage="first_notice")
# The legal notification and reports (CA EC 48260.5, 48261; WA RCW 28A.225.020(1)(a)) are
# casework: the letter, or a contact on a case by staff whose role does casework. A call the
# front office logs about a student with no case is a record of contact, not the notice.
# Each report is its own act: one contact counts for one step only (ladder.Evidence).
BY_CASEWORK = (CASEWORK,)
NOTIFIED = Evidence(contacts=(("letter", ANY), ("email", ANY, BY_CASEWORK), ("text", ANY, BY_CASEWORK),
                              ("phone", ("reached_parent",), BY_CASEWORK),
                              ("home_visit", ("reached_parent",), BY_CASEWORK)),
                    said=N_("Done by a letter, or by a call or home visit that reached a parent, an email "
                            "or a text, logged on the case by its officer or a supervisor. A call logged "
                            "without a case is a record of contact, not this step. Each contact counts "
                            "for one report only."))
CONFERENCE = Evidence(contacts=(("conference", ANY), ("school_meeting", ANY)), stage="conference")
REFERRED = Evidence(contacts=(("*", ("referral_made",)),), stage="referral")
IN_COURT = Evidence(contacts=(("*", ("referral_made",)),), stage="court")
PREVENTION = Evidence(contacts=(("conference", ANY), ("school_meeting", ANY), ("*", ("referral_made",))),
                      stage="plan")
# Counseling offered shows as a contact whose outcome is a referral made (to counseling).
COUNSELING = Evidence(contacts=(("*", ("referral_made",)),))
EXEMPT_FLAGS = ("pregnant_parenting", "foster_care", "homeless", "primary_earner")
# Any attempt by the district's casework to reach the parents counts as the effort to hold a
# conference (EC 48262); a call the front office logs with no case (a parent phoning in an
# excuse) is a record of contact, not that effort.
ATTEMPTED_CONFERENCE = Evidence(
    contacts=(("conference", ANY), ("school_meeting", ANY), ("phone", ANY, BY_CASEWORK),
              ("email", ANY, BY_CASEWORK), ("text", ANY, BY_CASEWORK), ("home_visit", ANY, BY_CASEWORK)),
    stage="conference", letters=("conference_invitation",))

# -- California ---------------------------------------------------------------

CA_AGES = Compulsory(6, 18, "EC 48200")
CA_CONFERENCE = Requirement(
    "ca_conference",
    N_("A conscientious effort to hold a conference with a parent and the student: at least one "
       "attempt to reach the parents to arrange it, by call, email, text, visit or letter (EC 48262)"),
    ATTEMPTED_CONFERENCE, after="ca_first_notice")


def _california_steps():
    return (
        Step("ca_first_notice", N_("First truancy notification to the parent"), "EC 48260(a), 48260.5",
             Threshold(3), NOTIFIED, due_days=5, due_basis="district practice",
             stage="first_notice", letter="first_notice"),
        Step("ca_second_report", N_("Report as truant again (second report)"), "EC 48261",
             Threshold(4), NOTIFIED, due_days=5, due_basis="district practice",
             stage="first_notice", letter="first_notice"),
        Step("ca_habitual_truant", N_("Third report: classify as habitual truant"), "EC 48261, 48262",
             Threshold(5), NOTIFIED, due_days=5, due_basis="district practice",
             requires=(CA_CONFERENCE,), stage="conference", letter="first_notice"),
        Step("ca_sarb_referral",
             N_("Refer to the School Attendance Review Board, with written notice to the parent"),
             "EC 48263", Threshold(5), REFERRED, due_days=10,
             due_basis="district practice", requires=(CA_CONFERENCE,), stage="referral",
             letter="referral_notice"),
        # Each unexcused absence or tardy after a report is reported again (48261), at any
        # age: the 6th counted day is the fourth truancy (WIC 601(b) for a pupil of 12 to 17
        # is the status "four_truancies_601b", not this step's duty).
        Step("ca_further_report",
             N_("Report as truant again: fourth and later reports, one for each further unexcused "
                "absence or tardy"), "EC 48261", Threshold(6), NOTIFIED, due_days=5,
             due_basis="district practice", repeats_each=True, stage="referral"),
    )


def _california(version, effective, source):
    return RuleVersion(
        state="CA", state_name=N_("California"), version=version, effective=effective, source=source,
        unit=N_("truancies (unexcused full days, or unexcused tardies or absences over 30 minutes)"),
        units=NP_("truancy", "truancies"),
        part_day_minutes=31,
        steps=_california_steps(),
        statuses=(
            Status("truant", N_("Truant (EC 48260)"), "ca_first_notice"),
            Status("habitual_truant", N_("Habitual truant (EC 48262)"), "ca_habitual_truant",
                   requires="ca_conference"),
            Status("four_truancies", N_("Four or more truancies this school year (EC 48261)"),
                   "ca_further_report", requires="ca_conference"),
            # WIC 601(b) brings a minor of 12 to 17 with four truancies in a school year
            # within the juvenile court's reach; it says nothing of a younger or older pupil.
            Status("four_truancies_601b", N_("Four or more truancies this school year (EC 48261; WIC "
                                             "601(b) for a pupil of 12 to 17)"), "ca_further_report",
                   requires="ca_conference", ages=(12, 18)),
        ),
        chronic_truancy=(10, N_("Chronic truant (EC 48263.6): absent without valid excuse "
                                "on 10% or more of school days"),
                         N_("Absent without valid excuse on %(percent)s%% of school days, but a chronic "
                            "truant (EC 48263.6) only once 48260 to 48263 and 48291 are complied with; "
                            "not yet done: %(steps)s")),
        # The SARB referral first: it must have been made; the reports once they were due.
        chronic_requires=("ca_sarb_referral", "ca_first_notice", "ca_second_report", "ca_habitual_truant",
                          "ca_further_report"),
        compulsory=CA_AGES,
    )


CALIFORNIA = RuleSet("CA", "California", (
    _california("CA-2020-07-01", datetime.date(2020, 7, 1),
                "Education Code 48200, 48260–48263 and 48263.6, with the 48260.5 notification "
                "as worded before SB 691; Welfare and Institutions Code 601(b)"),
    _california("CA-2025-07-01", datetime.date(2025, 7, 1),
                "Education Code 48200, 48260–48263 and 48263.6; 48260.5 notification content as "
                "changed by SB 691 (Stats. 2024, ch. 863), operative 1 July 2025; Welfare and "
                "Institutions Code 601(b)"),
))

# -- Texas ----------------------------------------------------------------------

TX_AGES = Compulsory(6, 19, "Ed Code 25.085(b)", enrolled_grades=("PK", "TK", "KG"),
                     enrolled_statute="Ed Code 25.085(b), (c)", older_statute="Ed Code 25.085(e)")
TX_MEASURES = Requirement(
    "tx_prevention_measures",
    N_("Truancy prevention measures applied and documented: the referral must certify them "
       "(Ed Code 25.0915)"), PREVENTION)
TX_COURT_AGES = N_("Truancy court hears only a child of 12 to 18 (Family Code 65.002(2), 65.003(a)); "
                   "for a younger child the route is a complaint against the parent (Ed Code 25.0951(b))")


def _texas_steps(exempt_flags, exempt_statute):
    minor = (None, 19)
    return (
        Step("tx_warning_notice", N_("Warning notice to the parent"), "Ed Code 25.095(b)",
             Threshold(3, "four_weeks"), WRITTEN, due_days=5, due_basis="district practice",
             stage="first_notice", letter="first_notice", ages=minor),
        Step("tx_prevention_measures",
             N_("Start truancy prevention measures (improvement plan, school-based community "
                "service, or referral to counseling or mentoring)"),
             "Ed Code 25.0915(a-1)", Threshold(3, "four_weeks"), PREVENTION, due_days=10,
             due_basis="district practice", stage="plan", ages=minor),
        Step("tx_court_referral", N_("Refer to truancy court"), "Ed Code 25.0951(a); Family Code 65.003(a)",
             Threshold(10, "six_months"), IN_COURT, due_days=10, requires=(TX_MEASURES,),
             exempt_flags=exempt_flags, exempt_statute=exempt_statute, stage="court",
             letter="referral_notice", ages=(12, 19), age_note=TX_COURT_AGES),
        Step("tx_parent_complaint",
             N_("Decide on a complaint against the parent in county, justice or municipal court, "
                "with evidence of the parent's criminal negligence (a child under 12 is not "
                "referred to truancy court)"),
             "Ed Code 25.0951(b), 25.093", Threshold(10, "six_months"), REFERRED, due_days=10,
             due_basis="district practice", requires=(TX_MEASURES,), stage="referral", ages=(None, 12)),
        Step("tx_additional_counseling",
             N_("Offer the student additional counseling: the absences result from a cause that bars "
                "a truancy court referral"), "Ed Code 25.0915(a-3)", Threshold(10, "six_months"),
             COUNSELING, due_days=10, due_basis="district practice", stage="plan",
             only_flags=exempt_flags, ages=minor),
        # A person of 19 or older who enrols voluntarily must attend (25.085(e)); the district
        # may warn them, revoke their enrolment after more than five unexcused absences in a
        # semester, or impose a behavior improvement plan instead. Subsections (f) and (g) as
        # read here were not checked against the enrolled text: see the rule-set page's source.
        Step("tx_adult_warning",
             N_("Warning letter to the student (19 or older): enrolment may be revoked after more "
                "than five unexcused absences in a semester"), "Ed Code 25.085(e), (f)",
             Threshold(3), WRITTEN, due_days=5, due_basis="district practice", stage="first_notice",
             ages=(19, None)),
        Step("tx_adult_revocation",
             N_("Decide whether to revoke the enrolment for the rest of the school year (never on a day "
                "the student is present), or impose a behavior improvement plan instead"),
             "Ed Code 25.085(e), (g)", Threshold(6, "semester"), PREVENTION, due_days=10,
             due_basis="district practice", stage="plan", ages=(19, None)),
    )


def _texas(version, effective, source, exempt_flags):
    return RuleVersion(
        state="TX", state_name=N_("Texas"), version=version, effective=effective, source=source,
        unit=N_("unexcused days or parts of days"),
        units=NP_("unexcused day or part of a day", "unexcused days or parts of days"),
        part_day_minutes=1,
        steps=_texas_steps(exempt_flags, N_("Ed Code 25.0915(a-3): offer additional counseling instead")),
        statuses=(
            Status("warned", N_("Truancy warning (3 days or parts of days in 4 weeks)"),
                   "tx_warning_notice|tx_adult_warning"),
            Status("truant_conduct", N_("Truant conduct (10 days or parts of days in 6 months; "
                                        "Family Code 65.003)"), "tx_court_referral"),
        ),
        compulsory=TX_AGES,
    )


TEXAS = RuleSet("TX", "Texas", (
    _texas("TX-2015-09-01", datetime.date(2015, 9, 1),
           "Education Code 25.085, 25.093, 25.095, 25.0915 and 25.0951 as enacted by HB 2398 (2015); "
           "Family Code 65.002 and 65.003", EXEMPT_FLAGS),
    # HB 699 (2021, "Riley's Rule", effective on passage) added a severe or life-threatening
    # illness or related treatment to the causes of 25.0915(a-3).
    _texas("TX-2021-06-07", datetime.date(2021, 6, 7),
           "Education Code 25.085, 25.093, 25.095, 25.0915 and 25.0951; 25.0915(a-3) as amended by "
           "HB 699 (2021): severe or life-threatening illness; Family Code 65.002 and 65.003",
           EXEMPT_FLAGS + ("severe_illness",)),
))

# -- Washington -------------------------------------------------------------------

# 8 to 17 (RCW 28A.225.010); a child of 6 or 7 once enrolled (28A.225.015(1)). That section's
# own steps for 6 and 7-year-olds (notice after 1, conference after 3 in a month, a petition
# against the parent) are taken here as the same ladder; its petition rules are not modelled.
WA_AGES = Compulsory(8, 18, "RCW 28A.225.010", enrolled_from_age=6,
                     enrolled_statute="RCW 28A.225.015(1)")
WA_CONFERENCE = Requirement(
    "wa_conference", N_("A conference with the parent and student scheduled "
                        "(RCW 28A.225.020(1)(b))"), CONFERENCE)

WASHINGTON = RuleSet("WA", "Washington", (RuleVersion(
    state="WA", state_name=N_("Washington"), version="WA-2021-07-25", effective=datetime.date(2021, 7, 25),
    source="RCW 28A.225.010, 28A.225.015, 28A.225.018 (2016 c 205), 28A.225.020 and 28A.225.030 as "
           "amended by Laws of 2021, ch. 119",
    unit=N_("unexcused absences"), units=NP_("unexcused absence", "unexcused absences"), part_day_minutes=180,
    steps=(
        Step("wa_notice", N_("Notify the parent of the unexcused absence and its consequences, "
                             "in a language they are fluent in"),
             "RCW 28A.225.020(1)(a)", Threshold(1, "month"), NOTIFIED, due_days=2,
             due_basis="district practice", repeats_monthly=True, stage="first_notice",
             letter="first_notice"),
        Step("wa_conference", N_("Schedule a conference with the parent and student"),
             "RCW 28A.225.020(1)(b)", Threshold(3, "month"), CONFERENCE, due_days=5,
             due_basis="district practice", stage="conference", letter="conference_invitation"),
        Step("wa_agreement", N_("Attendance agreement, community engagement board referral, "
                                "or petition"), "RCW 28A.225.030(2)", Threshold(7, "month"),
             Evidence(contacts=(("*", ("referral_made",)),), stage="plan"), due_days=0,
             requires=(WA_CONFERENCE,), stage="plan"),
        Step("wa_petition", N_("File a truancy petition with the juvenile court"),
             "RCW 28A.225.030(1)", Threshold(15, "year"), IN_COURT, due_days=0,
             requires=(WA_CONFERENCE,), stage="court", ages=(None, 17),
             age_note=N_("A petition is required only for a child under 17; the district may still "
                         "file for a child of 17 (RCW 28A.225.030(1))")),
        # "A child in elementary school": kindergarten to grade 5 here; districts whose
        # elementary schools keep grade 6 would count it too.
        Step("wa_excused_conference",
             N_("Schedule a conference on the excused absences with the parent and child, with at "
                "least one district employee (not needed when the school had prior notice, or a "
                "doctor's note and an academic plan are in place)"),
             "RCW 28A.225.018", Threshold(5, "month"), CONFERENCE, due_days=10,
             due_basis="district practice", stage="conference", letter="conference_invitation",
             elementary=True, series="excused", or_threshold=Threshold(10, "year")),
    ),
    statuses=(
        Status("unexcused", N_("Unexcused absences reported to the parent"), "wa_notice"),
        Status("conference", N_("3 or more unexcused absences in a month"), "wa_conference"),
        Status("intervention", N_("7 or more unexcused absences in a month"), "wa_agreement"),
        Status("petition", N_("15 or more unexcused absences this year"), "wa_petition"),
    ),
    compulsory=WA_AGES,
),))

# -- Pennsylvania -------------------------------------------------------------------

PA_SAIC_HELD = Requirement(
    "pa_saic", N_("A School Attendance Improvement Conference held: a referral or citation must "
                  "verify it (24 P.S. § 13-1333.1(d))"), CONFERENCE)


def _pennsylvania_steps():
    return (
        Step("pa_notice", N_("Written notice to the parent that the child is truant"),
             "24 P.S. § 13-1333(a)", Threshold(3), WRITTEN, due_days=10, stage="first_notice",
             letter="first_notice"),
        Step("pa_saic", N_("Absences continued after the notice: offer a School Attendance Improvement "
                           "Conference by advance written notice; no further legal action before its "
                           "date; its outcome is a written School Attendance Improvement Plan"),
             "24 P.S. § 13-1333(b)", Threshold(1), CONFERENCE, due_days=10, due_basis="district practice",
             after="pa_notice", stage="conference", letter="conference_invitation"),
        Step("pa_referral", N_("Habitually truant, under 15: refer to a school- or community-based "
                               "attendance improvement program or the county children and youth "
                               "agency; a citation against the parent may also be filed"),
             "24 P.S. § 13-1333.1(a)", Threshold(6), REFERRED, due_days=10,
             due_basis="district practice", requires=(PA_SAIC_HELD,), stage="referral", ages=(None, 15)),
        Step("pa_referral_15", N_("Habitually truant, 15 or older: refer to an attendance improvement "
                                  "program or service, or file a citation against the child or the "
                                  "parent"),
             "24 P.S. § 13-1333.1(b)", Threshold(6), REFERRED, due_days=10,
             due_basis="district practice", requires=(PA_SAIC_HELD,), stage="referral", ages=(15, None)),
    )


def _pennsylvania(version, effective, source, ages):
    return RuleVersion(
        state="PA", state_name=N_("Pennsylvania"), version=version, effective=effective, source=source,
        unit=N_("unexcused absences"), units=NP_("unexcused absence", "unexcused absences"), part_day_minutes=0,
        steps=_pennsylvania_steps(),
        statuses=(
            Status("truant", N_("Truant (3 unexcused absences)"), "pa_notice"),
            Status("habitually_truant", N_("Habitually truant (6 unexcused absences)"),
                   "pa_referral|pa_referral_15"),
        ),
        compulsory=ages,
    )


PENNSYLVANIA = RuleSet("PA", "Pennsylvania", (
    _pennsylvania("PA-2017-07-01", datetime.date(2017, 7, 1),
                  "24 P.S. §§ 13-1326, 13-1333 and 13-1333.1 as amended by Act 138 of 2016 (from the "
                  "2017–18 school year); 13-1333.2 and 13-1333.3 govern the citation itself",
                  Compulsory(8, 17, "24 P.S. § 13-1326 before Act 16 of 2019", enrolled_binds=True)),
    # Act 16 of 2019: compulsory school age from 6 (or when the parents have the child enter
    # school) until 18, from the 2020–21 school year.
    _pennsylvania("PA-2020-07-01", datetime.date(2020, 7, 1),
                  "24 P.S. §§ 13-1326 (as amended by Act 16 of 2019), 13-1333 and 13-1333.1 (Act 138 "
                  "of 2016); 13-1333.2 and 13-1333.3 govern the citation itself",
                  Compulsory(6, 18, "24 P.S. § 13-1326", enrolled_binds=True)),
))

RULE_SETS = {rules.state: rules for rules in (CALIFORNIA, TEXAS, WASHINGTON, PENNSYLVANIA)}


def rule_set(state):
    """The rule set of a state code (CA, TX, WA, PA)."""
    return RULE_SETS[state]
