"""Credentials, the HTTP client and backlogctl's own retry policy for Jira.

The ``jira`` library provides the authenticated session (basic auth for Cloud, bearer PAT for
Server/DC), ``server_info()`` and ``fields()``; it is built with ``max_retries=0`` because its
policy waits up to 60 s per attempt and retries only 429/503. Here every request gets a bounded
number of attempts with exponential backoff and jitter, ``Retry-After`` is honoured, the whole
pull stays within a time budget, and every message is scrubbed of the token before it is raised.
"""

from __future__ import annotations

import base64
import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import quote, urlsplit

from backlogctl.errors import InputError, SourceError

if TYPE_CHECKING:
    from backlogctl.config import Config

Deployment = Literal["cloud", "server"]
T = TypeVar("T")

TOKEN_ENV_VARS = ("BACKLOGCTL_JIRA_TOKEN", "JIRA_API_TOKEN")
KEYRING_SERVICE = "backlogctl"
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Credentials:
    """Where to connect and as whom. ``token`` never appears in repr or messages."""

    url: str
    email: str | None
    token: str = field(repr=False)

    @property
    def who(self) -> str:
        """How the user is named in messages: the email, or the kind of token."""
        return self.email or "the personal access token's user"

    def scrub(self, text: str) -> str:
        """``text`` with every form of the secret (plain, URL-quoted, in a basic-auth header)
        replaced by ``***``."""
        secrets = {self.token, quote(self.token, safe="")}
        if self.email:
            pair = f"{self.email}:{self.token}".encode()
            secrets.add(base64.b64encode(pair).decode())
        for secret in sorted(secrets, key=len, reverse=True):
            if secret:
                text = text.replace(secret, "***")
        return text


def resolve_credentials(
    config: Config, *, url: str | None = None, email: str | None = None
) -> Credentials:
    """Server URL, email and token by precedence: option > environment > config (> keyring).

    Raises ``InputError`` (exit 2) before any request when the URL or the token is missing.
    """
    settings = config.jira
    server = url or os.environ.get("BACKLOGCTL_JIRA_URL") or settings.url
    if not server:
        raise InputError(
            "no Jira server: set 'jira.url' in backlogctl.yaml or BACKLOGCTL_JIRA_URL",
            location=config.location("jira"),
        )
    server = _checked_url(server, config).rstrip("/")
    user = email or os.environ.get("BACKLOGCTL_JIRA_EMAIL") or settings.email
    token = next((os.environ[name] for name in TOKEN_ENV_VARS if os.environ.get(name)), None)
    keyring_problem = None
    if token is None:
        token, keyring_problem = _keyring_token(server, user)
    if not token:
        unreadable = (
            f" (the system keyring could not be read: {keyring_problem})" if keyring_problem else ""
        )
        raise InputError(
            "no Jira API token: set BACKLOGCTL_JIRA_TOKEN (or JIRA_API_TOKEN), or store it "
            f"in the system keyring under service '{KEYRING_SERVICE}' and user '{server}'"
            f"{unreadable}"
        )
    return Credentials(url=server, email=user or None, token=token)


def _checked_url(server: str, config: Config) -> str:
    """``server`` if it is a usable http(s) base URL, else ``InputError`` (exit 2).

    Caught here rather than by requests: a malformed URL raised ``ValueError`` deep in the
    library (a traceback) or was retried as "invalid JSON"; and credentials written into
    the URL would be echoed by every message that names the server.
    """
    location = config.location("jira", "url")
    try:
        parts = urlsplit(server)
        parts.port  # noqa: B018 - parsing the port is the check: "host:99999" raises
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(char.isspace() for char in server)
    ):
        raise InputError(
            f"jira.url: expected an http(s) URL such as https://example.atlassian.net, "
            f"got {server!r}",
            location=location,
        )
    if parts.username is not None or parts.password is not None:
        raise InputError(
            "jira.url: must not contain a user name or password; use --email (or "
            "BACKLOGCTL_JIRA_EMAIL) and BACKLOGCTL_JIRA_TOKEN",
            location=location,
        )
    return server


def _keyring_token(server: str, email: str | None) -> tuple[str | None, str | None]:
    """The token stored for the server (or email), and why the keyring failed, if it did.

    A locked or broken keyring backend is not fatal (the token may be under the other user
    name), but the user hears about it instead of a bare "no token". Only the exception's
    type is kept: a backend's message could quote what it was asked for.
    """
    try:
        import keyring  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None, None
    problem = None
    for user in (server, email):
        if not user:
            continue
        try:
            secret = keyring.get_password(KEYRING_SERVICE, user)
        except keyring.errors.NoKeyringError:
            return None, None  # no keyring on this machine (CI, containers): nothing to say
        except Exception as exc:
            problem = type(exc).__name__
            continue
        if secret:
            return str(secret), None
    return None, problem


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
        self._jira = self._build_library_client()

    @property
    def api_version(self) -> str:
        """REST version for issue data: 3 (ADF) on Cloud, 2 on Server/DC."""
        return "3" if self.deployment == "cloud" else "2"

    def abort(self) -> None:
        """Make pending retries of other threads give up (one failure aborts the pull)."""
        self._abort.set()

    def _build_library_client(self) -> Any:
        from jira import JIRA

        auth: dict[str, Any] = (
            {"basic_auth": (self.credentials.email, self.credentials.token)}
            if self.credentials.email
            else {"token_auth": self.credentials.token}
        )
        try:
            client = JIRA(
                server=self.credentials.url,
                get_server_info=False,
                max_retries=0,
                timeout=self.settings.retry.request_timeout,
                **auth,
            )
        except Exception as exc:
            raise SourceError(
                self.credentials.scrub(f"cannot set up the Jira client: {type(exc).__name__}")
            ) from None
        # Concurrent page/bulk fetches share this session: keep one pooled connection each.
        import requests.adapters

        pool = max(10, 2 * self.settings.concurrency)
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=pool)
        client._session.mount("http://", adapter)
        client._session.mount("https://", adapter)
        return client

    # -- library calls -------------------------------------------------------------------
    def server_info(self) -> dict[str, Any]:
        """``GET /rest/api/2/serverInfo`` through the library (asked once per client)."""
        if self._server_info is None:
            self._server_info = self._with_retry(
                "reading server info", self._library(lambda: self._jira.server_info())
            )
        return self._server_info

    def detect_deployment(self) -> Deployment:
        """The configured deployment, or Cloud/Server from serverInfo (one request)."""
        if self.deployment is None:
            info = self.server_info()
            self.deployment = "cloud" if info.get("deploymentType") == "Cloud" else "server"
        return self.deployment

    def fields(self) -> list[dict[str, Any]]:
        """The server's fields (``GET /rest/api/2/field``) through the library."""
        result: list[dict[str, Any]] = self._with_retry(
            "listing fields", self._library(lambda: self._jira.fields())
        )
        return result

    def myself(self) -> dict[str, Any]:
        """The authenticated user (``GET /rest/api/2/myself``) through the library."""
        result: dict[str, Any] = self._with_retry(
            "checking credentials", self._library(lambda: self._jira.myself())
        )
        return result

    def _library(self, call: Callable[[], T]) -> Callable[[float], T]:
        from jira.exceptions import JIRAError

        def attempt(_timeout: float) -> T:
            self._count()
            try:
                return call()
            except JIRAError as exc:
                raise _status_error(exc.response, exc.status_code) from None

        return attempt

    # -- raw JSON calls through the library's session (endpoints the library lacks) -------
    def request_json(
        self, method: str, path: str, *, what: str, body: Any = None, params: Any = None
    ) -> Any:
        """``method`` ``/rest/api/{version}/{path}`` with the library's authenticated session."""
        url = f"{self.credentials.url}/rest/api/{self.api_version}/{path}"

        def attempt(timeout: float) -> Any:
            import requests

            self._count()
            response = requests.Session.request(
                self._jira._session, method, url, json=body, params=params, timeout=timeout
            )
            if not response.ok:
                raise _status_error(response, response.status_code)
            return response.json()

        return self._with_retry(what, attempt)

    def _count(self) -> None:
        with self._count_lock:
            self.requests += 1

    # -- the retry policy ----------------------------------------------------------------
    def _with_retry(self, what: str, attempt: Callable[[float], T]) -> T:
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
                self._raise_final(exc, what)
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
            delay = (
                retry_after
                if retry_after is not None
                else min(retry.max_backoff, retry.backoff * 2 ** (tries - 1))
                * random.uniform(0.5, 1.0)
            )
            remaining = self.deadline - time.monotonic()
            if delay >= remaining:
                raise self._error(
                    f"{what}: {problem}; retrying in {delay:g} s would exceed the "
                    f"{self.timeout:g} s time budget (--timeout)"
                )
            if self._abort.wait(delay):
                raise self._error(f"{what}: cancelled after another request failed")

    def _raise_final(self, exc: _HttpStatusError, what: str) -> None:
        """Raise for answers that retrying cannot fix; return for retryable ones."""
        details = "; ".join(exc.messages)
        if exc.status in (401, 403):
            raise self._error(
                f"authentication failed for {self.credentials.url} as {self.credentials.who} "
                f"(HTTP {exc.status})"
            )
        if exc.status == 400:
            raise InputError(
                self.credentials.scrub(
                    f"Jira rejected the request ({what}): {details or 'HTTP 400'}"
                )
            )
        if exc.status not in _RETRY_STATUSES:
            raise self._error(f"{what}: HTTP {exc.status}" + (f": {details}" if details else ""))

    def _error(self, message: str) -> SourceError:
        return SourceError(self.credentials.scrub(message), location=self.credentials.url)


def _status_error(response: Any, status: int | None) -> _HttpStatusError:
    messages: list[str] = []
    retry_after: float | None = None
    if response is not None:
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if isinstance(payload, dict):
            messages.extend(str(message) for message in payload.get("errorMessages") or [])
            errors = payload.get("errors") or {}
            if isinstance(errors, dict):
                messages.extend(f"{name}: {text}" for name, text in errors.items())
        header = response.headers.get("Retry-After")
        if header is not None:
            try:
                retry_after = max(0.0, float(header))
            except ValueError:
                retry_after = None
    return _HttpStatusError(status or 0, messages, retry_after)
