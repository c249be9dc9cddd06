"""A Jira REST emulator on 127.0.0.1: Cloud or Server/DC flavour, with fault injection.

Serves serverInfo, myself, field, search/jql (GET and POST), search/approximate-count,
issue/bulkfetch, changelog/bulkfetch (``history.py``), the old /search (Server/DC; 410 Gone
on Cloud) and issue/{key}, with Atlassian's JSON shapes, basic (Cloud) or bearer (Server/DC)
auth, and a request log.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, quote, urlsplit

from jira_emulator import history
from jira_emulator.data import field_list, jira_datetime
from jira_emulator.jql import JqlError, Query, compile_jql, sort_key
from jira_emulator.writes import WriteRules, route_write

Flavour = Literal["cloud", "server"]

GONE_MESSAGE = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
    "A full migration guideline is available at "
    "https://developer.atlassian.com/changelog/#CHANGE-2046"
)
_ROUTE_RE = re.compile(r"^/rest/api/(2|3)/(.+?)/?$")


@dataclass
class Fault:
    """An injected failure for requests whose path contains ``path``.

    ``kind``: ``status`` (answer ``status`` with an optional ``Retry-After``), ``drop``
    (close the connection without answering), ``truncate`` (cut the JSON body in half),
    ``body`` (answer ``status`` with ``body`` verbatim: wrong shapes, deep nesting) or
    ``redirect`` (answer ``status``, e.g. 302 or 307, with ``Location: location``).
    ``retry_after`` goes out as delta-seconds, or with ``retry_after_date`` as an HTTP-date
    that many seconds from the moment of the answer (RFC 9110 allows both).
    The first ``skip`` matching requests pass; then the fault fires ``times`` times.
    """

    kind: Literal["status", "drop", "truncate", "body", "redirect"]
    path: str = ""
    status: int = 503
    retry_after: int | None = None
    retry_after_date: bool = False
    body: str = ""
    location: str = ""
    #: More response headers, sent as given.
    extra_headers: dict[str, str] = field(default_factory=dict)
    skip: int = 0
    times: int = 1
    seen: int = 0
    fired: int = 0

    def headers(self) -> dict[str, str]:
        """The extra response headers of this fault."""
        headers = dict(self.extra_headers)
        if self.retry_after is not None:
            headers["Retry-After"] = (
                email.utils.formatdate(time.time() + self.retry_after, usegmt=True)
                if self.retry_after_date
                else str(self.retry_after)
            )
        if self.kind == "redirect":
            headers["Location"] = self.location
        return headers


@dataclass(frozen=True)
class Request:
    """One logged request."""

    method: str
    path: str
    params: dict[str, list[str]]
    body: Any
    status: int
    #: ``basic``, ``bearer`` or ``none``: the scheme of the Authorization header.
    auth: str = "none"
    #: The request's Accept header.
    accept: str = ""


@dataclass
class JiraEmulator:
    """The emulator's state plus its HTTP server. Use as a context manager or start()/stop()."""

    issues: list[dict[str, Any]] = field(default_factory=list)
    flavour: Flavour = "cloud"
    email: str = "po@example.com"
    token: str = "emulator-token"
    latency: float = 0.0
    faults: list[Fault] = field(default_factory=list)
    expire_token_after: int | None = None
    server_max_results: int = 1000
    #: Echo the request's credentials (the Authorization header, the decoded token and both
    #: URL-quoted) into the texts it serves, as a misconfigured server or proxy might.
    echo_auth: bool = False
    #: How writes are answered (screens, admin rights, rank limits): see writes.py.
    writes: WriteRules = field(default_factory=WriteRules)
    log: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[str, dict[str, Any]] = {issue["key"]: issue for issue in self.issues}
        self._by_id: dict[str, dict[str, Any]] = {issue["id"]: issue for issue in self.issues}
        self._version = 0
        self._query_cache: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self._authorized = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # -- lifecycle ------------------------------------------------------------------------
    def start(self, port: int = 0) -> str:
        """Serve on 127.0.0.1 (ephemeral port by default) in a daemon thread; return the URL."""
        handler = type("_BoundHandler", (_Handler,), {"emulator": self})
        self._server = _QuietServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self.url

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> JiraEmulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- state changes used by tests --------------------------------------------------------
    def update_issue(self, key: str, **fields: Any) -> None:
        """Change raw fields of an issue and bump its ``updated`` to now."""
        with self._lock:
            issue = self._by_key[key]
            issue["fields"].update(fields)
            issue["fields"]["updated"] = jira_datetime(dt.datetime.now(dt.UTC))
            self._version += 1

    def add_issue(self, issue: dict[str, Any]) -> None:
        """Create an issue."""
        with self._lock:
            self.issues.append(issue)
            self._by_key[issue["key"]] = issue
            self._by_id[issue["id"]] = issue
            self._version += 1

    def delete_issue(self, key: str) -> None:
        """Delete an issue (it no longer matches any query)."""
        with self._lock:
            issue = self._by_key.pop(key)
            del self._by_id[issue["id"]]
            self.issues.remove(issue)
            self._version += 1

    def requests_to(self, fragment: str) -> list[Request]:
        """Logged requests whose path contains ``fragment``."""
        return [entry for entry in self.log if fragment in entry.path]

    # -- request handling -----------------------------------------------------------------
    def check_auth(self, header: str | None) -> bool:
        """Basic email:token (Cloud, and Server) or Bearer token (Server/DC); token expiry."""
        expected_basic = "Basic " + base64.b64encode(f"{self.email}:{self.token}".encode()).decode()
        accepted = header == expected_basic or (
            self.flavour == "server" and header == f"Bearer {self.token}"
        )
        if not accepted:
            return False
        with self._lock:
            self._authorized += 1
            return self.expire_token_after is None or self._authorized <= self.expire_token_after

    def pick_fault(self, path: str) -> Fault | None:
        """The fault that fires for this request, if any (counts as seen)."""
        with self._lock:
            for fault in self.faults:
                if fault.path not in path:
                    continue
                fault.seen += 1
                if fault.seen > fault.skip and fault.fired < fault.times:
                    fault.fired += 1
                    return fault
        return None

    def matching(self, jql: str) -> list[dict[str, Any]]:
        """Issues matching ``jql`` in its ORDER BY order (cached per data version)."""
        query = compile_jql(jql)
        if self.flavour == "cloud" and not query.bounded:
            raise JqlError(
                "Unbounded JQL queries are not allowed here. "
                "Please add a search restriction to your query."
            )
        with self._lock:
            version = self._version
            cached = self._query_cache.get((jql, version))
            issues = list(self.issues)
            unknown = [key for key in query.keys if key.upper() not in self._by_key]
        if unknown:
            raise JqlError(
                " ".join(
                    f"An issue with key '{key}' does not exist for field 'key'." for key in unknown
                )
            )
        if cached is not None and not _is_relative(jql):
            return cached
        result = _run_query(query, issues)
        with self._lock:
            self._query_cache[(jql, version)] = result
        return result

    def issue(self, key_or_id: str) -> dict[str, Any] | None:
        """An issue by key or id."""
        with self._lock:
            return self._by_key.get(key_or_id) or self._by_id.get(key_or_id)


class _QuietServer(ThreadingHTTPServer):
    """Silent when a client hangs up mid-answer (an aborted pull does): socketserver would
    print a traceback to the test process's stderr, which the CLI tests capture."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore connection errors; report anything else as usual."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _is_relative(jql: str) -> bool:
    return bool(re.search(r'[<>=]\s*"?-\d+[mhdw]', jql))


def _run_query(query: Query, issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    result = [issue for issue in issues if query.where(issue)]
    for name, descending in reversed(query.order):
        result.sort(key=lambda issue: sort_key(issue, name), reverse=descending)
    return result


def _adf_text(node: Any) -> str:
    """Flatten ADF to wiki-ish text for API v2 (Jira renders wiki markup there)."""
    if not isinstance(node, dict):
        return "" if node is None else str(node)
    if node.get("type") == "text":
        return str(node.get("text", ""))
    inner = [_adf_text(child) for child in node.get("content", [])]
    joiner = "\n" if node.get("type") in ("doc", "bulletList", "orderedList") else ""
    prefix = "* " if node.get("type") == "listItem" else ""
    return prefix + joiner.join(inner)


def _selected_fields(requested: list[str] | None, default: str) -> set[str] | None:
    """None means every field."""
    names = requested if requested else [default]
    flat = [part.strip() for name in names for part in name.split(",") if part.strip()]
    if any(name in ("*all", "*navigable") for name in flat):
        return None
    return {name for name in flat if not name.startswith("-")}


def _render(
    issue: dict[str, Any], base: str, version: str, fields: set[str] | None, expand: str
) -> dict[str, Any]:
    raw = issue["fields"]
    chosen = raw.keys() if fields is None else [name for name in fields if name in raw]
    out_fields: dict[str, Any] = {}
    for name in chosen:
        value = raw[name]
        if version == "2" and isinstance(value, dict) and value.get("type") == "doc":
            value = issue.get("wiki", {}).get(name) or _adf_text(value)
        out_fields[name] = value
    body: dict[str, Any] = {
        "expand": "renderedFields,names,schema,operations,editmeta,changelog",
        "id": issue["id"],
        "self": f"{base}/rest/api/{version}/issue/{issue['id']}",
        "key": issue["key"],
    }
    if fields is None or fields - {"id"}:
        body["fields"] = out_fields
    if "changelog" in expand:
        histories = issue.get("changelog", [])
        body["changelog"] = {
            "startAt": 0,
            "maxResults": len(histories),
            "total": len(histories),
            "histories": histories,
        }
    return body


def _token(offset: int, jql: str) -> str:
    digest = hashlib.sha1(jql.encode()).hexdigest()[:8]
    return base64.urlsafe_b64encode(f"{offset}:{digest}".encode()).decode()


def _offset(token: str | None, jql: str) -> int:
    if not token:
        return 0
    try:
        offset, digest = base64.urlsafe_b64decode(token.encode()).decode().split(":")
    except (ValueError, UnicodeDecodeError):
        raise JqlError("The provided next page token is invalid or expired.") from None
    if digest != hashlib.sha1(jql.encode()).hexdigest()[:8]:
        raise JqlError("The provided next page token is invalid or expired.")
    return int(offset)


class _Handler(BaseHTTPRequestHandler):
    emulator: JiraEmulator
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request stderr log (tests read the request log instead)."""

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def _handle(self, method: str) -> None:
        emulator = self.emulator
        parts = urlsplit(self.path)
        if parts.path == "/_emulator/requests":
            # For the bench: how many requests the emulator has answered (not logged itself).
            data = json.dumps({"requests": len(emulator.log)}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        params = parse_qs(parts.query)
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw_body) if raw_body else None
        except ValueError:
            body = None
        if emulator.latency:
            time.sleep(emulator.latency)
        fault = emulator.pick_fault(parts.path)
        if fault is not None and fault.kind == "drop":
            self._record(method, parts.path, params, body, 0)
            self.close_connection = True
            return
        if not emulator.check_auth(self.headers.get("Authorization")):
            self._send(
                method,
                parts.path,
                params,
                body,
                401,
                {
                    "errorMessages": [
                        "You are not authenticated. "
                        "Authentication required to perform this operation."
                    ],
                    "errors": {},
                },
            )
            return
        if fault is not None and fault.kind in ("status", "redirect"):
            self._send(
                method,
                parts.path,
                params,
                body,
                fault.status,
                {"errorMessages": [f"Injected HTTP {fault.status}."], "errors": {}},
                fault.headers(),
            )
            return
        if fault is not None and fault.kind == "body":
            self._send(
                method,
                parts.path,
                params,
                body,
                fault.status,
                None,
                fault.headers(),
                raw=fault.body,
            )
            return
        try:
            status, payload = self._route(method, parts.path, params, body)
        except JqlError as exc:
            status, payload = 400, {"errorMessages": [str(exc)], "errors": {}}
        if emulator.echo_auth:
            payload = _echoed(payload, self._echo_text())
        self._send(
            method,
            parts.path,
            params,
            body,
            status,
            payload,
            truncate=fault is not None and fault.kind == "truncate",
        )

    def _record(
        self, method: str, path: str, params: dict[str, list[str]], body: Any, status: int
    ) -> None:
        header = self.headers.get("Authorization") or "none"
        scheme = header.split()[0].lower()
        with self.emulator._lock:
            accept = self.headers.get("Accept") or ""
            self.emulator.log.append(Request(method, path, params, body, status, scheme, accept))

    def _send(
        self,
        method: str,
        path: str,
        params: dict[str, list[str]],
        body: Any,
        status: int,
        payload: Any,
        headers: dict[str, str] | None = None,
        *,
        truncate: bool = False,
        raw: str | None = None,
    ) -> None:
        self._record(method, path, params, body, status)
        data = b"" if payload is None else json.dumps(payload).encode()
        if raw is not None:
            data = raw.encode()
        if truncate:
            data = data[: len(data) // 2]
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _echo_text(self) -> str:
        """What an echoing server leaks: the header, the decoded secret, both URL-quoted."""
        header = self.headers.get("Authorization") or ""
        scheme, _, credentials = header.partition(" ")
        decoded = credentials
        if scheme.lower() == "basic":
            decoded = base64.b64decode(credentials).decode()
        return f"{header} | {decoded} | {quote(header, safe='')} | {quote(decoded, safe='')}"

    def _route(
        self, method: str, path: str, params: dict[str, list[str]], body: Any
    ) -> tuple[int, Any]:
        emulator = self.emulator
        written = route_write(emulator, method, path, params, body)
        if written is not None:
            return written
        match = _ROUTE_RE.match(path)
        if match is None:
            return 404, {"errorMessages": ["Not found."], "errors": {}}
        version, rest = match.groups()
        base = emulator.url
        args: dict[str, Any] = dict(body) if isinstance(body, dict) else {}
        for name, values in params.items():
            args.setdefault(name, values if name == "fields" else values[0])
        if rest == "serverInfo":
            if emulator.flavour == "cloud":
                return 200, {
                    "baseUrl": base,
                    "version": "1001.0.0-SNAPSHOT",
                    "versionNumbers": [1001, 0, 0],
                    "deploymentType": "Cloud",
                    "buildNumber": 100000,
                    "serverTitle": "Jira",
                }
            return 200, {
                "baseUrl": base,
                "version": "9.12.2",
                "versionNumbers": [9, 12, 2],
                "deploymentType": "Server",
                "buildNumber": 9120002,
                "serverTitle": "Jira",
            }
        if rest == "myself":
            return 200, history.myself(emulator.email)
        if rest == "changelog/bulkfetch" and method == "POST" and emulator.flavour == "cloud":
            return history.bulk_changelogs(emulator, args)
        if rest == "field":
            return 200, field_list()
        if rest == "search/jql" and emulator.flavour == "cloud":
            return self._search_jql(version, args)
        if rest == "search/approximate-count" and method == "POST" and emulator.flavour == "cloud":
            return 200, {"count": len(emulator.matching(str(args.get("jql", ""))))}
        if rest == "issue/bulkfetch" and method == "POST" and emulator.flavour == "cloud":
            return self._bulkfetch(version, args)
        if rest == "search":
            if emulator.flavour == "cloud":
                return 410, {"errorMessages": [GONE_MESSAGE], "errors": {}}
            return self._search_server(version, args)
        if rest.startswith("issue/") and method == "GET":
            issue = emulator.issue(rest.partition("/")[2])
            if issue is None:
                return 404, {
                    "errorMessages": [
                        "Issue does not exist or you do not have permission to see it."
                    ],
                    "errors": {},
                }
            fields = _selected_fields(_list(args.get("fields")), "*all")
            return 200, _render(issue, base, version, fields, str(args.get("expand") or ""))
        return 404, {"errorMessages": [f"No endpoint {method} {path}."], "errors": {}}

    def _search_jql(self, version: str, args: dict[str, Any]) -> tuple[int, Any]:
        jql = str(args.get("jql") or "")
        matches = self.emulator.matching(jql)
        fields = _selected_fields(_list(args.get("fields")), "id")
        cap = 5000 if fields is not None and fields <= {"id", "key"} else 100
        size = min(int(args.get("maxResults", 50)), cap)
        start = _offset(args.get("nextPageToken"), jql)
        page = matches[start : start + size]
        expand = args.get("expand") or ""
        payload: dict[str, Any] = {
            "issues": [_render(i, self.emulator.url, version, fields, str(expand)) for i in page],
            "isLast": start + size >= len(matches),
        }
        if not payload["isLast"]:
            payload["nextPageToken"] = _token(start + size, jql)
        return 200, payload

    def _bulkfetch(self, version: str, args: dict[str, Any]) -> tuple[int, Any]:
        wanted = args.get("issueIdsOrKeys") or []
        if not wanted or len(wanted) > 100:
            return 400, {
                "errorMessages": ["issueIdsOrKeys must hold between 1 and 100 issues."],
                "errors": {},
            }
        fields = _selected_fields(_list(args.get("fields")), "*navigable")
        lookup = {name: self.emulator.issue(name) for name in wanted}
        found = sorted(
            (issue for issue in lookup.values() if issue is not None),
            key=lambda issue: int(issue["id"]),
        )
        missing = [name for name, issue in lookup.items() if issue is None]
        return 200, {
            "expand": "schema,names",
            "issues": [
                _render(i, self.emulator.url, version, fields, str(args.get("expand") or ""))
                for i in found
            ],
            "issueErrors": [
                {"issueIdOrKey": name, "errorMessages": ["Issue does not exist."]}
                for name in missing
            ],
        }

    def _search_server(self, version: str, args: dict[str, Any]) -> tuple[int, Any]:
        jql = str(args.get("jql") or "")
        matches = self.emulator.matching(jql)
        fields = _selected_fields(_list(args.get("fields")), "*navigable")
        size = min(int(args.get("maxResults", 50)), self.emulator.server_max_results)
        start = int(args.get("startAt") or 0)
        expand = args.get("expand") or ""
        if isinstance(expand, list):
            expand = ",".join(expand)
        return 200, {
            "expand": "schema,names",
            "startAt": start,
            "maxResults": size,
            "total": len(matches),
            "issues": [
                _render(i, self.emulator.url, version, fields, str(expand))
                for i in matches[start : start + size]
            ],
        }


#: The texts an echoing server fills with the credentials: what ``jira check`` shows, field
#: names, issue texts, error messages.
_ECHO_KEYS = frozenset(
    {"serverTitle", "displayName", "name", "summary", "text", "errorMessages", "labels"}
)


def _echoed(payload: Any, echo: str) -> Any:
    """A copy of ``payload`` with ``echo`` appended to every text under ``_ECHO_KEYS``."""
    if isinstance(payload, list):
        return [_echoed(item, echo) for item in payload]
    if not isinstance(payload, dict):
        return payload
    result: dict[str, Any] = {}
    for key, value in payload.items():
        if key in _ECHO_KEYS and isinstance(value, str):
            result[key] = f"{value} {echo}"
        elif key in _ECHO_KEYS and isinstance(value, list):
            result[key] = [*value, echo]
        else:
            result[key] = _echoed(value, echo)
    return result


def _list(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]
