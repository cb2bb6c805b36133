"""Documents in the web console: a lease's documents listed, uploaded and downloaded by the office, and the
pumper's photo of a reading taken with no signal, kept on the phone and filed exactly once when it returns."""

from __future__ import annotations

import httpx
from console_kit import screenshot, sign_in

from wellflow_devstack.demo import OWNER, PASSWORD, PUMPER
from wellflow_devstack.demo_documents import pdf, png
from wellflow_servicekit.testing import until

WAITING_PHOTOS = """async () => {
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open("wellflow-photos"); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });
  if (!db.objectStoreNames.contains("photos")) return [];
  return await new Promise((ok, no) => { const r = db.transaction("photos").objectStore("photos").getAll();
    r.onsuccess = () => ok(r.result.map((p) => ({ id: p.id, state: p.state, links: p.links })));
    r.onerror = () => no(r.error); });
}"""


async def _auth(gateway: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await gateway.post("/api/v1/auth/signin", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_the_office_keeps_a_leases_documents(console, console_demo, gateway):
    page = await console.open()
    await sign_in(page, OWNER[0], PASSWORD)
    lease_id = console_demo.lease_ids["A"]
    await page.goto(f"/#/leases/{lease_id}")
    documents = page.locator("section.documents")
    await documents.locator("table").wait_for()
    rows = documents.locator("tbody tr")
    assert await rows.count() == 3  # the demo's lease, division order and permit
    await screenshot(page, "lease-documents")

    form = documents.locator("form.upload-document")
    await form.get_by_label("File").set_input_files(
        {"name": "Whitfield title opinion.pdf", "mimeType": "application/pdf", "buffer": pdf("Title opinion", ["x"])}
    )
    await form.get_by_label("Title").fill("Title opinion, Whitfield Ranch")
    await form.get_by_label("Type").select_option("title_opinion")
    await form.get_by_role("button", name="Upload").click()
    await page.locator("section.documents tbody tr", has_text="Title opinion, Whitfield Ranch").wait_for()
    assert await page.locator("section.documents tbody tr").count() == 4

    row = page.locator("section.documents tbody tr", has_text="Title opinion, Whitfield Ranch")
    async with page.expect_download() as downloading:
        await row.get_by_role("button", name="Download").click()
    download = await downloading.value
    assert download.suggested_filename == "Whitfield title opinion.pdf"
    assert (await download.path()).read_bytes().startswith(b"%PDF-")


async def test_a_photo_taken_with_no_signal_is_filed_once_with_its_reading(console, console_demo, gateway):
    owner = await _auth(gateway, OWNER[0])
    page = await console.open(phone=True)
    await sign_in(page, PUMPER[0], PASSWORD)
    await page.wait_for_function("() => location.hash === '#/route'")
    await page.wait_for_function("async () => (await navigator.serviceWorker.ready).active !== null")
    if not await page.evaluate("() => navigator.serviceWorker.controller !== null"):
        await page.reload()
    first = page.locator("li.route-item[data-well-id]").first
    await first.wait_for()
    well_id = await first.get_attribute("data-well-id")
    before = (await gateway.get("/api/v1/documents", params={"link_kind": "well", "link_id": well_id},
                                headers=owner)).json()["total"]  # fmt: skip

    await page.context.set_offline(True)
    await first.locator("a").click()
    route = await page.evaluate("() => JSON.parse(localStorage.getItem('wellflow.route')).route")
    recent = next(w for w in route["wells"] if w["well_id"] == well_id)["recent"] or {}
    await page.get_by_label("Oil (bbl)").fill(str(recent.get("oil_bbl") or 0))
    await page.get_by_label("Gas (mcf)").fill(str(recent.get("gas_mcf") or 0))
    await page.get_by_label("Water (bbl)").fill(str(recent.get("water_bbl") or 0))
    await page.locator("input.photo-input").set_input_files(
        {"name": "IMG_2001.PNG", "mimeType": "image/png", "buffer": png(120, 90, seed=5)}
    )
    await page.get_by_role("button", name="Save reading").click()
    await page.wait_for_function("() => location.hash === '#/route'")
    [kept] = await page.evaluate(WAITING_PHOTOS)
    assert kept["state"] == "waiting"
    reading_id = next(link["id"] for link in kept["links"] if link["kind"] == "reading")

    await page.context.set_offline(False)
    await page.evaluate("() => window.dispatchEvent(new Event('online'))")

    async def filed() -> bool:
        answer = await gateway.get(
            "/api/v1/documents", params={"link_kind": "reading", "link_id": reading_id}, headers=owner
        )
        return answer.json()["total"] == 1

    await until(filed, timeout=30)
    await until(lambda: _empty(page), timeout=10)
    await page.evaluate("() => window.dispatchEvent(new Event('online'))")  # sent again: nothing changes
    photos = (await gateway.get("/api/v1/documents", params={"link_kind": "reading", "link_id": reading_id},
                                headers=owner)).json()  # fmt: skip
    assert photos["total"] == 1 and photos["items"][0]["document_type"] == "photo"
    assert photos["items"][0]["version"]["media_type"] == "image/png"
    on_well = (await gateway.get("/api/v1/documents", params={"link_kind": "well", "link_id": well_id},
                                 headers=owner)).json()["total"]  # fmt: skip
    assert on_well == before + 1
    readings = await gateway.get(f"/api/v1/readings/{reading_id}", headers=owner)
    assert readings.status_code == 200  # the reading the photo belongs to arrived too


async def _empty(page) -> bool:
    return await page.evaluate(WAITING_PHOTOS) == []
