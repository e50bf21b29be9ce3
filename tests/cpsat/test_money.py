"""cpsat/money.py: dollars of the model file as integer cents, the unit of every money term."""

from __future__ import annotations

from vastaff.cpsat.money import cents


def test_dollars_become_whole_cents():
    assert cents(1200) == 120_000
    assert cents(12 * 60) == 72_000
    assert cents(19.99) == 1_999  # 1998.9999999999998 in binary: rounded, not truncated
    assert cents(0) == 0
