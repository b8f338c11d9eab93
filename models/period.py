"""Quarters (``2024Q3``), the planning time step."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

_PERIOD_RE = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar quarter; orders, subtracts and adds like an integer count of quarters."""

    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        if isinstance(text, Period):
            return text
        match = _PERIOD_RE.match(str(text).strip())
        if not match:
            raise ValueError(f"{text!r} is not a quarter like 2024Q3")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def index(self) -> int:
        """Quarters since year 0; differences of indexes count quarters."""
        return self.year * 4 + self.quarter - 1

    @classmethod
    def from_index(cls, index: int) -> Period:
        return cls(index // 4, index % 4 + 1)

    @property
    def is_year_end(self) -> bool:
        return self.quarter == 4

    def __add__(self, quarters: int) -> Period:
        return Period.from_index(self.index + quarters)

    def __sub__(self, other: Period) -> int:
        return self.index - other.index

    # Written out rather than derived (functools.total_ordering): a province's greedy compares quarters a
    # million times, and each derived comparison is two calls more.
    def __lt__(self, other: Period) -> bool:
        return self.year * 4 + self.quarter < other.year * 4 + other.quarter

    def __le__(self, other: Period) -> bool:
        return self.year * 4 + self.quarter <= other.year * 4 + other.quarter

    def __gt__(self, other: Period) -> bool:
        return self.year * 4 + self.quarter > other.year * 4 + other.quarter

    def __ge__(self, other: Period) -> bool:
        return self.year * 4 + self.quarter >= other.year * 4 + other.quarter

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"

    def __repr__(self) -> str:
        return f"Period('{self}')"

    @staticmethod
    def span(start: Period, end: Period) -> list[Period]:
        """Every quarter from ``start`` to ``end``, both included."""
        return [Period.from_index(i) for i in range(start.index, end.index + 1)]

    @staticmethod
    def iter_years(periods: list[Period]) -> Iterator[int]:
        seen: set[int] = set()
        for period in periods:
            if period.year not in seen:
                seen.add(period.year)
                yield period.year

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )
