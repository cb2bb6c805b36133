"""Who hears about what, quiet hours, digests, retries and the escaping of mail: the service's plain rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from wellflow_contracts.events.accounting import (
    AfeOverrunDetected,
    OwnerPaymentLate,
    PaymentRunApproved,
    ReconciliationItemRaised,
)
from wellflow_contracts.events.compliance import FilingDeadlineApproaching
from wellflow_contracts.events.documents import DocumentExpiring, DocumentLink
from wellflow_contracts.ids import uuid7
from wellflow_notifications.app.describe import describe
from wellflow_notifications.domain import messages
from wellflow_notifications.domain.preferences import PreferenceError, changed, defaults_for
from wellflow_notifications.domain.retries import RetryPolicy


@pytest.mark.parametrize(
    ("role", "kind", "channels"),
    [
        ("pumper", "production_alert", ("email", "sms", "in_app")),
        ("manager", "production_alert", ("email", "in_app")),
        ("accountant", "production_alert", ()),
        ("accountant", "filing_deadline", ("email", "in_app")),
        ("pumper", "filing_deadline", ()),
        ("auditor", "afe_overrun", ()),
        ("owner", "owner_payment_late", ("email", "in_app")),
        ("accountant", "payment_run_approved", ("email", "in_app")),
        ("manager", "payment_run_approved", ()),
        ("accountant", "reconciliation_item", ("email", "in_app")),
        ("pumper", "reconciliation_item", ()),
    ],
)
def test_each_role_hears_about_its_own_work_by_default(role: str, kind: str, channels: tuple[str, ...]) -> None:
    assert defaults_for(role).channels_for(kind) == channels


def test_an_owner_gets_a_morning_digest_by_default_and_others_each_mail() -> None:
    assert defaults_for("owner").digest is True
    assert defaults_for("manager").digest is False


def test_quiet_hours_across_midnight_hold_mail_until_they_end_in_the_members_zone() -> None:
    prefs = changed(defaults_for("pumper"), {"quiet_start": time(21), "quiet_end": time(6)})
    # 03:30 UTC on December 8 is 21:30 on December 7 in Midland (CST, UTC-6)
    at = datetime(2026, 12, 8, 3, 30, tzinfo=UTC)
    assert prefs.in_quiet_hours(at)
    assert prefs.release_at(at) == datetime(2026, 12, 8, 12, 0, tzinfo=UTC)  # 06:00 CST
    noon = datetime(2026, 12, 8, 18, 0, tzinfo=UTC)
    assert not prefs.in_quiet_hours(noon) and prefs.release_at(noon) == noon


def test_the_digest_goes_at_the_local_hour_next_morning_after_it_passed() -> None:
    prefs = defaults_for("owner")  # 07:00 America/Chicago
    assert prefs.next_digest_at(datetime(2026, 7, 1, 11, 0, tzinfo=UTC)) == datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert prefs.next_digest_at(datetime(2026, 12, 1, 14, 0, tzinfo=UTC)) == datetime(2026, 12, 2, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sms_number": "4325550123"}, "body.sms_number"),
        ({"channels": {"filing_deadline": ["email"]}}, "body.channels.filing_deadline"),
        ({"channels": {"nonsense": ["email"]}}, "body.channels.nonsense"),
        ({"channels": {"production_alert": ["fax"]}}, "body.channels.production_alert"),
        ({"time_zone": "Central"}, "body.time_zone"),
        ({"quiet_end": time(6)}, "body.quiet_start"),
        ({"quiet_start": time(6), "quiet_end": time(6)}, "body.quiet_end"),
        ({"digest_hour": 24}, "body.digest_hour"),
    ],
)
def test_a_bad_preference_is_refused_naming_its_field(change: dict, field: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(PreferenceError) as refused:
        changed(defaults_for("pumper"), change)
    assert refused.value.field == field


def test_html_mail_escapes_every_value_and_text_mail_keeps_it() -> None:
    values = {
        "organization": 'O\'Neil & Sons "Oil"',
        "name": "<script>alert(1)</script>",
        "role": "owner",
        "title": "Tank <1> & 2",
        "body": "x",
        "link": "https://wf.example.com/console/#/alerts?a=1&b=2",
        "preferences_link": "https://wf.example.com/console/#/notifications/preferences",
    }
    mail = messages.render("notification", values)
    assert "<script>" not in mail.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in mail.html
    assert "O&#x27;Neil &amp; Sons &quot;Oil&quot;" in mail.html
    assert 'href="https://wf.example.com/console/#/alerts?a=1&amp;b=2"' in mail.html
    assert "Hello <script>alert(1)</script>," in mail.text
    assert mail.subject == '[O\'Neil & Sons "Oil"] Tank <1> & 2'


def test_a_missing_template_value_is_an_error_not_a_blank() -> None:
    with pytest.raises(KeyError):
        messages.render("notification", {"organization": "x"})


def test_an_sms_fits_two_segments() -> None:
    text = messages.sms_text("Caprock", "x" * 400, "https://wf.example.com/console/#/alerts")
    assert len(text) == messages.SMS_LIMIT and text.endswith("…")


def test_deadline_and_overrun_notices_read_like_the_office_says_them() -> None:
    org = uuid7()
    deadline = describe(
        FilingDeadlineApproaching(
            tenant_id=org,
            obligation_id=uuid7(),
            obligation="form_pr",
            period=date(2026, 11, 1),
            due_date=date(2026, 12, 31),
            days_before=7,
            state="draft",
        )
    )
    assert deadline is not None and deadline.kind == "filing_deadline"
    assert deadline.title == "Form PR for November 2026 is due in 7 days (December 31, 2026)"
    overrun = describe(
        AfeOverrunDetected(
            tenant_id=org,
            afe_id=uuid7(),
            afe_number="AFE-7",
            approved_estimate=Decimal("850000.00"),
            actual=Decimal("1020000.00"),
            overrun_percent=Decimal("20.00"),
            threshold_percent=Decimal("10.00"),
        )
    )
    assert overrun is not None and "$1,020,000.00 against an approved estimate of $850,000.00" in overrun.body


def test_an_expiring_document_says_its_title_type_date_and_days_left_and_opens_what_it_is_about() -> None:
    well = uuid7()
    notice = describe(
        DocumentExpiring(
            tenant_id=uuid7(),
            document_id=uuid7(),
            version=2,
            version_id=uuid7(),
            document_type="drilling_permit",
            title="W-1 permit, Whitfield 2H",
            expires_on=date(2027, 1, 6),
            days_before=30,
            days_left=1,
            links=[DocumentLink(kind="permit", id=uuid7()), DocumentLink(kind="well", id=well)],
        )
    )
    assert notice is not None and notice.kind == "document_expiring"
    assert notice.title == "W-1 permit, Whitfield 2H expires tomorrow (January 6, 2027)"
    assert notice.body.startswith("W-1 permit, Whitfield 2H (drilling permit) expires January 6, 2027.")
    assert notice.page == f"wells/{well}"  # the permit has no page of its own; the well does


def test_a_late_owner_payment_says_the_month_product_amount_days_and_interest_it_carries() -> None:
    lease = uuid7()
    late = OwnerPaymentLate(
        tenant_id=uuid7(),
        partner_id=uuid7(),
        lease_id=lease,
        sale_month=date(2026, 8, 1),
        product="gas",
        due_date=date(2026, 11, 30),
        unpaid=Decimal("1234.56"),
        days_late=1,
        interest_accrued=Decimal("0.31"),
        checked_on=date(2026, 12, 1),
    )
    notice = describe(late)
    assert notice is not None and notice.kind == "owner_payment_late" and notice.page == "accounting/late-payments"
    assert notice.title == "An owner's gas proceeds for August 2026 are 1 day late"
    assert f"$1,234.56 of an owner's gas proceeds for August 2026 (lease {lease}) was due November 30, 2026" in (
        notice.body
    )
    assert "so far: $0.31." in notice.body
    unknown_rate = describe(late.model_copy(update={"interest_accrued": None}))
    assert unknown_rate is not None and "accrues from the due date" in unknown_rate.body


def test_an_approved_payment_run_and_a_reconciliation_difference_tell_the_office_what_to_do() -> None:
    run = uuid7()
    approved = describe(
        PaymentRunApproved(
            tenant_id=uuid7(),
            payment_run_id=run,
            distribution_run_id=None,
            pay_date=date(2026, 12, 15),
            payments=12,
            ach_total=Decimal("10500.00"),
            check_total=Decimal("1999.99"),
            held=2,
            interest=Decimal("0"),
            approved_by=["Dana Ruiz", "Lee Ortiz"],
            approved_at=datetime(2026, 12, 7, 15, 0, tzinfo=UTC),
        )
    )
    assert approved is not None and approved.kind == "payment_run_approved"
    assert approved.title == "Payment run approved: 12 payments, $12,499.99, to be paid December 15, 2026"
    assert "Approved by Dana Ruiz, Lee Ortiz" in approved.body and "interest" not in approved.body
    assert "2 payees are held" in approved.body and approved.page == f"accounting/payments/{run}"
    item = describe(
        ReconciliationItemRaised(
            tenant_id=uuid7(),
            item_id=uuid7(),
            lease_id=uuid7(),
            month=date(2026, 10, 1),
            cause="volume_differs",
            product="oil",
            message="Purchaser paid 1,180 BBL against 1,210 BBL run",
            expected=Decimal("1210"),
            actual=Decimal("1180"),
            unit="BBL",
        )
    )
    assert item is not None and item.kind == "reconciliation_item" and item.page == "accounting/reconciliation"
    assert item.title == "To reconcile for October 2026: Purchaser paid 1,180 BBL against 1,210 BBL run"
    assert "expected: 1210 BBL\nthe purchaser's: 1180 BBL" in item.body


def test_retries_back_off_doubling_to_the_cap_and_give_up_after_a_day() -> None:
    policy = RetryPolicy(first_delay=30, max_delay=3600, give_up_after=86400)
    assert [policy.delay(n) for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]
    made = datetime(2026, 12, 7, tzinfo=UTC)
    assert policy.next_attempt(made, 1, datetime(2026, 12, 8, 0, 0, 1, tzinfo=UTC)) is None
