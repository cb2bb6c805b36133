"""Bodies of the organization's profile (GET and PATCH /api/v1/organizations/current)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from wellflow_servicekit.kernel import invalid

from ..domain.profile import LOGO_MAX_BYTES, ProfileError, normalize_phone, normalize_tax_id, parse_logo

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
StateCode = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z]{2}$"), AfterValidator(str.upper)
]
PostalCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{5}(-[0-9]{4})?$")]
RrcOperatorNumber = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]


class MailingAddressBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line1: Line = Field(description="street address or P.O. box")
    line2: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    city: Line
    state: StateCode = Field(description="two-letter state code, e.g. TX")
    postal_code: PostalCode = Field(description="ZIP or ZIP+4, e.g. 79701 or 79701-1234")


class OrganizationUpdate(BaseModel):
    """Only the fields sent change; null clears an optional field (the name can change but not be cleared)."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    legal_name: Name | None = Field(default=None, description="the company's legal name, as on its Form P-5")
    mailing_address: MailingAddressBody | None = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = Field(
        default=None, description="owner-relations telephone, a 10-digit US number (e.g. 432-555-0100)"
    )
    email: EmailStr | None = Field(default=None, description="owner-relations email")
    rrc_operator_number: RrcOperatorNumber | None = Field(default=None, description="Texas RRC operator number (P-5)")
    tax_id: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] | None = Field(
        default=None, description="the company's EIN, nine digits (optional; always answered masked)"
    )
    logo: Annotated[str, Field(max_length=(LOGO_MAX_BYTES * 4) // 3 + 100)] | None = Field(
        default=None,
        description=f"a data URL, data:image/png;base64,... or image/jpeg, at most {LOGO_MAX_BYTES // 1024} KiB",
    )

    def changes(self) -> dict[str, Any]:
        """The sent fields as identity's columns, checked by the domain (422 naming the field)."""
        sent = self.model_dump(exclude_unset=True)
        if sent.get("name", "") is None:
            sent.pop("name")  # the name may change but never be removed
        columns: dict[str, Any] = {}
        try:
            for key, value in sent.items():
                columns.update(_columns(key, value))
        except ProfileError as error:
            raise invalid(f"body.{error.field}", error.message) from None
        return columns


def _columns(key: str, value: Any) -> dict[str, Any]:
    if key == "mailing_address":
        parts = value or {}
        return {
            "address_line1": parts.get("line1"),
            "address_line2": parts.get("line2") or None,
            "city": parts.get("city"),
            "state": parts.get("state"),
            "postal_code": parts.get("postal_code"),
        }
    if value is None:
        return {"logo": None, "logo_content_type": None} if key == "logo" else {key: None}
    if key == "logo":
        logo = parse_logo(value)
        return {"logo": logo.data, "logo_content_type": logo.content_type}
    if key == "phone":
        return {"phone": normalize_phone(value)}
    if key == "tax_id":
        return {"tax_id": normalize_tax_id(value)}
    if key == "email":
        return {"email": value.strip().lower()}
    return {key: value}


class MailingAddressRead(BaseModel):
    line1: str | None
    line2: str | None
    city: str | None
    state: str | None
    postal_code: str | None


class OrganizationRead(BaseModel):
    organization_id: UUID
    name: str
    legal_name: str | None
    mailing_address: MailingAddressRead | None
    phone: str | None
    email: str | None
    rrc_operator_number: str | None
    tax_id: str | None = Field(description="masked: the last four digits")
    logo: str | None = Field(description="the logo as a data URL, or null")
    logo_sha256: str | None
    version: int = Field(description="the profile's version; each change adds one")
    missing: list[str] = Field(
        description="fields statements and reports need that are not set: legal_name, mailing_address, phone, "
        "rrc_operator_number (statements print them as 'not set')"
    )
    created_at: datetime
    updated_at: datetime
