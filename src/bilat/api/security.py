"""Security basics for the server: token check, security headers, errors without stack traces.

A token (env ``BILAT_TOKEN``) is required to bind anything but a loopback address; when set it
is checked on every request, from ``Authorization: Bearer …``, ``?token=`` or the cookie the
server sets after a valid ``?token=`` so that links inside the dashboard keep working.

Served on a loopback address without a token, the server answers only requests whose ``Host`` is a
loopback name: a web page the user visits cannot rebind its own domain name to 127.0.0.1 and read the
corpus through the user's browser (DNS rebinding), since its requests carry its own host name.
"""
from __future__ import annotations

import hmac
import ipaddress
import logging
import secrets
import time
from collections.abc import Collection

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

logger = logging.getLogger(__name__)

TOKEN_ENV = "BILAT_TOKEN"
COOKIE = "bilat_token"
# Scripts only from this server (plotly.min.js and app.js are static files); plotly writes
# inline styles, so styles also allow 'unsafe-inline'.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
MIN_TOKEN_CHARS = 16
FAILURES_ALLOWED = 5  # wrong tokens from one client within FAILURE_WINDOW_S before it must wait
FAILURE_WINDOW_S = 60.0


# Corrections (POST) need a CSRF token besides the server token: a per-browser random value in a cookie that
# only this site's pages can see (SameSite=Strict) and the same value in the form's hidden field or the
# X-CSRF-Token header. A page elsewhere can make the browser POST to a loopback server without a token,
# but cannot read the value to send along.
CSRF_COOKIE = "bilat_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"


def csrf_token(request: Request) -> tuple[str, bool]:
    """The browser's CSRF token, and whether it is new (then the response must set the cookie)."""
    given = request.cookies.get(CSRF_COOKIE, "")
    if len(given) == 43 and given.replace("-", "").replace("_", "").isalnum():
        return given, False
    return secrets.token_urlsafe(32), True


def set_csrf_cookie(response: Response, token: str) -> None:
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")


def csrf_problem(request: Request, given: str | None) -> str | None:
    """Why a POST fails the CSRF check (None: it passes): the cookie and the sent token must match, and a
    request that names its origin must come from this server."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        from urllib.parse import urlsplit

        if (urlsplit(origin).netloc or "").lower() != request.headers.get("host", "").lower():
            return "cross-origin request refused"
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not given or not hmac.compare_digest(cookie.encode(), given.encode()):
        return "missing or wrong CSRF token (reload the page and submit again)"
    return None


def token_problem(token: str) -> str | None:
    """Why a token is too weak to guard the server, or None."""
    if len(token) < MIN_TOKEN_CHARS:
        return f"{TOKEN_ENV} must be at least {MIN_TOKEN_CHARS} characters"
    if any(c.isspace() for c in token):
        return f"{TOKEN_ENV} must not contain spaces"
    return None


def host_name(header: str) -> str:
    """The name in a ``Host`` header, without its port: "[::1]:8000" -> "::1", "Localhost:80" -> "localhost"."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _given_token(request: Request) -> tuple[str | None, bool]:
    """The token the client sent and whether it came in the query string."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip(), False
    if "token" in request.query_params:
        return request.query_params["token"], True
    return request.cookies.get(COOKIE), False


class SecurityMiddleware(BaseHTTPMiddleware):
    def __init__(self, app, token: str | None = None, allowed_hosts: Collection[str] | None = None):
        super().__init__(app)
        self.token = token
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts) if allowed_hosts is not None else None
        self.failures: dict[str, tuple[int, float]] = {}  # client -> (wrong tokens, time of the first)

    def _locked(self, client: str, now: float) -> float:
        """Seconds the client must still wait after too many wrong tokens (0: none)."""
        count, since = self.failures.get(client, (0, now))
        if now - since >= FAILURE_WINDOW_S:
            self.failures.pop(client, None)
            return 0.0
        return FAILURE_WINDOW_S - (now - since) if count >= FAILURES_ALLOWED else 0.0

    def _failed(self, client: str, now: float) -> None:
        if len(self.failures) > 10_000:  # many clients: forget those whose window has passed
            self.failures = {k: v for k, v in self.failures.items() if now - v[1] < FAILURE_WINDOW_S}
        count, since = self.failures.get(client, (0, now))
        self.failures[client] = (count + 1, since)

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if self.allowed_hosts is not None and host_name(request.headers.get("host", "")) not in self.allowed_hosts:
            response = JSONResponse({"detail": "host not allowed"}, status_code=400)
            response.headers.update(HEADERS)
            return response
        from_query = False
        if self.token:
            client, now = request.client.host if request.client else "", time.monotonic()
            wait = self._locked(client, now)
            if wait:
                response = JSONResponse({"detail": "too many wrong tokens: try again later"}, status_code=429,
                                        headers={"Retry-After": str(int(wait) + 1)})
                response.headers.update(HEADERS)
                return response
            given, from_query = _given_token(request)
            if not given or not hmac.compare_digest(given.encode(), self.token.encode()):
                if given:  # a guess; a first visit without the token is not one
                    self._failed(client, now)
                response = JSONResponse({"detail": "missing or wrong token"}, status_code=401,
                                        headers={"WWW-Authenticate": "Bearer"})
                response.headers.update(HEADERS)
                return response
            self.failures.pop(client, None)
            request.state.bearer = request.headers.get("authorization", "").lower().startswith("bearer ")
        try:
            response: Response = await call_next(request)
        except Exception:  # the last net: log it, never show it
            logger.exception("error serving %s", request.url.path)
            response = JSONResponse({"detail": "internal error"}, status_code=500)
        if from_query:
            response.set_cookie(COOKIE, self.token or "", httponly=True, samesite="strict")
        response.headers.update(HEADERS)
        return response
