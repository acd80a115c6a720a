"""Pages of a long list: every row reachable, none cut at a fixed number."""
from dataclasses import dataclass

from fieldapp.numbers import whole_number

PER_PAGE = 50
# A page number longer than this is past the end of any list: it is not
# converted (int() refuses strings past 4,300 digits) but read as "the end".
_DIGITS = 9
PAST_ANY_END = 10**_DIGITS


@dataclass
class Page:
    items: list
    number: int  # 1-based
    per_page: int
    total: int  # rows matching, on every page
    past_end: bool = False  # a later page was asked for: this is the last one

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def first_row(self):
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_row(self):
        return self.first_row + len(self.items) - 1 if self.items else 0


def page_number(value):
    """The page asked for in a query string ("3").

    1 when missing, zero, signed or not a whole number; a number of any
    length past the end of every list (a 5,000-digit one included) stays
    past the end, so the list shows its last page (see clamp). Never raises."""
    text = value.strip() if isinstance(value, str) else ""
    if text.isascii() and text.isdigit():
        digits = text.lstrip("0")
        if len(digits) > _DIGITS:
            return PAST_ANY_END
        text = digits
    return whole_number(text, 1, PAST_ANY_END) or 1


def clamp(number, total, per_page=PER_PAGE):
    """(page number to show, whether `number` was past the last page) for a
    list of total rows: below 1 shows the first page, past the end the last."""
    last = max(1, -(-total // per_page))
    return min(max(1, number), last), number > last


def paginate(query, number, per_page=PER_PAGE, total=None):
    """One page of a Peewee query (ordered by the caller) with the count of all rows.
    A page past the end gives the last page, and says so (Page.past_end)."""
    total = query.order_by().count() if total is None else total
    number, past_end = clamp(number, total, per_page)
    return Page(list(query.paginate(number, per_page)), number, per_page, total, past_end)


def paginate_list(rows, number, per_page=PER_PAGE):
    """The same for rows already in memory."""
    total = len(rows)
    number, past_end = clamp(number, total, per_page)
    start = (number - 1) * per_page
    return Page(rows[start:start + per_page], number, per_page, total, past_end)
