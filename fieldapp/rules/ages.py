"""Compulsory school age: who the attendance statutes bind on a given day.

Each rule-set version carries a Compulsory rule (its ages and who is bound
younger once enrolled); a student's birth date and grade decide the rest.
A student whose birth date is unknown is treated as bound: the duties to the
family are not dropped for want of a date of birth.
"""
from dataclasses import dataclass

from fieldapp.messages import Message
from fieldapp.numbers import whole_number

# OneRoster grade codes below grade 1; SIS exports also write "K" and "0".
EARLY_GRADES = {"IT", "PR", "PK", "TK", "KG"}
GRADE_SPELLINGS = {"K": "KG", "0": "KG", "00": "KG", "PREK": "PK", "PRE-K": "PK"}


@dataclass(frozen=True)
class Compulsory:
    """From the `from_age`th birthday until the day before the `until_age`th a
    child must attend (`statute`). Younger children are bound once enrolled
    from `enrolled_from_age` (WA 6 and 7-year-olds), in `enrolled_grades`
    whatever their age (TX prekindergarten and kindergarten), or whenever
    enrolled (`enrolled_binds`: PA, where compulsory age starts when the parents
    elect to have the child enter school). `older_statute` binds those past
    `until_age` who enrol voluntarily (TX 25.085(e)); they stay bound, under
    the steps written for their age."""
    from_age: int
    until_age: int
    statute: str
    enrolled_from_age: int = None
    enrolled_grades: tuple = ()
    enrolled_statute: str = ""
    enrolled_binds: bool = False
    older_statute: str = ""

    def describe(self):
        """Who the statutes bind, for the rule-set page: a tuple of Messages,
        one per group ("from the 6th birthday to the day before the 18th (EC 48200)", ...)."""
        parts = [Message("from the %(start)sth birthday to the day before the %(end)sth (%(statute)s)",
                         start=self.from_age, end=self.until_age, statute=self.statute)]
        if self.enrolled_binds:
            parts.append(Message("younger children once enrolled (the parents have elected to have them enter school)"))
        if self.enrolled_from_age is not None:
            parts.append(Message("children of %(age)s or older once enrolled (%(statute)s)",
                                 age=self.enrolled_from_age, statute=self.enrolled_statute))
        if self.enrolled_grades:
            parts.append(Message("younger children enrolled in %(grades)s or already in grade 1 (%(statute)s)",
                                 grades=", ".join(self.enrolled_grades), statute=self.enrolled_statute))
        if self.older_statute:
            parts.append(Message("students of %(age)s or older who enrol voluntarily, under their own steps "
                                 "(%(statute)s)", age=self.until_age, statute=self.older_statute))
        return tuple(parts)


def age_on(birth, day):
    """Whole years of age on day (None when the birth date is unknown). A
    29 February birthday is completed on 1 March in other years."""
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def grade_code(raw):
    """'K' -> 'KG', '1' -> '01', 'kg' -> 'KG'; '' when unknown."""
    text = (raw or "").strip().upper()
    text = GRADE_SPELLINGS.get(text, text)
    return text.zfill(2) if text.isascii() and text.isdigit() else text


def is_elementary(grade, last_grade=5):
    """Kindergarten to `last_grade` (a district's elementary schools)."""
    code = grade_code(grade)
    return code == "KG" or whole_number(code, 1, last_grade) is not None


def _enrolled_younger_bound(rule, age, grade):
    code = grade_code(grade)
    if rule.enrolled_binds:
        return True
    if code in rule.enrolled_grades or (whole_number(code, 1) is not None and rule.enrolled_grades):
        return True  # TX 25.085(b)-(c): prekindergarten, kindergarten, or first grade already
    return rule.enrolled_from_age is not None and age >= rule.enrolled_from_age


def bound_on(rule, birth, grade, day):
    """(bound, why not) on day: whether the attendance statutes bind an
    enrolled student of this birth date and grade; `why not` is a Message
    saying which age rule leaves them out ('' when bound)."""
    if rule is None:
        return True, ""
    age = age_on(birth, day)
    if age is None:
        return True, ""
    if age >= rule.until_age:
        if rule.older_statute:
            return True, ""
        return False, Message("%(age)s years old: past compulsory school age, which ends at the "
                              "%(until)sth birthday (%(statute)s)", age=age, until=rule.until_age,
                              statute=rule.statute)
    if age >= rule.from_age or _enrolled_younger_bound(rule, age, grade):
        return True, ""
    return False, Message("%(age)s years old: under compulsory school age, which starts at the "
                          "%(from)sth birthday (%(statute)s)", age=age, **{"from": rule.from_age},
                          statute=rule.statute)


# A student whose birth date is unknown takes the routes of a child of this age (the
# truancy court in Texas, the under-15 referral in Pennsylvania, the petition in Washington).
UNKNOWN_AGE_ROUTE = 12


def in_ages(ages, age):
    """Is age within [low, high) (either end None: open)? An unknown age is
    taken as UNKNOWN_AGE_ROUTE."""
    low, high = ages
    if age is None:
        age = UNKNOWN_AGE_ROUTE
    return (low is None or age >= low) and (high is None or age < high)

