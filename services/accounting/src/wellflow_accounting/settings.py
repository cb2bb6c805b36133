"""The accounting service's settings: what every service reads (docs/CONVENTIONS.md), the suspense
thresholds (docs/domain.md marks them OPEN, so they are settings) and the operator's contact printed on every
owner statement (a check-stub item of Nat. Res. Code 91.502)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from wellflow_servicekit.settings import ServiceSettings

from .domain.distribution import SuspenseRules


class AccountingSettings(ServiceSettings):
    suspense_minimum_payment: Decimal = Field(
        default=Decimal("100.00"), ge=0, description="an owner is paid once its balance reaches this (dollars)"
    )
    suspense_yearly_minimum: Decimal = Field(
        default=Decimal("10.00"), ge=0, description="balances above this are paid at least once a year"
    )
    suspense_yearly_release_month: int = Field(
        default=12, ge=1, le=12, description="the sales month whose run pays balances above the yearly minimum"
    )
    operator_name: str = Field(default="WellFlow Operator", description="printed on owner and JIB statements")
    operator_address: str = Field(default="", description="the owner-relations address printed on statements")
    operator_phone: str = Field(default="", description="the owner-relations phone printed on statements")

    @property
    def suspense_rules(self) -> SuspenseRules:
        return SuspenseRules(
            minimum_payment=self.suspense_minimum_payment,
            yearly_minimum=self.suspense_yearly_minimum,
            yearly_release_month=self.suspense_yearly_release_month,
        )
