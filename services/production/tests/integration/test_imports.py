"""CSV import of daily readings: both modes with mixed good and bad lines, nothing partial, the error report,
the summary event and the lease-months it refreshes."""

from __future__ import annotations

import csv
import io
from datetime import date


def csv_body(site, extra: list[str] | None = None) -> bytes:
    api0, api1 = site.api_numbers
    dashed = f"{api0[:2]}-{api0[2:5]}-{api0[5:10]}-{api0[10:12]}-{api0[12:]}"
    lines = [
        "API_Number,Date,Oil_BBL,Gas_MCF,Water_BBL,Hours_On,Downtime_Reason,Comments",
        f"{dashed},2026-06-01,10.5,20,3,24,,",  # line 2
        f"{api1},06/01/2026,5,10,1,12,weather,storm",  # line 3
        f"{api0},2026-06-02,-4,20,3,24,,",  # line 4: negative
        f"{api0},2026-02-30,4,20,3,24,,",  # line 5: no such day
        f"{api1},2026-06-02,4,20,3,25,,",  # line 6: hours over 24
        f"{api1},2026-06-03,4,1e3,3,24,,",  # line 7: not a decimal
        "42501999990000,2026-06-02,4,20,3,24,,",  # line 8: unknown well
        f"{api0},2026-06-03,4,20,3,0,,",  # line 9: volume with 0 hours
        f'{api0},2026-06-04,"1,234",20,3,24,,',  # line 10: thousands separator
        f'{api1},2026-06-04,7,14,2,24,,"said ""hi"", fine"',  # line 11: good, quoted comment
    ]
    return ("\n".join(lines + (extra or [])) + "\n").encode()


async def post_csv(prod, body: bytes, mode: str, role: str = "manager"):
    return await prod.client.post(
        "/api/v1/readings/imports",
        params={"mode": mode, "file_name": "june.csv"},
        content=body,
        headers={**prod.as_role(role), "Content-Type": "text/csv"},
    )


async def test_all_or_nothing_imports_nothing_when_a_line_is_bad_and_reports_every_bad_line(prod):
    site = await prod.site()
    answer = await post_csv(prod, csv_body(site), "all_or_nothing")
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert (body["status"], body["rows_total"], body["rows_imported"], body["rows_rejected"]) == ("rejected", 10, 0, 10)
    assert [(e["line"], e["field"]) for e in body["errors"]] == [
        (4, "oil_bbl"),
        (5, "date"),
        (6, "hours_on"),
        (7, "gas_mcf"),
        (8, "api_number"),
        (9, "hours_on"),
        (10, "oil_bbl"),
    ]
    assert "negative" in body["errors"][0]["message"]
    assert "API number" in body["errors"][4]["message"]
    assert (await prod.tenant_query("SELECT count(*) AS n FROM readings"))[0]["n"] == 0
    assert (await prod.tenant_query("SELECT count(*) AS n FROM lease_months"))[0]["n"] == 0
    stored = (await prod.get(f"/api/v1/readings/imports/{body['import_id']}")).json()
    assert stored["status"] == "rejected" and [e["line"] for e in stored["errors"]] == [4, 5, 6, 7, 8, 9, 10]
    assert len(await prod.outbox("production.readings_imported.v1")) == 1
    assert await prod.outbox("production.lease_month_updated.v1") == []


async def test_good_lines_imports_the_good_lines_whole_and_reports_the_others(prod):
    site = await prod.site()
    answer = await post_csv(prod, csv_body(site), "good_lines")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["rows_total"], body["rows_imported"], body["rows_rejected"]) == (10, 3, 7)
    assert (body["first_date"], body["last_date"], body["well_count"]) == ("2026-06-01", "2026-06-04", 2)
    rows = await prod.tenant_query(
        "SELECT w.api_number, r.production_date, r.oil_bbl, r.hours_on, r.downtime_reason, r.comments, r.source "
        "FROM readings r JOIN wells w ON w.id = r.well_id ORDER BY 2, 1"
    )
    assert [(r["production_date"], str(r["oil_bbl"]), r["downtime_reason"]) for r in rows] == [
        (date(2026, 6, 1), "10.500", None),
        (date(2026, 6, 1), "5.000", "weather"),
        (date(2026, 6, 4), "7.000", None),
    ]
    assert rows[2]["comments"] == 'said "hi", fine' and {r["source"] for r in rows} == {"import"}
    month = (await prod.get(f"/api/v1/production/leases/{site.lease_id}/months/2026-06-01")).json()
    assert month["oil_bbl"] == "22.500" and month["reading_count"] == 3
    [event] = await prod.outbox("production.readings_imported.v1")
    assert (event["rows_imported"], event["rows_rejected"], event["mode"]) == (3, 7, "good_lines")
    assert event["lease_ids"] == [str(site.lease_id)]
    [updated] = await prod.outbox("production.lease_month_updated.v1")
    assert updated["oil_bbl"] == "22.500"
    # the same file again: every good line now clashes with the stored reading, nothing doubles
    again = (await post_csv(prod, csv_body(site), "good_lines")).json()
    assert again["rows_imported"] == 0
    assert {e["line"] for e in again["errors"]} >= {2, 3, 11}
    assert (await prod.tenant_query("SELECT count(*) AS n FROM readings"))[0]["n"] == 3


async def test_a_file_giving_one_well_day_twice_rejects_both_lines(prod):
    site = await prod.site()
    api = site.api_numbers[0]
    body = f"api_number,date,oil_bbl,gas_mcf,water_bbl,hours_on\n{api},2026-06-01,1,1,1,24\n{api},2026-06-01,2,2,2,24\n"
    answer = (await post_csv(prod, body.encode(), "good_lines")).json()
    assert answer["rows_imported"] == 0
    assert [e["line"] for e in answer["errors"]] == [2, 3] and "more than once" in answer["errors"][0]["message"]


async def test_a_bad_header_or_broken_csv_is_refused_whole(prod):
    site = await prod.site()
    no_hours = await post_csv(prod, b"api_number,date,oil_bbl,gas_mcf,water_bbl\n1,2,3,4,5\n", "good_lines")
    assert no_hours.status_code == 422 and "hours_on" in no_hours.json()["detail"]
    broken = f"api_number,date,oil_bbl,gas_mcf,water_bbl,hours_on\n{site.api_numbers[0]},2026-06-01,1,1,1,24,extra\n"
    answer = await post_csv(prod, broken.encode(), "good_lines")
    assert answer.status_code == 422 and "line 2" in answer.json()["detail"]
    assert (await prod.tenant_query("SELECT count(*) AS n FROM readings"))[0]["n"] == 0


async def test_multipart_upload_and_permissions(prod):
    site = await prod.site()
    body = f"api_number,date,oil_bbl,gas_mcf,water_bbl,hours_on\n{site.api_numbers[0]},2026-06-01,1,1,1,24\n"
    answer = await prod.client.post(
        "/api/v1/readings/imports",
        params={"mode": "all_or_nothing"},
        files={"file": ("history.csv", body.encode(), "text/csv")},
        headers=prod.as_role("pumper"),
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["file_name"] == "history.csv" and answer.json()["rows_imported"] == 1
    assert (await post_csv(prod, body.encode(), "good_lines", role="auditor")).status_code == 403
    listed = (await prod.get("/api/v1/readings/imports")).json()["items"]
    assert [i["file_name"] for i in listed] == ["history.csv"]
    assert (await prod.get(f"/api/v1/readings/imports/{listed[0]['import_id']}", org=prod.org_b)).status_code == 404


def _csv_line(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(values)
    return out.getvalue()


async def test_the_set_wise_checks_reject_exactly_the_lines_the_domain_parser_rejects(prod):
    """The SQL fast path and domain.csv_rows.parse_row must agree line by line (the domain is the reference)."""
    from datetime import timedelta

    from wellflow_production.domain.csv_rows import RowError, parse_row
    from wellflow_production.domain.readings import PlausibilityLimits

    site = await prod.site(wells=1)
    api = site.api_numbers[0]
    numbers = [
        "0",
        "7",
        "7.5",
        ".5",
        "5.",
        "+5",
        "-0",
        "-1",
        "1.234",
        "1.2345",
        "1e3",
        " 7 ",
        "1,000",
        "",
        "abc",
        "0000000000000001",
        "123456789012",
        "1234567890123",
        "123456789012.5",  # 14 characters: past the SQL's short-number fast path, still a good number
        "0000000000001.25",
        "+123456789012.000",
        "12.5000",
        "NaN",
        "1.2.3",
    ]
    days = ["2026-2-3", "02/30/2026", "2026-13-01", "1899-12-31", "2/3/2026", "2026-02-29", "2024-02-29", "03/04/2025"]
    header = "api_number,date,oil_bbl,gas_mcf,water_bbl,hours_on"
    lines = [header]
    start = date(2020, 1, 1)
    for n, value in enumerate(numbers):
        day = (start + timedelta(days=n)).isoformat()
        for column in range(4):
            row = ["1", "1", "1", "24"]
            row[column] = value
            other_day = (start + timedelta(days=100 + n * 4 + column)).isoformat()
            lines.append(_csv_line([api, day if column == 0 else other_day, *row]))
    for day in days:
        lines.append(f"{api},{day},1,1,1,24")
    lines.append(f"{api[:2]}-{api[2:5]}-{api[5:10]},2021-06-01,1,1,1,24")  # 10-digit dashed form
    lines.append(f"42-502-{api[5:10]},2021-06-02,1,1,1,24")  # not a Texas county code
    body = ("\n".join(lines) + "\n").encode()
    answer = (await post_csv(prod, body, "good_lines")).json()
    sql_bad = {e["line"] for e in answer["errors"]}
    columns = header.split(",")
    domain_bad = set()
    for number, line in enumerate(lines[1:], start=2):
        values = next(csv.reader([line]))
        if isinstance(parse_row(number, dict(zip(columns, values, strict=True)), PlausibilityLimits()), RowError):
            domain_bad.add(number)
    assert sql_bad == domain_bad
    assert len(sql_bad) > 20
    assert answer["rows_imported"] == len(lines) - 1 - len(sql_bad)
