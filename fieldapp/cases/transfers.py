"""When the roster moves a student to another school, their open case (and a
referral still waiting for an officer) moves with them: to the new school, its officer (or its unassigned queue), with a
line in the case's history. Scope follows the student's current school (see
fieldapp.policy), so the old school's staff lose access at once."""
from fieldapp.cases import history_text
from fieldapp.models import Case, CaseEvent, Referral, School, User
from fieldapp.timefmt import today_for_school


def _new_officer(case, school_id, officers):
    """Keep an officer who also works the new school; else the school's officer, or nobody."""
    if case.officer_id is not None and school_id in User.get_by_id(case.officer_id).school_ids():
        return case.officer_id
    officer = officers.get(school_id)
    return officer.id if officer else None


def move_open_cases(transfers, journal, user=None):
    """Move the open case of each (student id, old school id, new school id);
    journalled so an import's undo moves it back. Returns how many moved."""
    if not transfers:
        return 0
    from fieldapp.rules.autoopen import _opener, school_officers
    officers, names, moved = school_officers(), dict(School.select(School.id, School.name).tuples()), 0
    for student_id, old_school, new_school in transfers:
        case = Case.get_or_none((Case.student == student_id) & (Case.status == "open"))
        if case is None or case.school_id == new_school:
            continue
        officer = _new_officer(case, new_school, officers)
        before = {"school": case.school_id, "officer": case.officer_id}
        Case.update(school=new_school, officer=officer).where(Case.id == case.id).execute()
        journal.updated("case", case.id, before, {"school": new_school, "officer": officer})
        by = _opener(user, officers.get(new_school)) or case.opened_by
        on = today_for_school(new_school)
        CaseEvent.create(case=case, kind="transferred", from_value=names.get(case.school_id, "")[:255],
                         to_value=names.get(new_school, "")[:255], by=by,
                         **history_text.said("transferred", school=names.get(case.school_id, ""), day=on))
        moved += 1
    return moved


def move_waiting_referrals(transfers, journal):
    """Move each transferred student's referral still waiting for an officer
    to the new school and its officer (or its unassigned queue), as the open
    case moves: the old school's officer no longer sees or answers it.
    transfers: (student id, old school id, new school id); journalled so an
    import's undo moves it back. Returns how many moved."""
    if not transfers:
        return 0
    from fieldapp.rules.autoopen import school_officers
    officers, moved = school_officers(), 0
    for student_id, _, new_school in transfers:
        for referral in Referral.select().where((Referral.student == student_id) & (Referral.status == "waiting")
                                                & (Referral.school != new_school)):
            officer = officers.get(new_school)
            officer = officer.id if officer else None
            before = {"school": referral.school_id, "officer": referral.officer_id}
            Referral.update(school=new_school, officer=officer).where(Referral.id == referral.id).execute()
            journal.updated("referral", referral.id, before, {"school": new_school, "officer": officer})
            moved += 1
    return moved
