"""The building blocks of a contract model file: a number with its article (`Term`), bounded number types, times.

Numbers are typed strictly (`true` is not the number 1, `"12"` is not 12) and bounded (contract/model.py says why).
"""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from vastaff.schemas.fields import minutes_of_day

T = TypeVar("T")
MAX_DOLLARS = 1_000_000
"""Bound of every dollar amount: 10^8 cents; a district's money stage sums stay below 10^15, far under 2^62."""
MAX_TERM_COUNT = 10_000
"""Bound of class sizes and caps: far above the article's numbers."""
MAX_WEIGHT = 1_000_000
"""Bound of an objective weight: weight x (sections or teachers of a district) stays below 10^12."""
MAX_HOURS = 1_000
"""Bound of X-time hours owed once per teacher (A12)."""


def whole(lo: int, hi: int):
    """A whole number in lo..hi; a boolean or a text is not one."""
    return Annotated[int, Field(ge=lo, le=hi, strict=True)]


PositiveInt = whole(1, MAX_TERM_COUNT)
Weight = whole(0, MAX_WEIGHT)
Money = Annotated[float, Field(ge=0, le=MAX_DOLLARS, strict=True)]
Hours = Annotated[float, Field(ge=0, le=MAX_HOURS, strict=True)]
Flag = Annotated[bool, Field(strict=True)]
HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class _Strict(BaseModel):
    # defer_build: a model's validator is built when first used, so a command builds only what it validates with
    # (of ~90 models, a solve uses ~16: 0.05 s of every start)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Term(_Strict, Generic[T]):
    """A contract number with the article it comes from."""

    value: T
    article: str = Field(min_length=1, description="article of the VA article, e.g. '6.0 A(1)'")
    rule: str | None = Field(default=None, description="rule ID (vastaff rules), e.g. 'A6.1'")
    note: str | None = None


class Window(_Strict):
    start: HHMM
    end: HHMM

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: str, info: ValidationInfo) -> str:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError(f"expected a time after start {start}")
        return end

    def minutes(self) -> tuple[int, int]:
        return minutes_of_day(self.start), minutes_of_day(self.end)
