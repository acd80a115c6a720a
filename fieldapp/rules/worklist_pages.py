"""The worklist narrowed and paged for a screen: by officer, step and
section, every student reachable (no section is cut at a fixed number)."""
import datetime

from fieldapp.paging import paginate_list

PREVIEW = 20  # students per section when every section is shown; the rest a click away
NOBODY = "none"  # the officer filter's value for students without an officer
TO_TAKE = ("new", "due_soon", "later")  # sections of a step still to take, not overdue or held
WEEK = 7  # "due this week": each school's today and the six days after it


def due_by(today):
    """The last day of "due this week" at a school whose today is `today`."""
    return today + datetime.timedelta(days=WEEK - 1)


def narrow(listing, officer=None, step=None, due_this_week=False):
    """Keep in listing (fieldapp.rules.worklist.Worklist, built whole) the
    students whose open case is with officer (an id, or NOBODY for no case or
    no officer), whose next step is step (a code), and, with due_this_week,
    whose step is still to take (not overdue, not held) and due by due_by of
    the day the student's standing answers for; totals follow."""
    def keep(item):
        if officer is not None:
            held = item.case.officer_id if item.case else None
            if (held is not None) if officer == NOBODY else held != officer:
                return False
        if due_this_week and not (item.section in TO_TAKE and item.step is not None
                                  and item.step.due_on <= due_by(item.result.on_day)):
            return False
        return step is None or (item.step is not None and item.step.step.code == step)
    for code, items in list(listing.sections.items()):
        listing.sections[code] = [item for item in items if keep(item)]
        listing.totals[code] = len(listing.sections[code])
    return listing


def pages(listing, section=None, number=1, per_page=50):
    """{section code: Page}: the chosen section paged, or the first PREVIEW of each."""
    if section is not None:
        return {section: paginate_list(listing.sections.get(section, []), number, per_page)}
    return {code: paginate_list(items, 1, PREVIEW) for code, items in listing.sections.items() if items}
