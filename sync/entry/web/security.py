"""Who may use the page, what other sites may make it do, and what browsers may load into it.

- The Host header must name this machine or one of BACKBONE_WEB_HOSTS (DNS rebinding), /health aside.
- BACKBONE_WEB_PASSWORD set: HTTP Basic auth on everything but /health (any user name); wrong
  passwords are throttled per client address (throttle.py).
- POSTs carrying an Origin header from a site that is not an allowed host are refused (cross-site
  request forgery); a POST with no Origin (curl, a monitor) is let through, since it still needed the password.
- Security headers on every response: nothing from other origins, no framing, no sniffing.
"""
from __future__ import annotations

import hmac
import logging
import math

from flask import Flask, Response, request

from sync.entry.web.access_log import printable
from sync.entry.web.hosts import HostPolicy
from sync.entry.web.throttle import PasswordThrottle

log = logging.getLogger("sync.entry.web.security")

OPEN_ENDPOINTS = {"health"}  # monitors poll it without credentials; it shows nothing private
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
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


def unauthorised() -> Response:
    return Response("Password required. / Lösenord krävs.\n", 401, mimetype="text/plain",
                    headers={"WWW-Authenticate": 'Basic realm="backbone", charset="UTF-8"'})


def unknown_host() -> Response:
    return Response("Unknown host name: this page answers only to the names in BACKBONE_WEB_HOSTS. / Okänt "
                    "värdnamn: sidan svarar bara på namnen i BACKBONE_WEB_HOSTS.\n", 400, mimetype="text/plain")


def too_many_attempts(wait: float) -> Response:
    return Response("Too many wrong passwords; wait a little and try again. / För många felaktiga lösenord; "
                    "vänta en stund och försök igen.\n", 429, mimetype="text/plain",
                    headers={"Retry-After": str(max(1, math.ceil(wait)))})


def install_security(app: Flask, password: str, allowed_hosts=(), *, throttle: PasswordThrottle | None = None) -> None:
    hosts = HostPolicy(allowed_hosts)
    throttle = throttle or PasswordThrottle()

    def check_password() -> Response | None:
        credentials = request.authorization
        if credentials is None or credentials.type != "basic":
            return unauthorised()  # no password tried yet: the browser asks for one
        client = request.remote_addr or "unknown"
        wait = throttle.wait_left(client)
        if wait > 0:
            return too_many_attempts(wait)
        if not password_matches(credentials.password, password):
            failures, blocked = throttle.failed(client)
            log.warning("wrong password from %s (%d in a row)%s", client, failures,
                        f"; refusing it for {blocked:g} s" if blocked else "",
                        extra={"fields": {"event": "wrong_password", "client": client, "failures": failures,
                                          "blocked_seconds": blocked}})
            return unauthorised()
        throttle.succeeded(client)
        return None

    @app.before_request
    def check_request():
        if request.endpoint in OPEN_ENDPOINTS:
            return None
        if not hosts.host_allowed(request.host, request.scheme):
            log.warning("refused a request for unknown host %r", printable(request.host[:100]))
            return unknown_host()
        if password:
            refused = check_password()
            if refused is not None:
                return refused
        if request.method in UNSAFE_METHODS:
            origin = request.headers.get("Origin")
            if origin is not None and not hosts.origin_allowed(origin, request.scheme, request.host):
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
