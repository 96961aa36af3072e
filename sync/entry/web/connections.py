"""What waitress itself can hold against slow clients, beyond its idle timeout.

waitress closes a connection that sends nothing for `channel_timeout` seconds, but one that trickles a header
line every few seconds stays open for ever, and `connection_limit` of them keep everybody else out. Two limits
close that gap as far as a server without a proxy can:

- **a whole request in REQUEST_TIMEOUT seconds**: the clock starts at a request's first byte; a request still
  incomplete after that is closed, however steadily it trickles;
- **PER_CLIENT connections per address**: one address holding more is refused at once, so a single client
  cannot take every connection. A listed reverse proxy (BACKBONE_TRUSTED_PROXIES) carries everybody's
  connections and is exempt: it must keep its own limits (docs/deployment.md).

Many addresses at once (a botnet) are beyond any single process: that is the reverse proxy's job.
"""
from __future__ import annotations

import logging
import time

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer

from sync.entry.web.proxies import ProxyList

log = logging.getLogger("sync.entry.web.connections")
REQUEST_TIMEOUT = 20.0  # seconds from a request's first byte to its last (the page's requests are a few hundred bytes)
PER_CLIENT = 100  # connections one address may hold (a browser opens six; an office behind one address, a few dozen)
REFUSAL_LOG_INTERVAL = 60.0  # seconds between log lines about refused connections, so a flood does not flood the log


class GuardedChannel(HTTPChannel):
    """A waitress connection under the two limits above; `guarded_channel` makes one for a list of proxies."""

    proxies = ProxyList()
    request_timeout = REQUEST_TIMEOUT
    per_client = PER_CLIENT
    request_began: float | None = None  # when the request being received sent its first byte
    _last_refusal_logged = [0.0]  # shared by every channel: when a refusal was last logged

    def __init__(self, server, sock, addr, adj, map=None):
        super().__init__(server, sock, addr, adj, map)
        client = self.addr[0] if isinstance(self.addr, tuple) and self.addr else ""
        if client and not self.proxies.trusts(client):
            held = sum(1 for channel in list(self.server.active_channels.values())
                       if isinstance(channel.addr, tuple) and channel.addr and channel.addr[0] == client)
            if held > self.per_client:
                self._log_refusal(client)
                self.handle_close()

    def _log_refusal(self, client: str) -> None:
        now = time.monotonic()
        if now - self._last_refusal_logged[0] >= REFUSAL_LOG_INTERVAL:
            self._last_refusal_logged[0] = now
            log.warning("refusing connections from %s: it holds %d already (more are refused without a log line "
                        "for a minute)", client, self.per_client,
                        extra={"fields": {"event": "connection_refused", "client": client}})

    def received(self, data):
        if data and self.request is None:
            self.request_began = time.monotonic()
        done = super().received(data)
        if self.request is None:  # every request received so far is complete
            self.request_began = None
        return done

    def readable(self):
        # Asked by the server's loop every turn (at least once a second): the place to notice a request too slow.
        if self.request_began is not None and time.monotonic() - self.request_began > self.request_timeout:
            self.request_began = None
            self.will_close = True  # closed by handle_write on the loop's next turn, as waitress closes idle ones
        return super().readable()


def guarded_channel(proxies: ProxyList, *, request_timeout: float = REQUEST_TIMEOUT,
                    per_client: int = PER_CLIENT) -> type[GuardedChannel]:
    return type("GuardedChannel", (GuardedChannel,), {"proxies": proxies, "request_timeout": request_timeout,
                                                      "per_client": per_client})


def guard(socket_map: dict, channel: type[GuardedChannel]) -> int:
    """Use `channel` for the connections every waitress server in `socket_map` accepts; how many servers."""
    servers = [s for s in socket_map.values() if isinstance(s, BaseWSGIServer)]
    for server in servers:
        server.channel_class = channel
    return len(servers)
