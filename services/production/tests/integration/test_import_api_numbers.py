"""Readings import: malformed API numbers are row errors (never a 500); the RRC's 8 digits find the Texas well."""

from __future__ import annotations


async def test_malformed_api_numbers_are_row_errors_and_the_rrc_8_digits_resolve(prod):
    site = await prod.site()
    api0 = site.api_numbers[0]
    assert api0.startswith("42") and api0.endswith("0000"), api0
    lines = [
        "api_number,date,oil_bbl,gas_mcf,water_bbl,hours_on",
        f"{api0[2:10]},2026-06-01,1,1,1,24",  # line 2: the RRC's 8 digits, Texas implied
        f"{api0[:9]}\u00b2,2026-06-02,1,1,1,24",  # line 3: superscript two
        f"\u0664\u0662{api0[2:]},2026-06-03,1,1,1,24",  # line 4: Arabic-Indic digits
        f"{api0[:2]} {api0[2:5]} {api0[5:10]},2026-06-04,1,1,1,24",  # line 5: spaces inside
    ]
    answer = await prod.client.post(
        "/api/v1/readings/imports",
        params={"mode": "good_lines", "file_name": "june.csv"},
        content=("\n".join(lines) + "\n").encode(),
        headers={**prod.as_role("manager"), "Content-Type": "text/csv; charset=utf-8"},
    )
    assert answer.status_code < 500, answer.text
    body = answer.json()
    assert body["rows_imported"] == 1, body
    assert [(e["line"], e["field"]) for e in body["errors"]] == [(n, "api_number") for n in (3, 4, 5)]
