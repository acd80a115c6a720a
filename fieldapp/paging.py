"""Pages of a long list: every row reachable, none cut at a fixed number."""
from dataclasses import dataclass

from fieldapp.numbers import whole_number

PER_PAGE = 50


@dataclass
class Page:
    items: list
    number: int  # 1-based
    per_page: int
    total: int  # rows matching, on every page

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
    """The page asked for in a query string ("3"); 1 when missing or not a number."""
    return whole_number(value or "", 1, 999_999) or 1


def paginate(query, number, per_page=PER_PAGE, total=None):
    """One page of a Peewee query (ordered by the caller) with the count of all rows.
    A page past the end gives the last page."""
    total = query.order_by().count() if total is None else total
    last = max(1, -(-total // per_page))
    number = min(max(1, number), last)
    return Page(list(query.paginate(number, per_page)), number, per_page, total)


def paginate_list(rows, number, per_page=PER_PAGE):
    """The same for rows already in memory."""
    total = len(rows)
    number = min(max(1, number), max(1, -(-total // per_page)))
    start = (number - 1) * per_page
    return Page(rows[start:start + per_page], number, per_page, total)
