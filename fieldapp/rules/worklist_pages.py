"""The worklist narrowed and paged for a screen: by officer, step and
section, every student reachable (no section is cut at a fixed number)."""
from fieldapp.paging import paginate_list

PREVIEW = 20  # students per section when every section is shown; the rest a click away
NOBODY = "none"  # the officer filter's value for students without an officer


def narrow(listing, officer=None, step=None):
    """Keep in listing (fieldapp.rules.worklist.Worklist, built whole) the
    students whose open case is with officer (an id, or NOBODY for no case or
    no officer) and whose next step is step (a code); totals follow."""
    def keep(item):
        if officer is not None:
            held = item.case.officer_id if item.case else None
            if (held is not None) if officer == NOBODY else held != officer:
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
