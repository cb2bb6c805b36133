"""How compliance files a Form PR with the Texas RRC: the adapter interface and its implementations.

The RRC has no public API for Form PR (operators file on RRC Online or by EDI upload, and the EDI record
layout was not available to us). So a deployment files by hand (``RRC_PORTAL_ADAPTER=manual``, the default):
no adapter at all, the submission waits with its filing package until a person records the RRC's
confirmation number (app/submissions/confirm.py). The only adapter that answers talks to WellFlow's stand-in
portal (tools/rrc-portal), for the dev stack and the demo: its answers are recorded as the stand-in's and
never close an obligation. `RrcPortalAdapter` marks where the real integration goes once the RRC offers one.

Outcomes are three and only three, so the breaker and the queue can treat them correctly:
a `PortalReceipt` (filed), `PortalRejected` (the portal refused the report: final, with its reasons) and
`PortalUnavailable` (transient: a timeout, a refused connection, a 5xx or a 429, perhaps with Retry-After),
declared with the `PortalAdapter` protocol in app/ports.py. An adapter is a background object too: the
runtime stops it (closing its connections) after the workers that use it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from ..app.submissions.portal import PortalAdapter, PortalReceipt, PortalRejected, PortalUnavailable

__all__ = [
    "PortalAdapter",
    "PortalReceipt",
    "PortalRejected",
    "PortalUnavailable",
    "RrcPortalAdapter",
    "StandInPortalAdapter",
    "build_adapter",
    "parse_retry_after",
    "to_portal_filing",
]

SUBMISSION_KEY_HEADER = "Submission-Key"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date (RFC 9110 §10.2.3); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def to_portal_filing(report: dict[str, Any]) -> dict[str, Any]:
    """The stand-in portal's filing document for a frozen Form PR version.

    The report version holds WellFlow's lines (one per lease: liquid and gas product, beginning stock,
    production, dispositions by code, ending stock); the portal wants per-lease products, each with its own
    figures, the lease named by district and lease number (gas well id for a gas lease) or, when pending, by
    API or permit number. A report already in the portal's shape (lines with ``products``) passes through.
    """
    period = str(report.get("period") or "")[:7]
    lines = report.get("lines") or []
    operator = report.get("operator") if isinstance(report.get("operator"), dict) else {}
    filing: dict[str, Any] = {
        "operator_number": report.get("operator_number") or operator.get("rrc_operator_number"),
        "period": period,
    }
    if operator.get("name"):
        filing["operator_name"] = operator["name"]
    for extra in ("version", "kind"):
        if extra in report:
            filing[f"report_{extra}" if extra == "version" else extra] = report[extra]
    if all(isinstance(line, dict) and "products" in line for line in lines):
        return {**filing, "lines": lines}
    filing["lines"] = [_portal_line(line) for line in lines]
    return filing


def _portal_line(line: dict[str, Any]) -> dict[str, Any]:
    lease_type = line.get("lease_type")
    entry: dict[str, Any] = {"district": line.get("rrc_district"), "lease_type": lease_type}
    if line.get("lease_name"):
        entry["lease_name"] = line["lease_name"]
    kind, identifier = line.get("identifier_kind"), line.get("identifier")
    if kind in ("lease_number", "gas_well_id"):
        entry["lease_number"] = identifier
    elif kind in ("api_number", "permit_number"):
        entry[kind] = identifier
    liquid = line.get("liquid_product") or ("oil" if lease_type == "oil" else "condensate")
    gas = line.get("gas_product") or ("casinghead_gas" if lease_type == "oil" else "gas_well_gas")
    entry["products"] = [
        {
            "product": liquid,
            "beginning_stock": line.get("beginning_stock", 0),
            "production": line.get("liquid_production", 0),
            "dispositions": [_disposition(d) for d in line.get("liquid_dispositions") or []],
            "ending_stock": line.get("ending_stock", 0),
        },
        {
            "product": gas,
            "production": line.get("gas_production", 0),
            "dispositions": [_disposition(d) for d in line.get("gas_dispositions") or []],
        },
    ]
    if line.get("remarks"):
        entry["remarks"] = list(line["remarks"])
    return entry


def _disposition(disposition: dict[str, Any]) -> dict[str, Any]:
    result = {"code": disposition.get("code"), "volume": disposition.get("volume")}
    if disposition.get("authority"):
        result["authority"] = disposition["authority"]
    return result


class StandInPortalAdapter:
    """Files through WellFlow's stand-in portal (tools/rrc-portal) over HTTP: `POST /filings`."""

    def __init__(
        self, base_url: str, *, timeout_seconds: float, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout_seconds),
            transport=transport,
            headers={"User-Agent": "wellflow-compliance"},
        )

    async def submit(self, submission_key: str, payload: dict[str, Any]) -> PortalReceipt:
        try:
            response = await self._client.post(
                "/filings", json=to_portal_filing(payload), headers={SUBMISSION_KEY_HEADER: submission_key}
            )
        except httpx.TimeoutException as exc:
            raise PortalUnavailable(f"the portal did not answer in time ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise PortalUnavailable(f"could not reach the portal ({type(exc).__name__}: {exc})") from exc
        status = response.status_code
        if status in (200, 201):
            body = _json(response)
            try:
                accepted_at = datetime.fromisoformat(str(body["accepted_at"]))
                return PortalReceipt(confirmation_number=str(body["confirmation_number"]), accepted_at=accepted_at)
            except (KeyError, ValueError) as exc:
                raise PortalUnavailable(f"the portal's answer could not be read ({exc})", status=status) from exc
        if status == 429 or status >= 500:
            detail = _json(response).get("detail") or response.reason_phrase
            raise PortalUnavailable(
                f"portal answered {status}: {detail}",
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
                status=status,
            )
        body = _json(response)
        if status == 422 and isinstance(body.get("reasons"), list):
            raise PortalRejected([str(reason) for reason in body["reasons"]])
        if status == 409:
            raise PortalRejected(
                [
                    "The portal already filed a different report under this submission key "
                    f"(confirmation {body.get('confirmation_number')}); file the change as an amended report."
                ]
            )
        raise PortalRejected(
            [f"The portal refused the request ({status}): {body.get('detail') or response.text[:300]}"]
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        await self.aclose()


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class RrcPortalAdapter:
    """Placeholder for filing with the real RRC portal: future work.

    The RRC offers no public API for Form PR; filing is done on RRC Online (a web application behind an
    operator's login) or by EDI upload, whose record layout was not available to us. Until one of those can
    be used lawfully and reliably, choosing this adapter fails loudly instead of pretending to file.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    async def submit(self, submission_key: str, payload: dict[str, Any]) -> PortalReceipt:
        raise NotImplementedError(
            "Filing with the real RRC portal is future work: the RRC has no public API for Form PR. "
            "File by hand (RRC_PORTAL_ADAPTER=manual, the default): file the package on RRC Online and record "
            "the RRC's confirmation number."
        )

    async def aclose(self) -> None:
        return None

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


def build_adapter(adapter: str, url: str, *, timeout_seconds: float) -> StandInPortalAdapter | RrcPortalAdapter | None:
    """``RRC_PORTAL_ADAPTER``: None for ``manual`` (nothing is sent), the stand-in portal (tools/rrc-portal) or
    the real RRC (future work)."""
    if adapter == "manual":
        return None
    if adapter == "rrc":
        return RrcPortalAdapter()
    return StandInPortalAdapter(url, timeout_seconds=timeout_seconds)
