"""The index's results: an indicator's parts and score, a group's, a unit's and the whole table."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from motcua.org.models import Agency

# ---------------------------------------------------------------- results


@dataclass
class IndicatorPart:
    """A figure a compound indicator is made of (5.4), or what cost an indicator its points (2.1)."""

    label: str
    numerator: int
    denominator: int
    percent: Decimal | None
    figure: str | None = None  # reports:dossiers figure for the list behind the numerator
    measures: tuple = ()


@dataclass
class IndicatorScore:
    code: str
    name: str
    formula: str
    numerator: object  # int, or Decimal days for 2.2, or None for the compound 5.4
    denominator: object
    percent: Decimal | None  # None when the denominator is 0 (not applicable)
    target: int | None
    max_points: int
    points: Decimal | None  # None: not applicable (nothing to measure), left out of the total
    source: str
    measures: tuple = ()
    figure: str | None = None
    note: str = ""
    parts: list = field(default_factory=list)
    missing_input: bool = False

    @property
    def applicable(self) -> bool:
        return self.points is not None


@dataclass
class GroupScore:
    code: str
    name: str
    max_points: int
    points: Decimal
    indicators: list
    applicable_max: int = 0


@dataclass
class UnitIndex:
    agency: Agency | None  # None for the total row
    rank: int | None
    total: Decimal  # on 100 points, over the indicators that apply
    grade: str
    groups: list
    points: Decimal = Decimal(0)  # sum of the points earned
    applicable_max: int = 0  # sum of the maximum points of the indicators that apply

    @property
    def indicators(self) -> list:
        return [i for g in self.groups for i in g.indicators]

    def indicator(self, code: str) -> IndicatorScore:
        return next(i for i in self.indicators if i.code == code)


@dataclass
class IndexTable:
    start: date
    end: date
    units: list
    province: UnitIndex | None
