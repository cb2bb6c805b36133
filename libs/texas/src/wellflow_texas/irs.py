"""Federal information-reporting figures a Texas operator applies when it pays owners: backup withholding and
the Form 1099-MISC / 1099-NEC filing thresholds. Federal, not Texas, but kept here with the other statute
figures so each number lives in one place with its source (docs/1099.md explains them).

- Backup withholding, IRC 3406(a)(1): the payer withholds "the fourth lowest rate of tax applicable under
  section 1(c)" from a reportable payment when the payee gave no TIN, or the IRS notified the payer that the TIN
  is incorrect (a "B" notice, 3406(a)(1)(B)). That rate is 24% since P.L. 115-97 (2018); P.L. 119-21 (2025)
  kept the section 1 brackets, so it stays 24% (IRS Publication 1281 and the General Instructions for Certain
  Information Returns, "Backup Withholding").
- Royalties, IRC 6050N and the Instructions for Form 1099-MISC: report gross royalties of $10 or more in box 2.
- Rents (box 1), other income (box 3), and nonemployee compensation on Form 1099-NEC box 1 (where the 1099-NEC
  instructions put oil and gas payments for a working interest, whether or not services are performed):
  IRC 6041(a), $600 for payments made through 2025; P.L. 119-21 section 70433 raised it to $2,000 for payments
  made after December 31, 2025, adjusted for inflation from 2027 (rounded to $100; not yet published for 2027,
  so a later year uses the last figure known and docs/1099.md says so).
- Any backup withholding makes the form due whatever the amount (Instructions for Forms 1099-MISC and 1099-NEC).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

BACKUP_WITHHOLDING_RATE = Decimal("0.24")  # IRC 3406(a)(1); 24% from 2018 (P.L. 115-97), kept by P.L. 119-21

ROYALTY_THRESHOLD = Decimal("10.00")  # IRC 6050N; Form 1099-MISC box 2

# IRC 6041(a) threshold by the year the payment is made: $600 until 2025; $2,000 from 2026 (P.L. 119-21 s. 70433).
_GENERAL_THRESHOLDS: tuple[tuple[int, Decimal], ...] = ((1954, Decimal("600.00")), (2026, Decimal("2000.00")))

CENT = Decimal("0.01")


def general_threshold(year: int) -> Decimal:
    """The IRC 6041(a) amount (rents, other income, nonemployee compensation) for payments made in ``year``."""
    amount = _GENERAL_THRESHOLDS[0][1]
    for since, value in _GENERAL_THRESHOLDS:
        if year >= since:
            amount = value
    return amount


def backup_withholding(amount: Decimal) -> Decimal:
    """24% of a reportable payment, to the cent (half up); nothing on a zero or negative amount."""
    if amount <= 0:
        return Decimal("0.00")
    return (amount * BACKUP_WITHHOLDING_RATE).quantize(CENT, rounding=ROUND_HALF_UP)
