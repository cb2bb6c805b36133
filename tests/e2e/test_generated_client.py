"""A REST client generated from the live gateway's `/openapi.json` with openapi-python-client works against the
running system (issue 19, item 9): generated without a warning, the document valid OpenAPI, one call per service
through the generated functions and models (a CSV file upload included). And a trailing slash does not answer a
redirect naming a service's internal address."""

from __future__ import annotations

import sys
from pathlib import Path

from openapi_spec_validator import validate

from wellflow_servicekit.testing import until

CONTRACT = Path(__file__).resolve().parents[1] / "contract"
if str(CONTRACT) not in sys.path:
    sys.path.insert(0, str(CONTRACT))

from contract_kit import generate_client, generator_warnings, import_client  # noqa: E402


async def test_a_client_generated_from_the_live_document_calls_every_service(gateway, sign_up, tmp_path):
    async def complete() -> dict | None:
        # each service builds its document on the first request (seconds on a busy machine, past the gateway's
        # 3 s wait): ask again until the merge has every service
        document = (await gateway.get("/openapi.json")).json()
        return None if document["x-wellflow-merge"]["unavailable"] else document

    document = await until(complete, timeout=90, what="every service in /openapi.json", every=1.0)
    validate(document)
    package, printed = generate_client(document, tmp_path)
    assert generator_warnings(printed) == [], printed
    client_module = import_client(package)

    from wellflow_api_client.api.feeds import integrations_list_feeds
    from wellflow_api_client.api.form_pr import compliance_list_reports
    from wellflow_api_client.api.leases import wells_register_lease
    from wellflow_api_client.api.me import identity_me
    from wellflow_api_client.api.partners import accounting_list_partners
    from wellflow_api_client.api.readings import production_list_readings
    from wellflow_api_client.api.wells import wells_import_wells
    from wellflow_api_client.models import LeaseCreate, LeaseType, WellsLeaseRead
    from wellflow_api_client.types import File

    token = (await sign_up("Generated Client Oil"))["access_token"]
    client = client_module.AuthenticatedClient(base_url=str(gateway.base_url).rstrip("/"), token=token, timeout=30)
    async with client:
        me = await identity_me.asyncio_detailed(client=client)
        assert me.status_code == 200 and me.parsed is not None, me.content

        lease = await wells_register_lease.asyncio_detailed(
            client=client, body=LeaseCreate(name="Ranch A", rrc_district="08", lease_type=LeaseType.OIL)
        )
        assert lease.status_code == 201 and isinstance(lease.parsed, WellsLeaseRead), lease.content
        csv = b"name,api_number,lease_name,well_type,purpose\nRanch A 1H,42-329-00001,Ranch A,oil,development\n"
        # the async client sends bytes (httpx's AsyncClient refuses a file object); the sync one takes a file
        imported = await wells_import_wells.asyncio_detailed(client=client, body=File(payload=csv))
        assert imported.status_code == 200 and imported.parsed is not None, imported.content
        assert imported.parsed.created == 1, imported.content

        readings = await production_list_readings.asyncio_detailed(client=client)
        assert readings.status_code == 200 and readings.parsed is not None, readings.content
        assert readings.parsed.items == []

        reports = await compliance_list_reports.asyncio_detailed(client=client)
        assert reports.status_code == 200 and reports.parsed is not None, reports.content

        partners = await accounting_list_partners.asyncio_detailed(client=client)
        assert partners.status_code == 200 and partners.parsed is not None, partners.content

        feeds = await integrations_list_feeds.asyncio_detailed(client=client)
        assert feeds.status_code == 200 and feeds.parsed is not None, feeds.content


async def test_a_trailing_slash_does_not_redirect_to_an_internal_address(gateway, sign_up, e2e_stack):
    """Services answered `/api/v1/wells/` with a 307 whose Location was the service's own address (here
    127.0.0.1:<its port>; in Kubernetes `http://wells:8000/...`), passed through the gateway as it was."""
    token = (await sign_up("Slash Oil"))["access_token"]
    internal = [url.split("//", 1)[1] for urls in e2e_stack["service_urls"].values() for url in urls]
    headers = {"Authorization": f"Bearer {token}"}
    for path in ("/api/v1/wells/", "/api/v1/readings/", "/api/v1/partners/", "/api/v1/form-pr/", "/api/v1/me/"):
        response = await gateway.get(path, headers=headers, follow_redirects=False)
        assert response.status_code == 404, (path, response.status_code, response.headers)
        assert "location" not in response.headers, (path, response.headers)
        exposed = str(response.headers) + response.text
        assert not any(address in exposed for address in internal), (path, exposed)
