"""Field types and the strict base every request body shares."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from ...domain.api_number import ApiNumber
from ...domain.errors import InvalidApiNumber
from ...domain.rules import normalize_district


def _api_number(value: str) -> str:
    try:
        return ApiNumber.parse(value).digits
    except InvalidApiNumber as exc:
        raise ValueError(exc.message) from None


def _district(value: str) -> str:
    return normalize_district(value)


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
ApiNumberIn = Annotated[str, AfterValidator(_api_number)]
District = Annotated[str, AfterValidator(_district)]
LeaseNumber = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[0-9A-Z]{1,6}$")]
Latitude = Annotated[Decimal, Field(ge=-90, le=90, max_digits=10, decimal_places=7)]
Longitude = Annotated[Decimal, Field(ge=-180, le=180, max_digits=10, decimal_places=7)]
Depth = Annotated[Decimal, Field(ge=0, le=60000, decimal_places=2)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
