"""The four state rule sets, written from the statutes (DESIGN.md section 7).

Where a statute sets a deadline the step says so; where it sets none, the
deadline is a district practice that the installation may change (see
fieldapp.rules.settings). Each version names its source and effective date.
"""
import datetime

from fieldapp.messages import N_
from fieldapp.rules.ladder import Evidence, Requirement, RuleSet, RuleVersion, Status, Step, Threshold

ANY = ()
WRITTEN = Evidence(contacts=(("letter", ANY),), stage="first_notice")
NOTIFIED = Evidence(contacts=(("letter", ANY), ("email", ANY), ("text", ANY),
                              ("phone", ("reached_parent",)), ("home_visit", ("reached_parent",))))
CONFERENCE = Evidence(contacts=(("conference", ANY), ("school_meeting", ANY)), stage="conference")
REFERRED = Evidence(contacts=(("*", ("referral_made",)),), stage="referral")
IN_COURT = Evidence(contacts=(("*", ("referral_made",)),), stage="court")
PREVENTION = Evidence(contacts=(("conference", ANY), ("school_meeting", ANY), ("*", ("referral_made",))),
                      stage="plan")
EXEMPT_FLAGS = ("pregnant_parenting", "foster_care", "homeless", "primary_earner")

# -- California ---------------------------------------------------------------

CA_CONFERENCE = Requirement(
    "ca_conference",
    N_("A conscientious effort to hold at least one conference with a parent or guardian "
       "and the student (EC 48262)"), CONFERENCE)


def _california(version, effective, source):
    return RuleVersion(
        state="CA", state_name=N_("California"), version=version, effective=effective, source=source,
        unit=N_("truancies (unexcused full days, or unexcused tardies or absences over 30 minutes)"),
        unit_short=N_("truancies"),
        part_day_minutes=31,
        steps=(
            Step("ca_first_notice", N_("First truancy notification to the parent"), "EC 48260, 48260.5",
                 Threshold(3), NOTIFIED, due_days=5, due_basis="district practice",
                 stage="first_notice", letter="first_notice"),
            Step("ca_second_report", N_("Report as truant again (second report)"), "EC 48261",
                 Threshold(4), NOTIFIED, due_days=5, due_basis="district practice",
                 stage="first_notice", letter="first_notice"),
            Step("ca_habitual_truant", N_("Third report: classify as habitual truant"), "EC 48262",
                 Threshold(5), NOTIFIED, due_days=5, due_basis="district practice",
                 requires=(CA_CONFERENCE,), stage="conference", letter="first_notice"),
            Step("ca_sarb_referral",
                 N_("Refer to the School Attendance Review Board, with written notice to the parent"),
                 "EC 48263", Threshold(5), REFERRED, due_days=10,
                 due_basis="district practice", requires=(CA_CONFERENCE,), stage="referral",
                 letter="referral_notice"),
        ),
        statuses=(
            Status("truant", N_("Truant (EC 48260)"), "ca_first_notice"),
            Status("habitual_truant", N_("Habitual truant (EC 48262)"), "ca_habitual_truant",
                   requires="ca_conference"),
        ),
        chronic_truancy=(10, N_("Chronic truant (EC 48263.6): absent without valid excuse "
                                "on 10% or more of school days")),
    )


CALIFORNIA = RuleSet("CA", "California", (
    _california("CA-2020-07-01", datetime.date(2020, 7, 1),
                "Education Code 48260–48263 and 48263.6, with the 48260.5 notification "
                "as worded before SB 691"),
    _california("CA-2025-07-01", datetime.date(2025, 7, 1),
                "Education Code 48260–48263 and 48263.6; 48260.5 notification content as "
                "changed by SB 691 (Stats. 2024, ch. 863), operative 1 July 2025"),
))

# -- Texas ----------------------------------------------------------------------

TX_MEASURES = Requirement(
    "tx_prevention_measures",
    N_("Truancy prevention measures applied and documented: the referral must certify them "
       "(Ed Code 25.0915)"), PREVENTION)

TEXAS = RuleSet("TX", "Texas", (RuleVersion(
    state="TX", state_name=N_("Texas"), version="TX-2015-09-01", effective=datetime.date(2015, 9, 1),
    source="Education Code 25.095, 25.0915 and 25.0951 as enacted by HB 2398 (2015); "
           "Family Code 65.003",
    unit=N_("unexcused days or parts of days"), unit_short=N_("unexcused days or parts of days"),
    part_day_minutes=1,
    steps=(
        Step("tx_warning_notice", N_("Warning notice to the parent"), "Ed Code 25.095(b)",
             Threshold(3, "four_weeks"), WRITTEN, due_days=5, due_basis="district practice",
             stage="first_notice", letter="first_notice"),
        Step("tx_prevention_measures",
             N_("Start truancy prevention measures (improvement plan, school-based community "
                "service, or referral to counseling or mentoring)"),
             "Ed Code 25.0915(a-1)", Threshold(3, "four_weeks"), PREVENTION, due_days=10,
             due_basis="district practice", stage="plan"),
        Step("tx_court_referral", N_("Refer to truancy court"), "Ed Code 25.0951(a)",
             Threshold(10, "six_months"), IN_COURT, due_days=10, requires=(TX_MEASURES,),
             exempt_flags=EXEMPT_FLAGS,
             exempt_statute=N_("Ed Code 25.0915(a-3): offer additional counseling instead"), stage="court",
             letter="referral_notice"),
    ),
    statuses=(
        Status("warned", N_("Truancy warning (3 days or parts of days in 4 weeks)"), "tx_warning_notice"),
        Status("truant_conduct", N_("Truant conduct (10 days or parts of days in 6 months; "
                                    "Family Code 65.003)"), "tx_court_referral"),
    ),
),))

# -- Washington -------------------------------------------------------------------

WA_CONFERENCE = Requirement(
    "wa_conference", N_("A conference with the parent and student scheduled "
                        "(RCW 28A.225.020(1)(b))"), CONFERENCE)

WASHINGTON = RuleSet("WA", "Washington", (RuleVersion(
    state="WA", state_name=N_("Washington"), version="WA-2021-07-25", effective=datetime.date(2021, 7, 25),
    source="RCW 28A.225.020 and 28A.225.030 as amended by Laws of 2021, ch. 119",
    unit=N_("unexcused absences"), unit_short=N_("unexcused absences"), part_day_minutes=180,
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
             requires=(WA_CONFERENCE,), stage="court"),
    ),
    statuses=(
        Status("unexcused", N_("Unexcused absences reported to the parent"), "wa_notice"),
        Status("conference", N_("3 or more unexcused absences in a month"), "wa_conference"),
        Status("intervention", N_("7 or more unexcused absences in a month"), "wa_agreement"),
        Status("petition", N_("15 or more unexcused absences this year"), "wa_petition"),
    ),
),))

# -- Pennsylvania -------------------------------------------------------------------

PA_SAIC = Requirement(
    "pa_saic", N_("A School Attendance Improvement Conference offered and held: no further legal "
                  "action before its date (24 P.S. § 13-1333.1)"), CONFERENCE)

PENNSYLVANIA = RuleSet("PA", "Pennsylvania", (RuleVersion(
    state="PA", state_name=N_("Pennsylvania"), version="PA-2017-07-01", effective=datetime.date(2017, 7, 1),
    source="24 P.S. §§ 13-1326, 13-1333 to 13-1333.3 as amended by Act 138 of 2016 "
           "(from the 2017–18 school year)",
    unit=N_("unexcused absences"), unit_short=N_("unexcused absences"), part_day_minutes=0,
    steps=(
        Step("pa_notice", N_("Written notice to the parent that the child is truant"),
             "24 P.S. § 13-1333(a)", Threshold(3), WRITTEN, due_days=10, stage="first_notice",
             letter="first_notice"),
        Step("pa_saic", N_("Offer a School Attendance Improvement Conference in writing; its "
                           "outcome is a written School Attendance Improvement Plan"), "24 P.S. § 13-1333.1",
             Threshold(4), CONFERENCE, due_days=10, due_basis="district practice",
             stage="conference", letter="conference_invitation"),
        Step("pa_referral", N_("Habitually truant: refer to an attendance improvement program or "
                               "the county children and youth agency, or file a citation (age 15 and older)"),
             "24 P.S. §§ 13-1333.2, 13-1333.3", Threshold(6), REFERRED, due_days=10,
             due_basis="district practice", requires=(PA_SAIC,), stage="referral"),
    ),
    statuses=(
        Status("truant", N_("Truant (3 unexcused absences)"), "pa_notice"),
        Status("habitually_truant", N_("Habitually truant (6 unexcused absences)"), "pa_referral"),
    ),
),))

RULE_SETS = {rules.state: rules for rules in (CALIFORNIA, TEXAS, WASHINGTON, PENNSYLVANIA)}


def rule_set(state):
    """The rule set of a state code (CA, TX, WA, PA)."""
    return RULE_SETS[state]

