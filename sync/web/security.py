"""Who may use the page, what other sites may make it do, and what browsers may load into it.

- BACKBONE_WEB_PASSWORD set: HTTP Basic auth on everything but /health (any user name).
- POSTs carrying an Origin header from another site are refused (cross-site request forgery);
  a POST with no Origin (curl, a monitor) is let through, since it still needed the password.
- Security headers on every response: nothing from other origins, no framing, no sniffing.
"""
from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from flask import Flask, Response, request

OPEN_ENDPOINTS = {"health"}  # monitors poll it without credentials; it shows nothing private
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
DEFAULT_PORTS = {"http": 80, "https": 443}
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                           "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # not "no-referrer": with it Chromium sends "Origin: null" on form posts, which the origin check refuses
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def password_matches(given: str | None, password: str) -> bool:
    # compare_digest on bytes: constant time, and no TypeError for non-ASCII passwords
    return given is not None and hmac.compare_digest(given.encode("utf-8"), password.encode("utf-8"))


def origin_key(url: str) -> tuple[str, str, int | None] | None:
    """(scheme, host, port) of an origin, default ports filled in; None when it is not one ("null")."""
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


def same_origin(origin: str, scheme: str, host: str) -> bool:
    """Whether the Origin header names this server as the request reached it (scheme + Host)."""
    theirs = origin_key(origin)
    return theirs is not None and theirs == origin_key(f"{scheme}://{host}")


def unauthorised() -> Response:
    return Response("Password required. / Lösenord krävs.\n", 401, mimetype="text/plain",
                    headers={"WWW-Authenticate": 'Basic realm="backbone", charset="UTF-8"'})


def install_security(app: Flask, password: str) -> None:
    @app.before_request
    def check_request():
        if request.endpoint in OPEN_ENDPOINTS:
            return None
        if password:
            credentials = request.authorization
            if credentials is None or credentials.type != "basic" or not password_matches(credentials.password, password):
                return unauthorised()
        if request.method in UNSAFE_METHODS:
            origin = request.headers.get("Origin")
            if origin is not None and not same_origin(origin, request.scheme, request.host):
                return Response("Refused: the request came from another site. / Avvisad: begäran kom från en "
                                "annan webbplats.\n", 403, mimetype="text/plain")
        return None

    @app.after_request
    def add_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")  # recaps and run details stay off shared caches
        return response
