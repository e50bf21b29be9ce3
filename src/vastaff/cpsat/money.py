"""Dollar amounts as integer cents: CP-SAT objectives take integer coefficients."""


def cents(dollars: float) -> int:
    return int(round(dollars * 100))
