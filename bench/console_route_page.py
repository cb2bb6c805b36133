"""The pumper's route page on a phone over Chromium's "Slow 3G": time to a usable page and bytes transferred.

    make up DEMO=1            # in another terminal: the stack with the demo tenant
    python bench/console_route_page.py [--url http://127.0.0.1:8000] [--runs 3]

Debian's Chromium under Playwright, a 375 x 812 phone profile, and DevTools' Slow 3G conditions set through the
DevTools protocol on the page and its service worker (2,000 ms added to every response, 50,000 bytes/s down
and up: the preset's figures in Chromium's devtools-frontend, `front_end/core/sdk/NetworkManager.ts`,
`Slow3GConditions`). "Usable" is the route drawn with a well the pumper can tap. Three visits, each in a new
browser profile, `--runs` times:

- first visit: nothing cached, the sign-in page until its form can be filled (what a new phone downloads);
- sign in to route: the pumper types email and password (100 ms a key), then from tapping "Sign in" until the
  route is drawn (the session, then the route; the route's code was fetched while they typed);
- back to the route: the same phone opens the route again the same day (after each well): the service worker
  has the app and today's route is kept, drawn at once and refreshed behind;
- next morning: the same, but the kept route is yesterday's: its stops are drawn at once with nothing done,
  and today's route replaces them when the API answers (one round trip; reported too).

Bytes are what crossed the network, compressed, headers included (`encodedDataLength` of every response,
service worker fetches included). Targets (issue): usable <= 3 s, <= 300 KB compressed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from playwright.async_api import BrowserContext, Page, async_playwright

from wellflow_gateway.webconsole import ConsoleFiles

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
from console_kit import CHROMIUM_ARGS, PHONE, chromium_path

SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
PUMPER = ("lee.pumper@caprock-demo.com", "caprock-demo-2026")
ROUTE_READY = ".route-item a"
UPDATING = ".updating-note"
TYPING_DELAY_MS = 100


class Meter:
    """Slow 3G on a page (and the service worker's own fetches) and the bytes every response took."""

    def __init__(self) -> None:
        self.bytes = 0
        self.requests = 0

    async def attach(self, context: BrowserContext, page: Page) -> None:
        session = await context.new_cdp_session(page)
        await session.send("Network.enable")
        await session.send("Network.emulateNetworkConditions", SLOW_3G)
        session.on("Network.loadingFinished", self._finished)

    def _finished(self, event: dict) -> None:
        self.bytes += int(event.get("encodedDataLength", 0))
        self.requests += 1


async def _throttle_service_worker(context: BrowserContext) -> None:
    """The service worker fetches on its own target: throttle it the same way once it runs."""
    for worker in context.service_workers:
        try:
            session = await context.new_cdp_session(worker)
            await session.send("Network.enable")
            await session.send("Network.emulateNetworkConditions", SLOW_3G)
        except Exception:  # an old worker may be gone already; the page's own traffic is throttled
            continue


YESTERDAY = """() => {
  const kept = JSON.parse(localStorage.getItem("wellflow.route"));
  const day = new Date(kept.route.date + "T12:00:00");
  day.setDate(day.getDate() - 1);
  kept.route.date = day.toISOString().slice(0, 10);
  localStorage.setItem("wellflow.route", JSON.stringify(kept));
}"""


async def _reopen(context: BrowserContext, page_setup: str | None) -> tuple[float, float, int, int]:
    """Open the console's route in a new tab of the same phone (service worker and storage kept): seconds until
    the kept route is drawn, seconds until the API's answer replaced it, bytes, requests."""
    if page_setup:
        setup = await context.new_page()
        await setup.goto("/#/signin", wait_until="commit")
        await setup.evaluate(page_setup)
        await setup.close()
    page = await context.new_page()
    meter = Meter()
    await meter.attach(context, page)
    started = time.perf_counter()
    await page.goto("/#/route", wait_until="commit")
    await page.locator(ROUTE_READY).first.wait_for(timeout=120_000)
    elapsed = time.perf_counter() - started
    await page.locator(UPDATING).wait_for(state="detached", timeout=120_000)
    refreshed = time.perf_counter() - started
    await page.wait_for_timeout(2000)  # the profile's refresh too, counted in the bytes
    await page.close()
    return elapsed, refreshed, meter.bytes, meter.requests


async def one_run(browser, url: str) -> dict[str, tuple[float, int, int]]:
    context = await browser.new_context(base_url=url, **PHONE)
    results: dict[str, tuple[float, int, int]] = {}
    try:
        page = await context.new_page()
        meter = Meter()
        await meter.attach(context, page)
        started = time.perf_counter()
        await page.goto("/", wait_until="commit")
        await page.get_by_label("Email").wait_for()
        results["first visit: sign-in usable"] = (time.perf_counter() - started, meter.bytes, meter.requests)

        # typed as on a phone, 100 ms a key (about 4.5 s for both): the page fetches the route's code meanwhile
        await page.get_by_label("Email").press_sequentially(PUMPER[0], delay=TYPING_DELAY_MS)
        await page.get_by_label("Password").press_sequentially(PUMPER[1], delay=TYPING_DELAY_MS)
        before_bytes, before_requests = meter.bytes, meter.requests
        started = time.perf_counter()
        await page.get_by_role("button", name="Sign in").click()
        await page.locator(ROUTE_READY).first.wait_for(timeout=120_000)
        results["sign in -> route usable"] = (
            time.perf_counter() - started,
            meter.bytes - before_bytes,
            meter.requests - before_requests,
        )
        # let the service worker finish taking the app shell, then close the tab as the pumper pockets the phone
        await page.evaluate("async () => { await navigator.serviceWorker.ready; }")
        await page.wait_for_timeout(1000)
        await page.close()

        await _throttle_service_worker(context)
        usable, refreshed, size, requests = await _reopen(context, page_setup=None)
        results["back to the route: usable"] = (usable, size, requests)
        # the next morning the route kept on the phone is yesterday's: its stops are drawn with nothing done, and
        # today's state comes from the API
        usable, refreshed, size, requests = await _reopen(context, page_setup=YESTERDAY)
        results["next morning: route usable"] = (usable, size, requests)
        results["next morning: today's from the API"] = (refreshed, size, requests)
    finally:
        await context.close()
    return results


async def run(args: argparse.Namespace) -> None:
    path = chromium_path()
    if path is None:
        raise SystemExit("Chromium is not installed: tools/install-chromium")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            runs = [await one_run(browser, args.url) for _ in range(args.runs)]
        finally:
            await browser.close()
    print(f"pumper's route page, phone 375 px, Chromium Slow 3G (2,000 ms, 50,000 B/s), {args.runs} runs")
    for name in runs[0]:
        seconds = [r[name][0] for r in runs]
        sizes = [r[name][1] for r in runs]
        requests = [r[name][2] for r in runs]
        print(
            f"  {name:36s} median {statistics.median(seconds):5.2f} s (best {min(seconds):.2f}, worst"
            f" {max(seconds):.2f})  {statistics.median(sizes) / 1000:6.1f} KB over {statistics.median(requests):.0f}"
            " requests"
        )
    files = ConsoleFiles()
    whole = sum(len(f.gzipped or f.body) for f in files.files.values())
    raw = sum(len(f.body) for f in files.files.values())
    print(
        f"  the whole console, every file gzip-compressed (what the service worker keeps): {whole / 1000:.1f} KB"
        f" ({raw / 1000:.1f} KB uncompressed, {len(files.files)} files)"
    )
    print("  targets: usable <= 3 s, <= 300 KB compressed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=3)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
