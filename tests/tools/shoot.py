"""Screenshot pages of a built site (desktop and phone widths) for a person to look at.

Usage: python tests/tools/shoot.py <site dir> <out dir> <page.html[#frag]>...
"""

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


def main(site: str, out: str, pages: list[str]) -> None:
    handler = partial(QuietHandler, directory=site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, viewport in (("desktop", (1366, 900)), ("phone", (390, 844))):
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            for p in pages:
                page.goto(base + p)
                page.wait_for_timeout(300)
                stem = p.replace("/", "_").replace("#", "-").replace(".html", "")
                page.screenshot(path=f"{out}/{stem}-{name}.png", full_page=FULL and "#" not in p)
            page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
