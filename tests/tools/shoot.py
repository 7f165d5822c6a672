"""Screenshot pages of a built site (desktop and phone widths) for a person to look at.

Usage: python tests/tools/shoot.py <site dir> <out dir> <page.html[#frag]>...
"""

import contextlib
import http.server
import os
import sys
import threading
from functools import partial
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


FULL = os.environ.get("FULL", "1") == "1"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def start_server(directory) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A static server for ``directory`` on a free localhost port: (server, base URL).
    The caller shuts it down (``server.shutdown()``)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@contextlib.contextmanager
def serving(directory):
    """``start_server`` for a ``with`` block (or a fixture): yields the base URL."""
    server, base = start_server(directory)
    try:
        yield base
    finally:
        server.shutdown()


@contextlib.contextmanager
def launch_chromium():
    """Debian's Chromium through Playwright (its own browser download cannot work here)."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def main(site: str, out: str, pages: list[str]) -> None:
    server, base = start_server(site)
    Path(out).mkdir(parents=True, exist_ok=True)
    with launch_chromium() as browser:
        for name, viewport in (("desktop", (1366, 900)), ("phone", (390, 844))):
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            for p in pages:
                page.goto(base + p)
                page.wait_for_load_state("networkidle")  # the scripts and fonts have arrived
                stem = p.replace("/", "_").replace("#", "-").replace(".html", "")
                page.screenshot(path=f"{out}/{stem}-{name}.png", full_page=FULL and "#" not in p)
            page.close()
    server.shutdown()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
