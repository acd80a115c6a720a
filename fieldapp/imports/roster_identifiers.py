"""What a roster says of identifiers more than one active student holds."""
from fieldapp.imports.roster_changes import BATCH
from fieldapp.messages import NP_, plural_message
from fieldapp.models import Student

STUDENTS_OF_ID = NP_("%(key)s (%(num)d student)", "%(key)s (%(num)d students)")  # an identifier several hold
SHARED_IDS = NP_(
    "%(num)d identifier is held by more than one active student (one record per school, as the Ed-Fi "
    "OneRoster mapping makes them); attendance naming it is matched by its schoolId: %(ids)s",
    "%(num)d identifiers are held by more than one active student (one record per school, as the Ed-Fi "
    "OneRoster mapping makes them); attendance naming them is matched by its schoolId: %(ids)s")
CONFLICTING_IDS = NP_(  # held twice at one school: no schoolId settles it
    "Conflict: %(num)d identifier is held by more than one active student at the same school; no "
    "schoolId can tell them apart, so attendance rows naming it will be row problems until the district "
    "gives each student their own (or names them by sourcedId): %(ids)s",
    "Conflict: %(num)d identifiers are each held by more than one active student at the same school; no "
    "schoolId can tell them apart, so attendance rows naming them will be row problems until the "
    "district gives each student their own (or names them by sourcedId): %(ids)s")


def note_shared_identifiers(report, new_students=()):
    """Say which identifiers (studentUniqueId) more than one active student
    holds: attendance rows naming them are matched by their school, unless
    two of them are at one school, which no row can settle (a conflict, said
    apart). new_students: (local id, school id) of those a preview would create."""
    from collections import Counter

    from peewee import fn
    new = [(local_id, school) for local_id, school in new_students if local_id]
    held = Counter(local_id for local_id, _ in new)
    if held:  # a preview: stored students and those it would create, counted together
        held.update(dict(Student.select(Student.local_id, fn.COUNT(Student.id)).where(
            Student.active == True, Student.local_id != "").group_by(Student.local_id).tuples()))  # noqa: E712
        shared = sorted((key, n) for key, n in held.items() if n > 1)
    else:
        shared = list(Student.select(Student.local_id, fn.COUNT(Student.id)).where(
            Student.active == True, Student.local_id != "").group_by(Student.local_id)  # noqa: E712
            .having(fn.COUNT(Student.id) > 1).order_by(Student.local_id).tuples())
    if not shared:
        return
    clashing = _held_twice_at_a_school([key for key, _ in shared], new)
    conflicts = [(key, n) for key, n in shared if key in clashing]
    shared = [(key, n) for key, n in shared if key not in clashing]
    for pairs, (singular, plural) in ((shared, SHARED_IDS), (conflicts, CONFLICTING_IDS)):
        if pairs:
            ids = tuple(plural_message(*STUDENTS_OF_ID, n, key=key, num=n) for key, n in pairs[:20])
            report.note(plural_message(singular, plural, len(pairs), num=len(pairs),
                                       ids=ids + (("…",) if len(pairs) > 20 else ())))


def _held_twice_at_a_school(keys, new):
    """Those of keys (shared identifiers) two active students hold at one
    school, stored or among new ((local id, school id) a preview would create)."""
    from collections import Counter

    from peewee import fn
    wanted = set(keys)
    at_school = Counter(pair for pair in new if pair[0] in wanted)
    for start in range(0, len(keys), BATCH):
        at_school.update({(key, school): n for key, school, n in Student.select(
            Student.local_id, Student.school, fn.COUNT(Student.id)).where(
            Student.active == True, Student.local_id.in_(keys[start:start + BATCH]))  # noqa: E712
            .group_by(Student.local_id, Student.school).tuples()})
    return {key for (key, _), n in at_school.items() if n > 1}
