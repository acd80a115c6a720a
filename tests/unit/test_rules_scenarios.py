"""Dated scenarios at the edges the statutes draw: a birthday on the day asked
(CA EC 48200), 29 February birthdays, no birth date on file, SIS spellings of
excused parts of days, marks on imported holidays, a transfer between schools
with different calendars, and the age a route is decided at: TX Ed Code
25.0951(a)-(b) with Family Code 65.003(a), WA RCW 28A.225.030(1), PA 24 P.S.
13-1333.1(a)-(b); and CA EC 48262's effort after the first report."""
from fieldapp.imports.attendance_lookups import category_code
from fieldapp.rules.ages import age_on
from fieldapp.rules.calendar import CalendarBook
from tests.unit.rules_support import CALENDAR, D, HOLIDAYS, case, standing, step, unexcused

THREE = unexcused(D(2025, 9, 3), D(2025, 9, 10), D(2025, 9, 17))


def test_ca_48200_a_mark_on_the_sixth_birthday_counts_the_day_before_does_not():
    on_birthday = standing("CA", THREE, D(2025, 9, 17), born=D(2019, 9, 17), grade="01")
    assert on_birthday.counts["year"] == 1 and on_birthday.status is None
    assert on_birthday.not_bound == ""


def test_ca_48200_on_the_eighteenth_birthday_nothing_is_due_and_the_page_says_why():
    result = standing("CA", THREE, D(2025, 9, 17), born=D(2007, 9, 17), grade="12")
    assert result.next_step is None and result.counts["year"] == 2
    assert "18 years old" in " ".join(result.why_nothing_due)
    assert "EC 48200" in " ".join(result.why_nothing_due)


def test_ca_48200_a_leap_day_child_turns_six_on_1_march_in_a_common_year():
    assert age_on(D(2020, 2, 29), D(2026, 2, 28)) == 5 and age_on(D(2020, 2, 29), D(2026, 3, 1)) == 6
    assert age_on(D(2008, 2, 29), D(2026, 2, 28)) == 17 and age_on(D(2008, 2, 29), D(2026, 3, 2)) == 18
    marks = unexcused(D(2026, 2, 23), D(2026, 2, 24), D(2026, 3, 2))
    result = standing("CA", marks, D(2026, 3, 2), born=D(2008, 2, 29), grade="12")
    # Two truancies at 17; the third on 2 March, after the 18th birthday, does not count.
    assert result.counts["year"] == 2 and result.status is None and len(result.left_out["not_of_age"]) == 1


def test_ca_48200_no_birth_date_on_file_keeps_the_duties():
    result = standing("CA", THREE, D(2025, 9, 17), born=None, grade="")
    assert result.status.code == "truant" and result.next_step.step.code == "ca_first_notice"


def test_tx_25_0951_no_birth_date_takes_the_truancy_court_route():
    ten = unexcused(*[D(2025, 9, d) for d in (2, 3, 4, 5, 8, 9, 10, 11, 12, 15)])
    measures = case(contacts=[(D(2025, 9, 5), "conference", "reached_parent")])
    result = standing("TX", ten, D(2025, 9, 15), measures, born=None, grade="")
    assert step(result, "tx_court_referral").pending


def test_sis_spellings_of_excused_parts_of_days_import_as_excused():
    for raw in ("Excused Tardy", "Tardy - Excused", "TARDY (EXCUSED)", "Tardy Excused",
                "uri://ed-fi.org/AttendanceEventCategoryDescriptor#Excused Tardy",
                "Excused Early Departure", "Early Departure - Excused", "Excused Partial Day"):
        assert category_code(raw).startswith("excused_"), raw
    assert category_code("Unexcused Tardy") == "tardy"


def test_ca_48260_an_excused_tardy_of_sixty_minutes_as_exported_does_not_make_a_truant():
    events = unexcused(D(2025, 9, 3), D(2025, 9, 10)) + [(D(2025, 9, 17), category_code("Tardy - Excused"), 60)]
    assert standing("CA", events, D(2025, 9, 17)).status is None


def _book(school_two=None, school_one=None):
    """The district's holidays, and each school's own days off on top of them."""
    return CalendarBook("2025-26", (CALENDAR.first_day, CALENDAR.last_day, HOLIDAYS, {}),
                        {1: (CALENDAR.first_day, CALENDAR.last_day, school_one or {}, {}),
                         2: (CALENDAR.first_day, CALENDAR.last_day, school_two or {}, {})})


def test_ca_48260_a_mark_on_a_holiday_of_the_imported_calendar_is_not_a_truancy():
    events = unexcused(D(2025, 11, 3), D(2025, 11, 7), D(2025, 11, 11))
    result = standing("CA", events, D(2025, 11, 14), book=_book())
    assert result.status is None and result.left_out["not_school_day"] == [D(2025, 11, 11)]
    assert "day without school" in " ".join(result.why_nothing_due)


def test_ca_48260_a_truancy_at_the_former_school_counts_on_that_school_s_calendar():
    # Sep 26 is a staff day at school 1 (where the pupil is now) but a school day at
    # school 2, where the pupil was enrolled until Sep 30 and was truant that day.
    book = _book(school_one={D(2025, 9, 26): "Staff development"})
    spans = ((2, D(2025, 8, 18), D(2025, 9, 30)), (1, D(2025, 10, 1), None))
    events = unexcused(D(2025, 9, 3), D(2025, 9, 10), D(2025, 9, 26))
    result = standing("CA", events, D(2025, 10, 3), spans=spans, calendar=book.for_school(1),
                      book=book)
    assert result.counts["year"] == 3 and result.status.code == "truant"


def test_ca_48260_a_mark_on_the_former_school_s_holiday_is_not_a_truancy():
    # Sep 26 was a holiday at school 2 (enrolled until Sep 30); school 1 had school that day.
    spans = ((2, D(2025, 8, 18), D(2025, 9, 30)), (1, D(2025, 10, 1), None))
    book = _book(school_two={D(2025, 9, 26): "Staff development"})
    events = unexcused(D(2025, 9, 3), D(2025, 9, 10), D(2025, 9, 26))
    result = standing("CA", events, D(2025, 10, 3), spans=spans, calendar=book.for_school(1), book=book)
    assert result.counts["year"] == 2 and result.status is None


TX_TEN = [D(2025, 9, d) for d in (2, 3, 4, 5, 8, 9, 10, 11, 12, 15)]
TX_MEASURES = case(contacts=[(D(2025, 9, 5), "conference", "reached_parent")])


def test_tx_25_0951_b_eleven_at_the_tenth_absence_twelve_by_the_deadline_is_the_parent_complaint():
    # The 10th absence is on Sep 15 at 11; the 12th birthday is Sep 20, before the
    # referral deadline (10 school days). Family Code 65.003(a) truant conduct is a
    # child's (12 or older, 65.002(2)); Ed Code 25.0951(b) sends the younger child's
    # absences to a complaint against the parent.
    result = standing("TX", unexcused(*TX_TEN), D(2025, 9, 22), TX_MEASURES, born=D(2013, 9, 20), grade="06")
    assert result.age == 12
    assert step(result, "tx_parent_complaint").pending
    assert not step(result, "tx_court_referral").pending


def test_tx_25_0951_a_twelve_at_the_tenth_absence_goes_to_truancy_court():
    result = standing("TX", unexcused(*TX_TEN), D(2025, 9, 22), TX_MEASURES, born=D(2013, 9, 15), grade="06")
    assert step(result, "tx_court_referral").pending and not step(result, "tx_parent_complaint").applies


WA_DAYS = [d for d in CALENDAR.days if d.month in (9, 10)][:15]


def test_wa_28a_225_030_1_the_petition_is_owed_for_a_child_under_17_at_the_fifteenth_absence():
    # 15th unexcused absence at 16; the 17th birthday falls before the day asked.
    conference = case(contacts=[(D(2025, 9, 2), "conference", "reached_parent")])
    fifteenth = WA_DAYS[-1]
    born = D(2008, fifteenth.month, fifteenth.day + 1)
    result = standing("WA", unexcused(*WA_DAYS), D(2025, 10, 10), conference, born=born, grade="11")
    assert age_on(born, fifteenth) == 16 and result.age == 17
    assert step(result, "wa_petition").pending


PA_SIX = [D(2025, 9, d) for d in (3, 10, 17, 24)] + [D(2025, 10, 1), D(2025, 10, 8)]


def test_pa_13_1333_1_a_habitually_truant_at_14_is_referred_under_a_after_turning_15():
    held = case(contacts=[(D(2025, 9, 29), "conference", "refused")])
    result = standing("PA", unexcused(*PA_SIX), D(2025, 10, 14), held, born=D(2010, 10, 10), grade="09")
    assert result.age == 15
    assert step(result, "pa_referral").pending and not step(result, "pa_referral_15").pending


CA_FIVE = [D(2025, 9, d) for d in (3, 10, 17, 24)] + [D(2025, 10, 1)]


def test_ca_48262_a_call_before_the_first_truancy_report_is_not_the_effort():
    # 48262: the effort to hold a conference comes after the filing of a report under 48260 or 48261.
    early = case(contacts=[(D(2025, 8, 25), "phone", "reached_parent")])
    result = standing("CA", unexcused(*CA_FIVE), D(2025, 10, 1), early)
    assert result.status.code == "truant"
    assert "48262" in step(result, "ca_habitual_truant").missing[0]


def test_ca_48262_a_conference_invitation_letter_alone_is_the_effort():
    from fieldapp.rules.engine import CaseRecord
    record = CaseRecord(letters=((D(2025, 9, 22), "conference_invitation"),))
    result = standing("CA", unexcused(*CA_FIVE), D(2025, 10, 1), record)
    assert result.status.code == "habitual_truant" and step(result, "ca_habitual_truant").missing == ()

