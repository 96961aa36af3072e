"""Which host names the page answers to, and which sites may post to it.

A browser tricked by DNS rebinding sends `Host: evil.example` to 127.0.0.1, so the Host header
must name this machine (localhost, a loopback address) or one of BACKBONE_WEB_HOSTS. An Origin is
checked against the same list, never against the request's own Host header, which the attacker writes.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def is_loopback_name(name: str) -> bool:
    name = name.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):  # RFC 6761: always this machine
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def split_host(value: str, default_port: int | None = None) -> tuple[str, int | None] | None:
    """'Example.org:8443' -> ('example.org', 8443); '[::1]' -> ('::1', default_port); None when malformed."""
    try:
        parts = urlsplit(f"//{value.strip()}")
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname or parts.username is not None or parts.path or parts.query or parts.fragment:
        return None
    return parts.hostname.lower().rstrip("."), port if port is not None else default_port


class HostPolicy:
    def __init__(self, allowed: Iterable[str] = ()):
        self.allowed = [entry for entry in (split_host(name) for name in allowed) if entry]

    def _listed(self, name: str, port: int | None) -> bool:
        return any(name == allowed and (allowed_port is None or port == allowed_port)
                   for allowed, allowed_port in self.allowed)

    def host_allowed(self, host_header: str, scheme: str = "http") -> bool:
        found = split_host(host_header, DEFAULT_PORTS.get(scheme))
        return found is not None and (is_loopback_name(found[0]) or self._listed(*found))

    def origin_allowed(self, origin: str, scheme: str, host_header: str) -> bool:
        """An Origin on a listed host; or, on loopback, exactly the page's own origin (another local
        port is another program's page)."""
        try:
            parts = urlsplit(origin)
            port = parts.port or DEFAULT_PORTS.get(parts.scheme)
        except ValueError:
            return False
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            return False  # "null" (sandboxed frames, some redirects) and anything else
        name = parts.hostname.lower().rstrip(".")
        if is_loopback_name(name):
            own = split_host(host_header, DEFAULT_PORTS.get(scheme))
            return own is not None and parts.scheme == scheme and (name, port) == own
        return self._listed(name, port)
