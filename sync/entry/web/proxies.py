"""Which peers may speak for the visitor: X-Forwarded-For and X-Forwarded-Proto are believed only from the
reverse proxies listed in BACKBONE_TRUSTED_PROXIES (empty by default: from nobody).

Believing them from any local peer would let anything on this machine (or a proxy that passes the header on
unchanged) rotate the address the password throttle counts, and so guess at full speed. werkzeug's ProxyFix is
meant to sit behind exactly this check: it takes the last address the one trusted proxy appended.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from werkzeug.middleware.proxy_fix import ProxyFix

# Every header a proxy may set to speak for the visitor; dropped when the peer is not a trusted proxy.
FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT",
             "HTTP_X_FORWARDED_PREFIX", "HTTP_FORWARDED")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ProxyList:
    def __init__(self, networks: Iterable[Network] = ()):
        self.networks = tuple(networks)

    def __bool__(self) -> bool:
        return bool(self.networks)

    def trusts(self, address: str) -> bool:
        try:
            found = ipaddress.ip_address(address.strip().strip("[]"))
        except ValueError:
            return False
        if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
            found = found.ipv4_mapped
        return any(found.version == network.version and found in network for network in self.networks)


class TrustedProxies:
    """WSGI middleware: a request from a listed proxy gets ProxyFix (the visitor's address and scheme from the
    proxy's headers); any other request has those headers removed, so nothing later can be fooled by them."""

    def __init__(self, app, proxies: ProxyList):
        self.app, self.proxies = app, proxies
        self.fixed = ProxyFix(app, x_for=1, x_proto=1, x_host=0, x_port=0, x_prefix=0)

    def __call__(self, environ, start_response):
        if self.proxies.trusts(environ.get("REMOTE_ADDR", "")):
            return self.fixed(environ, start_response)
        for key in FORWARDED:
            environ.pop(key, None)
        return self.app(environ, start_response)
