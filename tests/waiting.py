"""Waiting on conditions in the browser tests, never on fixed sleeps.

The site's Content-Security-Policy forbids the eval that Playwright's
``page.wait_for_function`` relies on, so a condition is polled with
``page.evaluate`` once per animation frame (the browser's pace, no sleep in
Python) until it holds or the deadline passes.
"""

from __future__ import annotations

import time

# Twice the longest delay of the reader's own timers (a preview opens 350 ms
# after the pointer arrives): a window long enough for anything those timers
# would do, for the promises that something does *not* happen.
QUIET_MS = 700


def until(page, expression: str, expected=True, timeout: float = 10.0, message: str = ""):
    """Poll a JavaScript expression (evaluated in the page, on each animation
    frame) until it equals ``expected``; its last value on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(f"() => new Promise(r => requestAnimationFrame(() => r({expression})))")
        if value == expected:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(message or f"{expression} is {value!r}, never {expected!r}")


def never_appears(page, selector: str, within_ms: int = QUIET_MS) -> None:
    """No element matching ``selector`` exists at any moment of the next
    ``within_ms`` (a MutationObserver sees even one that appears and goes)."""
    seen = page.evaluate(
        """([selector, ms]) => new Promise(resolve => {
          let seen = !!document.querySelector(selector);
          const observer = new MutationObserver(() => { seen = seen || !!document.querySelector(selector); });
          observer.observe(document.documentElement, { childList: true, subtree: true });
          setTimeout(() => { observer.disconnect(); resolve(seen); }, ms);
        })""",
        [selector, within_ms],
    )
    assert not seen, f"{selector} appeared within {within_ms} ms"
