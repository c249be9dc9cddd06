"""The HTTP client for Jira: the ``jira`` library's session, checked replies, bounded retries.

Requests go through ``jira.resilientsession.ResilientSession`` (the library's public session
class), one per thread because it takes its timeout from the session, not from the call. Its
own retries are off (``max_retries=0``: it neither sleeps nor logs a retry), so the policy
below is the only one; every request passes ``allow_redirects=False`` (the library hands 3xx
answers back as they are). A reply of 400 or more is turned into this module's status error by a
``requests`` response hook before the library sees it: the library's ``raise_on_error``
parses the body itself, which crashes (TypeError, RecursionError) on valid but odd bodies such
as ``null`` or deeply nested JSON, and its ``JIRAError`` text includes request headers.
Policy:

- Redirects are never followed: a 3xx answer is an error naming the new location (exit 3).
  Following one could send the token to another host, accept another host's unauthenticated
  answer, or turn a POST search into a GET.
- Every reply is decoded here with every form of the token scrubbed from every string (a
  server or proxy may echo the Authorization header), then checked for the expected shape
  (exit 3 if wrong). JSON too deep to decode is exit 3; what decodes may still be deeply
  nested, so code reading replies never recurses into values it did not ask for.
- Retries: 429, 5xx, timeouts, dropped connections and truncated JSON get a bounded number of
  attempts with capped exponential backoff and jitter; ``Retry-After`` (seconds or an
  HTTP-date) is honoured; no wait may overrun the pull's time budget (``--timeout``).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import random
import re
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urljoin

from backlogctl.errors import InputError, SourceError
from backlogctl.sanitize import shorten

if TYPE_CHECKING:
    import requests
    from jira.resilientsession import ResilientSession

    from backlogctl.config import Config
    from backlogctl.connectors.jira_credentials import Credentials
    from backlogctl.connectors.jira_types import Deployment

T = TypeVar("T")
_FinalRule = Callable[["_HttpStatusError", str, bool], None]

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class _HttpStatusError(Exception):
    """A non-2xx answer, reduced to what the retry policy and messages need."""

    def __init__(self, status: int, messages: list[str], retry_after: float | None) -> None:
        self.status = status
        self.messages = messages
        self.retry_after = retry_after
        super().__init__(f"HTTP {status}")


class JiraClient:
    """Authenticated JSON requests to one Jira server under one time budget."""

    def __init__(
        self,
        credentials: Credentials,
        config: Config,
        *,
        timeout: float | None = None,
        deployment: Deployment | None = None,
    ) -> None:
        self.credentials = credentials
        self.settings = config.jira
        self.timeout = timeout if timeout is not None else self.settings.timeout
        self.deadline = time.monotonic() + self.timeout
        self.deployment: Deployment | None = deployment or (
            None if self.settings.deployment == "auto" else self.settings.deployment
        )
        self.requests = 0
        self._count_lock = threading.Lock()
        self._abort = threading.Event()
        self._server_info: dict[str, Any] | None = None
        self._local = threading.local()

    @property
    def api_version(self) -> str:
        """REST version for issue data: 3 (ADF) on Cloud, 2 on Server/DC."""
        return "3" if self.deployment == "cloud" else "2"

    def abort(self) -> None:
        """Make pending retries of other threads give up (one failure aborts the pull)."""
        self._abort.set()

    def _thread_session(self) -> ResilientSession:
        """This thread's session (``ResilientSession.timeout`` applies to the whole session)."""
        session: ResilientSession | None = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self._new_session()
        return session

    def _new_session(self) -> ResilientSession:
        from jira.resilientsession import ResilientSession

        session = ResilientSession(max_retries=0)
        token = self.credentials.token
        if self.credentials.email:
            session.auth = (self.credentials.email, token)  # HTTP Basic (Cloud API token)
        else:

            def bearer(request: requests.PreparedRequest) -> requests.PreparedRequest:
                request.headers["Authorization"] = f"Bearer {token}"  # Server/DC PAT
                return request

            session.auth = bearer
        session.headers["X-Atlassian-Token"] = "no-check"
        session.hooks["response"].append(self._refuse_error_reply)
        return session

    def _refuse_error_reply(
        self, response: requests.Response, *args: Any, **kwargs: Any
    ) -> requests.Response:
        """Response hook: a 4xx/5xx reply raises here, before the library parses it."""
        if not response.ok:
            raise self._status_error(response)
        reason = response.headers.get("X-Seraph-LoginReason", "")
        if "AUTHENTICATED_FAILED" in reason and not response.content:
            # Jira's empty 200 for refused credentials (JRA-41559): not truncated JSON to retry.
            raise self._auth_error("HTTP 200, X-Seraph-LoginReason: AUTHENTICATED_FAILED")
        return response

    # -- endpoints -----------------------------------------------------------------------
    def server_info(self) -> dict[str, Any]:
        """``GET /rest/api/2/serverInfo`` (asked once per client)."""
        if self._server_info is None:
            self._server_info = self.request_object(
                "GET", "serverInfo", what="reading server info", version="2"
            )
        return self._server_info

    def detect_deployment(self) -> Deployment:
        """The configured deployment, or Cloud/Server from serverInfo (one request)."""
        if self.deployment is None:
            info = self.server_info()
            self.deployment = "cloud" if info.get("deploymentType") == "Cloud" else "server"
        return self.deployment

    def fields(self) -> list[dict[str, Any]]:
        """The server's fields (``GET /rest/api/2/field``): a list of objects."""
        what = "listing fields"
        reply = self.request_json("GET", "field", what=what, version="2")
        if not isinstance(reply, list) or not all(isinstance(entry, dict) for entry in reply):
            raise self.shape_error(what, "an array of objects", reply)
        return reply

    def myself(self) -> dict[str, Any]:
        """The authenticated user (``GET /rest/api/2/myself``)."""
        return self.request_object("GET", "myself", what="checking credentials", version="2")

    def request_object(
        self,
        method: str,
        path: str,
        *,
        what: str,
        body: Any = None,
        version: str | None = None,
    ) -> dict[str, Any]:
        """``request_json`` for endpoints that answer a JSON object (else exit 3)."""
        reply = self.request_json(method, path, what=what, body=body, version=version)
        if not isinstance(reply, dict):
            raise self.shape_error(what, "an object", reply)
        return reply

    def request_json(
        self,
        method: str,
        path: str,
        *,
        what: str,
        body: Any = None,
        version: str | None = None,
    ) -> Any:
        """``method`` ``/rest/api/{version}/{path}``: the decoded, scrubbed reply."""
        url = f"{self.credentials.url}/rest/api/{version or self.api_version}/{path}"

        def attempt(timeout: float) -> Any:
            self._count()
            session = self._thread_session()
            session.timeout = timeout  # the library passes it to the request itself
            response = session.request(method, url, json=body, allow_redirects=False)
            if 300 <= response.status_code < 400:
                raise self._redirect_error(what, response)
            return self._decode(what, response.content)

        return self._with_retry(what, attempt)

    def shape_error(self, what: str, expected: str, reply: Any) -> SourceError:
        """The exit-3 error for a reply of the wrong JSON shape."""
        return self._error(f"{what}: unexpected reply: expected {expected}, got {_kind(reply)}")

    def _count(self) -> None:
        with self._count_lock:
            self.requests += 1

    # -- replies -------------------------------------------------------------------------
    def _decode(self, what: str, content: bytes) -> Any:
        """The reply's JSON, scrubbed of the secret (``ValueError``: retry as truncated)."""
        try:
            data = json.loads(content)
        except RecursionError:
            raise self._error(f"{what}: the reply is nested too deeply to read") from None
        if self.credentials.may_be_in(content):
            data = _scrubbed(data, self.credentials.secret_pattern)
        return data

    def _redirect_error(self, what: str, response: requests.Response) -> SourceError:
        location = response.headers.get("Location")
        if not location:
            return self._error(f"{what}: HTTP {response.status_code} without a location")
        target = shorten(urljoin(response.url, location))
        return self._error(
            f"{what}: the server redirects to {target} (HTTP {response.status_code}); redirects "
            "are not followed, so the token stays with the configured server: if that is the "
            "right address, set jira.url to it"
        )

    def _status_error(self, response: requests.Response) -> _HttpStatusError:
        messages: list[str] = []
        try:
            payload = self._decode("reading the error", response.content)
        except (ValueError, SourceError):
            payload = None
        if isinstance(payload, dict):
            listed = payload.get("errorMessages")
            if isinstance(listed, list):
                messages.extend(shorten(text) for text in listed if isinstance(text, str))
            errors = payload.get("errors")
            if isinstance(errors, dict):
                messages.extend(
                    f"{shorten(name)}: {shorten(text)}"
                    for name, text in errors.items()
                    if isinstance(text, str)
                )
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return _HttpStatusError(response.status_code, messages, retry_after)

    # -- the retry policy ----------------------------------------------------------------
    def _with_retry(
        self, what: str, attempt: Callable[[float], T], final: _FinalRule | None = None
    ) -> T:
        """``attempt`` under the policy; writes pass ``final(error, what, last_try)``."""
        import requests
        import urllib3

        retry = self.settings.retry
        tries = 0
        while True:
            tries += 1
            remaining = self.deadline - time.monotonic()
            if remaining <= 0 or self._abort.is_set():
                raise self._error(f"{what}: gave up: the {self.timeout:g} s time budget is spent")
            retry_after: float | None = None
            try:
                return attempt(min(retry.request_timeout, remaining))
            except _HttpStatusError as exc:
                final(exc, what, tries >= retry.attempts) if final else self._raise_final(exc, what)
                problem = f"HTTP {exc.status}"
                retry_after = exc.retry_after
            except requests.exceptions.Timeout:
                problem = "request timed out"
            except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError):
                problem = "connection failed"
            except (requests.exceptions.InvalidURL, urllib3.exceptions.LocationValueError):
                # Before ValueError (their base): no retry fixes a host name such as "a..b".
                raise InputError(
                    self.credentials.scrub(f"{what}: invalid server URL"),
                    location=self.credentials.url,
                ) from None
            except ValueError:
                problem = "invalid or truncated JSON in the response"
            if tries >= retry.attempts:
                raise self._error(f"{what}: {problem} (after {tries} attempts)")
            backoff = min(retry.max_backoff, retry.backoff * 2 ** (tries - 1))
            delay = retry_after if retry_after is not None else backoff * random.uniform(0.5, 1.0)
            remaining = self.deadline - time.monotonic()
            if delay >= remaining:
                raise self._error(
                    f"{what}: {problem}; retrying in {_seconds(delay)} s would exceed the "
                    f"{self.timeout:g} s time budget (--timeout)"
                )
            if self._abort.wait(delay):
                raise self._error(f"{what}: cancelled after another request failed")

    def _raise_final(self, exc: _HttpStatusError, what: str) -> None:
        """Raise for answers that retrying cannot fix; return for retryable ones."""
        details = "; ".join(exc.messages)
        if exc.status in (401, 403):
            raise self._auth_error(f"HTTP {exc.status}")
        if exc.status == 400:
            raise InputError(
                self.credentials.scrub(
                    f"Jira rejected the request ({what}): {details or 'HTTP 400'}"
                )
            )
        if exc.status not in _RETRY_STATUSES:
            raise self._error(f"{what}: HTTP {exc.status}" + (f": {details}" if details else ""))

    def _auth_error(self, detail: str) -> SourceError:
        return self._error(
            f"authentication failed for {self.credentials.url} as {self.credentials.who} ({detail})"
        )

    def _error(self, message: str) -> SourceError:
        return SourceError(self.credentials.scrub(message), location=self.credentials.url)


def parse_retry_after(header: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: delta-seconds or an HTTP-date (RFC 9110).

    A date in the past means now (0); an unreadable value means "not given" (None).
    """
    if header is None:
        return None
    text = header.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:  # "-0000" in the date: UTC by RFC 5322
        moment = moment.replace(tzinfo=dt.UTC)
    return max(0.0, (moment - (now or dt.datetime.now(dt.UTC))).total_seconds())


def _seconds(delay: float) -> str:
    return f"{delay:.0f}" if delay >= 10 else f"{delay:.1f}"


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _scrubbed(data: Any, secret: re.Pattern[str]) -> Any:
    """``data`` with every form of the secret scrubbed from every string, keys included, and
    every lone surrogate replaced by U+FFFD.

    A lone surrogate (JSON ``"\\ud800"``) is valid JSON but no UTF-8 text: the item model,
    a snapshot and the terminal would all refuse it, and an issue is never dropped for its
    text. Such values only come from ``\\u`` escapes, which always send a reply through here
    (``Credentials.may_be_in``). Iterative: a reply nested hundreds of levels deep cannot
    exhaust the stack here.
    """

    def cleaned(text: str) -> str:
        if secret.search(text):
            text = secret.sub("***", text)
        return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text

    holder: list[Any] = [data]
    stack: list[dict[Any, Any] | list[Any]] = [holder]
    while stack:
        container = stack.pop()
        if isinstance(container, dict):
            if any(cleaned(key) != key for key in container):
                fixed = {cleaned(key): value for key, value in container.items()}
                container.clear()
                container.update(fixed)
            pairs: Any = container.items()
        else:
            pairs = enumerate(container)
        for key, value in pairs:
            if isinstance(value, str):
                text = cleaned(value)
                if text is not value:
                    container[key] = text
            elif isinstance(value, dict | list):
                stack.append(value)
    return holder[0]
