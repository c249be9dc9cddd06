"""A small Chrome DevTools Protocol driver for the report's browser tests.

Chromium runs headless with ``--remote-debugging-pipe``: it reads commands on its fd 3 and
writes replies and events on its fd 4, each a JSON message ending in a NUL byte. No port is
opened and nothing is downloaded: the browser is Debian's ``chromium`` (or the one named by
``BACKLOGCTL_CHROMIUM``). Every event is kept, so a test can look at console errors and
network requests after a page loaded.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Any

#: The flags of every run: headless, no network of its own, a fresh profile (added per run).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
)

#: Longest wait for one reply or event.
TIMEOUT = 60.0


class BrowserError(RuntimeError):
    """The browser replied with an error, closed the pipe or did not answer in time."""


def find_chromium() -> str | None:
    """The Chromium executable: ``BACKLOGCTL_CHROMIUM``, else ``chromium`` on PATH."""
    named = os.environ.get("BACKLOGCTL_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _high_fd(fd: int) -> int:
    """``fd`` moved to 10 or above, so placing the pipes on fds 3 and 4 cannot clobber them."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


class Browser:
    """One headless Chromium process driven over the DevTools pipe."""

    def __init__(self, executable: str, profile: Path) -> None:
        to_browser_read, to_browser_write = map(_high_fd, os.pipe())
        from_browser_read, from_browser_write = map(_high_fd, os.pipe())

        def place_pipes() -> None:  # runs in the child, before exec
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        self._process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=place_pipes,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._out = to_browser_write
        self._in = from_browser_read
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def __enter__(self) -> Browser:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Ask the browser to quit, then make sure it did."""
        with contextlib.suppress(BrowserError, OSError):
            self.call("Browser.close", timeout=10)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=10)
        for fd in (self._out, self._in):
            with contextlib.suppress(OSError):
                os.close(fd)

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session: str | None = None,
        timeout: float = TIMEOUT,
    ) -> dict[str, Any]:
        """Send one command and return its result; events seen meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline, f"a reply to {method}")
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)

    def wait_for(
        self, method: str, *, session: str | None = None, since: int = 0, timeout: float = TIMEOUT
    ) -> None:
        """Wait until an event called ``method`` for ``session`` is among ``events[since:]``."""
        deadline = time.monotonic() + timeout
        while not any(self._matches(event, method, session) for event in self.events[since:]):
            self.events.append(self._read(deadline, method))

    @staticmethod
    def _matches(event: dict[str, Any], method: str, session: str | None) -> bool:
        return event.get("method") == method and (
            session is None or event.get("sessionId") == session
        )

    def _read(self, deadline: float, waiting_for: str) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError(f"no {waiting_for} within the time limit")
            ready, _, _ = select.select([self._in], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise BrowserError(f"the browser closed the pipe while waiting for {waiting_for}")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def open_page(self, width: int = 1280, height: int = 900) -> Page:
        """A new tab at ``about:blank`` with console, log, network and page events on."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=session)
        page = Page(self, session)
        page.resize(width, height)
        return page


class Page:
    """One tab of a ``Browser``."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A command for this tab."""
        return self.browser.call(method, params, session=self.session)

    def resize(self, width: int, height: int) -> None:
        """Set the viewport's size in CSS pixels (device scale 1)."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def navigate(self, url: str) -> None:
        """Open ``url`` and wait for its load event."""
        start = len(self.browser.events)
        self.call("Page.navigate", {"url": url})
        self.browser.wait_for("Page.loadEventFired", session=self.session, since=start)

    def evaluate(self, expression: str, *, await_promise: bool = False) -> Any:
        """The value of a JavaScript expression (JSON-serialisable); its exception raises."""
        reply = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": await_promise},
        )
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            description = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"JavaScript exception: {description}")
        return reply["result"].get("value")

    def screenshot(self, path: Path) -> tuple[int, int]:
        """A full-page PNG of the current page at the viewport's width; its size in pixels."""
        metrics = self.call("Page.getLayoutMetrics")
        content = metrics["cssContentSize"]
        width, height = int(content["width"]), int(content["height"])
        shot = self.call(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
        path.write_bytes(base64.b64decode(shot["data"]))
        return width, height

    def events(self, method: str) -> list[dict[str, Any]]:
        """This tab's events called ``method``, in arrival order."""
        return [
            event["params"]
            for event in self.browser.events
            if Browser._matches(event, method, self.session)
        ]

    def console_errors(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries, as text."""
        errors = [
            " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params["args"])
            for params in self.events("Runtime.consoleAPICalled")
            if params.get("type") in ("error", "assert")
        ]
        errors += [
            str(params["exceptionDetails"].get("text"))
            for params in self.events("Runtime.exceptionThrown")
        ]
        errors += [
            f"{params['entry'].get('source')}: {params['entry'].get('text')}"
            for params in self.events("Log.entryAdded")
            if params["entry"].get("level") == "error"
        ]
        return errors

    def requested_urls(self) -> list[str]:
        """Every URL this tab requested (the page itself included)."""
        return [params["request"]["url"] for params in self.events("Network.requestWillBeSent")]
