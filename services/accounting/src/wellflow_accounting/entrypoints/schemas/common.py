"""What every schema shares: text and number constraints (a bad value answers 422 naming the field before
anything is written) and the base of request bodies."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from ...domain.nacha import routing_problem
from ...domain.partners import normalize_tax_id


def _no_nul(value: str) -> str:
    """PostgreSQL text cannot hold U+0000: refused here as bad input, naming the field."""
    if "\x00" in value:
        raise ValueError("text may not contain the NUL character")
    return value


NoNul = AfterValidator(_no_nul)
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NoNul]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), NoNul]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), NoNul]
Money = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]
PositiveMoney = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Volume = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4)]
Price = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=4)]
OwnershipDecimal = Annotated[Decimal, Field(gt=0, le=1, max_digits=10, decimal_places=8)]
Rate = Annotated[Decimal, Field(ge=0, lt=1, max_digits=10, decimal_places=8)]
Acres = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=6)]


def _tax_id(value: str) -> str:
    return normalize_tax_id(value)


TaxId = Annotated[str, AfterValidator(_tax_id)]
Digits = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{4,17}$")]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), NoNul
]
StateCode = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z]{2}$"), AfterValidator(str.upper)
]


def _routing(value: str) -> str:
    problem = routing_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Routing = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{9}$"), AfterValidator(_routing)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")
