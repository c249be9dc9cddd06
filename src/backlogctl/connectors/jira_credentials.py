"""Where to connect and as whom: the server URL, the email and the token, and scrubbing.

The token comes from the environment or the system keyring, never from the config. It is sent
only over HTTPS, or plain HTTP to this machine (loopback) unless ``jira.allow_http`` says
otherwise, and every text that could carry it (messages, server replies) passes ``scrub``.
"""

from __future__ import annotations

import base64
import ipaddress
import os
import re
import string
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from backlogctl.errors import InputError

if TYPE_CHECKING:
    from backlogctl.config import Config
    from backlogctl.connectors.jira_types import Warn

TOKEN_ENV_VARS = ("BACKLOGCTL_JIRA_TOKEN", "JIRA_API_TOKEN")
KEYRING_SERVICE = "backlogctl"
#: Characters a URL never percent-encodes (RFC 3986 "unreserved").
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")


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

    @cached_property
    def secret_pattern(self) -> re.Pattern[str]:
        """Every form of the secret: the token, the basic-auth header value
        (base64 of ``email:token``), each either as is or percent-encoded (any mix, any case)."""
        forms = [self.token]
        if self.email:
            forms.append(base64.b64encode(f"{self.email}:{self.token}".encode()).decode())
        alternatives = sorted((_any_quoting(form) for form in forms if form), key=len, reverse=True)
        return re.compile("|".join(alternatives) or "(?!)")

    def scrub(self, text: str) -> str:
        """``text`` with every form of the secret replaced by ``***``."""
        return self.secret_pattern.sub("***", text)

    @cached_property
    def _anchors(self) -> list[bytes]:
        """Per form of the secret, its longest run of characters a URL never quotes: any
        occurrence of the form, however quoted, holds that run verbatim."""
        forms = [self.token]
        if self.email:
            forms.append(base64.b64encode(f"{self.email}:{self.token}".encode()).decode())
        runs = [max(re.findall(r"[A-Za-z0-9._~-]+", form) or [""], key=len) for form in forms]
        return [run.encode() for run in runs]

    def may_be_in(self, content: bytes) -> bool:
        """False only when no text decoded from the JSON ``content`` can hold the secret.

        A cheap test on the raw reply, so that scrubbing walks a reply's strings only when
        needed (``bench_jira.py --scrub`` measures what the walk would cost a pull). Sound
        because an anchor's characters are never JSON-escaped except as ``\\uXXXX``: without
        such escapes (or NUL bytes, which UTF-16/32 bodies have), a decoded text holding the
        secret means the raw body holds an anchor verbatim.
        """
        if b"\x00" in content or b"\\u" in content:
            return True
        return any(not anchor or anchor in content for anchor in self._anchors)


def _any_quoting(secret: str) -> str:
    """A regex for ``secret`` where each reserved character may also be percent-encoded."""
    parts: list[str] = []
    for char in secret:
        if char in _UNRESERVED:
            parts.append(re.escape(char))
            continue
        encoded = "".join(f"%{byte:02X}" for byte in char.encode())
        plus = r"|\+" if char == " " else ""
        parts.append(f"(?:{re.escape(char)}|(?i:{re.escape(encoded)}){plus})")
    return "".join(parts)


def resolve_credentials(
    config: Config, *, url: str | None = None, email: str | None = None, warn: Warn | None = None
) -> Credentials:
    """Server URL, email and token by precedence: option > environment > config (> keyring).

    Raises ``InputError`` (exit 2) before any request when the URL or the token is missing,
    or when the URL is plain HTTP to another machine and ``jira.allow_http`` is off; with it
    on, ``warn`` hears that the token travels unencrypted.
    """
    settings = config.jira
    server = url or os.environ.get("BACKLOGCTL_JIRA_URL") or settings.url
    if not server:
        raise InputError(
            "no Jira server: set 'jira.url' in backlogctl.yaml or BACKLOGCTL_JIRA_URL",
            location=config.location("jira"),
        )
    server = _checked_url(server, config, warn).rstrip("/")
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


def _checked_url(server: str, config: Config, warn: Warn | None) -> str:
    """``server`` if it is a usable http(s) base URL, else ``InputError`` (exit 2).

    Caught here rather than by requests: a malformed URL raised ``ValueError`` deep in the
    HTTP stack (a traceback) or was retried as "invalid JSON"; credentials written into the
    URL would be echoed by every message that names the server; and over plain HTTP the token
    would cross the network readable by anyone on the path.
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
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        if not config.jira.allow_http:
            raise InputError(
                f"jira.url: {server} is plain HTTP: the token would cross the network "
                "unencrypted; use https://, or set 'jira.allow_http: true' if you must",
                location=location,
            )
        if warn is not None:
            warn(f"{server} is plain HTTP: the token is sent unencrypted (jira.allow_http)")
    return server


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine: ``localhost`` or a loopback address."""
    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


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
