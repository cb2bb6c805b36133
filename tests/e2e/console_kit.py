"""What the web console's browser tests share: Debian's Chromium driven by Playwright (no browser download),
pages at phone and desktop size against the whole stack's gateway, signing in through the form, screenshots.

Chromium is the machine's own (`/usr/bin/chromium`, or `WELLFLOW_CHROMIUM`); `make test` installs Debian's
package when it is missing and the user may (see `tools/install-chromium`). Without it the console tests are
skipped with the reason, except under CI, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("WELLFLOW_SCREENSHOT_DIR", ROOT / ".artifacts" / "console-screenshots"))

# Chromium's own background traffic (updates, sync, Google lookups) fails on a closed network and slows it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]

PHONE = {
    "viewport": {"width": 375, "height": 812},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/156.0.0.0 Mobile Safari/537.36"
    ),
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def chromium_path() -> str | None:
    """The Chromium to drive: `WELLFLOW_CHROMIUM`, else Debian's package, else whatever `chromium` is on PATH."""
    chosen = os.environ.get("WELLFLOW_CHROMIUM")
    if chosen:
        return chosen
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


async def new_page(browser: Browser, base_url: str, *, phone: bool = False) -> tuple[BrowserContext, Page]:
    """A fresh browser profile (its own storage, IndexedDB and service worker) at phone or desktop size."""
    context = await browser.new_context(base_url=base_url, **(PHONE if phone else DESKTOP))
    context.set_default_timeout(15_000)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors  # type: ignore[attr-defined]  # tests assert none happened
    return context, page


async def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in through the console's form and wait until the start page has drawn."""
    await page.goto("/#/signin")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    # the start page moves on from "#/" to the role's first page (a pumper's route, the office's dashboard)
    await page.wait_for_function("() => !['', '#', '#/', '#/signin'].includes(location.hash)")
    await page.locator("#nav a").first.wait_for(state="attached")  # folded behind "Menu" on a phone


async def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG under .artifacts/console-screenshots (name plus the viewport's width)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = (page.viewport_size or {}).get("width", 0)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}-{width}px.png"
    await page.screenshot(path=str(path), full_page=True)
    return path
