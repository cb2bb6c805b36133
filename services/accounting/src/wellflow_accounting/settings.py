"""The accounting service's settings: what every service reads (docs/CONVENTIONS.md), the suspense
thresholds (docs/domain.md marks them OPEN, so they are settings). The operator's contact printed on statements
is the organization's profile, from identity's events (``app/operator.py``), not a setting."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from wellflow_servicekit.settings import ServiceSettings
from wellflow_texas import payment_law

from .domain.distribution import SuspenseRules


class AccountingSettings(ServiceSettings):
    # Tex. Nat. Res. Code 91.402(f) (wellflow_texas.payment_law): an organization may pay sooner, never later.
    suspense_minimum_payment: Decimal = Field(
        default=payment_law.ACCUMULATE_UNTIL,
        ge=0,
        le=payment_law.ACCUMULATE_UNTIL,
        description="an owner is paid once its balance reaches this (dollars; at most the statute's $100)",
    )
    suspense_yearly_minimum: Decimal = Field(
        default=payment_law.YEARLY_MINIMUM,
        ge=0,
        le=payment_law.YEARLY_MINIMUM,
        description="balances above this are paid at least once a year (at most the statute's $10)",
    )
    suspense_yearly_release_month: int = Field(
        default=12, ge=1, le=12, description="the sales month whose run pays balances above the yearly minimum"
    )

    late_payment_check_interval_seconds: float = Field(
        default=86_400.0,
        ge=0,
        description="how often the late-payment check runs (Nat. Res. Code 91.402/91.403); 0 turns it off",
    )

    @property
    def suspense_rules(self) -> SuspenseRules:
        return SuspenseRules(
            minimum_payment=self.suspense_minimum_payment,
            yearly_minimum=self.suspense_yearly_minimum,
            yearly_release_month=self.suspense_yearly_release_month,
        )
