"""`backbone serve`: the schedule and the web page in one process, served by waitress.

Without BACKBONE_WEB_PASSWORD it listens on loopback only: anyone who can reach the page can run
a sync and read every recap. SIGTERM/SIGINT stop it gracefully: no new requests, the scheduler
shut down, a sync in progress given a minute to finish.
"""
from __future__ import annotations

import ipaddress
import logging
import signal
import sys
import threading
from typing import TYPE_CHECKING

import waitress
from waitress import wasyncore
from waitress.trigger import trigger as Trigger

from sync.core.errors import BackboneError, ConfigError
from sync.core.i18n import _, ngettext
from sync.entry.web.access_log import configure_logging
from sync.entry.web.connections import guard, guarded_channel
from sync.entry.web.proxies import ProxyList
from sync.entry.web.runner import SyncRunner
from sync.entry.web.scheduler import SyncScheduler
from sync.entry.web.web_app import create_app

if TYPE_CHECKING:
    from sync.bootstrap import Backbone

log = logging.getLogger("sync.entry.web")
STOP_WAIT_FOR_SYNC = 60.0  # seconds; systemd's default TimeoutStopSec is 90
MIN_PASSWORD_LENGTH = 12
# Waitress, tuned so idle or half-sent connections cannot lock people out: many may be open (each is
# only a socket until its request is complete), an idle one is closed after CHANNEL_TIMEOUT seconds,
# and there are threads to spare beyond the PDF queue's (downloads.PdfQueue holds at most 16).
THREADS = 24
CONNECTION_LIMIT = 500
CHANNEL_TIMEOUT = 10  # seconds without a byte in either direction, no request being answered
CLEANUP_INTERVAL = 2  # how often idle connections are looked for


def is_loopback(host: str) -> bool:
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to anything


def check_listen_address(host: str, password: str) -> None:
    if not password and not is_loopback(host):
        raise ConfigError(_("refusing to listen on {host} without a password: anyone who reaches the page could run "
                            "syncs and read the recaps; set BACKBONE_WEB_PASSWORD, or listen on 127.0.0.1 behind a "
                            "reverse proxy that asks for one").format(host=host or _("every address")))


def check_password(password: str) -> None:
    """A password that can be guessed is refused at start; the message never shows it."""
    if password and not password.strip():
        raise ConfigError(_("BACKBONE_WEB_PASSWORD is only spaces; choose a real password of at least {minimum} "
                            "characters (a few random words work well)").format(minimum=MIN_PASSWORD_LENGTH))
    if password and len(password) < MIN_PASSWORD_LENGTH:
        raise ConfigError(ngettext("BACKBONE_WEB_PASSWORD is too short ({count} character); use at least {minimum} "
                                   "(a few random words work well)",
                                   "BACKBONE_WEB_PASSWORD is too short ({count} characters); use at least {minimum} "
                                   "(a few random words work well)", len(password)).format(
                                       count=len(password), minimum=MIN_PASSWORD_LENGTH))


def check_web_hosts(host: str, allowed_hosts: tuple[str, ...]) -> None:
    if not is_loopback(host) and not allowed_hosts:
        raise ConfigError(_("listening on {host} needs BACKBONE_WEB_HOSTS: the page answers only to the names listed "
                            "there (e.g. BACKBONE_WEB_HOSTS=backbone.example.org,192.168.1.20), so a page elsewhere "
                            "cannot reach it through a rebound DNS name").format(
                                host=host or _("every address")))


class WebService:
    """The scheduler and the waitress server; `run()` blocks until `stop()` (from any thread or a signal)."""

    def __init__(self, backbone, host: str = "127.0.0.1", port: int = 8080):
        self.backbone = backbone
        self.runner = SyncRunner(backbone)
        self.scheduler = SyncScheduler.nightly(self.runner)  # ConfigError for a bad schedule or time zone
        self.app = create_app(backbone, scheduler=self.scheduler)
        self._map: dict = {}
        self._stopping = threading.Event()
        self.stop_reason = ""
        # Forwarded headers are the app's business (sync/entry/web/proxies.py): believed only from BACKBONE_TRUSTED_PROXIES,
        # removed there for every other peer; waitress, which trusts one address at most, leaves them alone.
        self.server = waitress.create_server(self.app, map=self._map, host=host, port=port, threads=THREADS,
                                             connection_limit=CONNECTION_LIMIT, channel_timeout=CHANNEL_TIMEOUT,
                                             cleanup_interval=CLEANUP_INTERVAL, ident="backbone",
                                             clear_untrusted_proxy_headers=False)
        # a whole request within REQUEST_TIMEOUT, and at most PER_CLIENT connections per address (connections.py)
        guard(self._map, guarded_channel(ProxyList(backbone.settings.trusted_proxy_networks())))

    @property
    def addresses(self) -> list[tuple[str, int]]:
        listening = getattr(self.server, "effective_listen", None)
        return [tuple(item[:2]) for item in listening] if listening else \
            [(self.server.effective_host, self.server.effective_port)]

    @property
    def url(self) -> str:
        host, port = self.addresses[0]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"

    def run(self) -> None:
        self.scheduler.start()
        try:
            # Our own loop rather than server.run(), so a stop() from another thread ends it cleanly.
            while not self._stopping.is_set() and self._map:
                wasyncore.loop(timeout=1.0, map=self._map, use_poll=True, count=1)
        finally:
            log.info("stopping%s", f" ({self.stop_reason})" if self.stop_reason else "")
            self.scheduler.shutdown()
            wasyncore.close_all(self._map, ignore_all=True)
            self.server.task_dispatcher.shutdown()
            if self.runner.running():
                log.info("waiting up to %.0f s for the running sync to finish", STOP_WAIT_FOR_SYNC)
                self.runner.wait(STOP_WAIT_FOR_SYNC)
            log.info("stopped")

    def stop(self, reason: str = "") -> None:
        """Safe from a signal handler: sets a flag and wakes the loop, nothing that takes a lock."""
        self.stop_reason = reason
        self._stopping.set()
        for dispatcher in list(self._map.values()):
            if isinstance(dispatcher, Trigger):
                dispatcher.pull_trigger()  # wakes the loop now rather than after its timeout


def serve(backbone: Backbone, *, host: str = "127.0.0.1", port: int = 8080, log_json: bool = False) -> int:
    """Run until SIGTERM/SIGINT; 0 then, 2 with one line on stderr when it cannot start."""
    try:
        check_listen_address(host, backbone.settings.web_password)
        check_password(backbone.settings.web_password)
        check_web_hosts(host, backbone.settings.allowed_web_hosts())
        service = WebService(backbone, host, port)
    except BackboneError as exc:
        print(_("backbone: error: {message}").format(message=exc), file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # the port is taken, or the address is not this machine's
        print(_("backbone: error: {message}").format(message=_("cannot listen on {address} ({reason})").format(
            address=f"{host}:{port}", reason=exc.strerror or exc)), file=sys.stderr)
        return 2
    configure_logging(log_json)
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda number, _frame: service.stop(signal.Signals(number).name))
    next_run = service.scheduler.next_run()
    log.info("listening on %s; next scheduled sync: %s", service.url,
             f"{next_run:%Y-%m-%d %H:%M} ({backbone.settings.timezone})" if next_run else "none (BACKBONE_SCHEDULE=off)",
             extra={"fields": {"event": "start", "url": service.url,
                               "next_run": next_run.isoformat() if next_run else None}})
    service.run()
    return 0
