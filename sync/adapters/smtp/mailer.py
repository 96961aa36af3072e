"""Sending the e-mail digest: SMTP with STARTTLS (smtp://) or TLS (smtps://) and login, or without TLS
to a relay on this machine (smtp://localhost:25) or where explicitly asked (smtp+insecure://).

BACKBONE_SMTP_URL holds the server and the login; it is never shown whole (errors name host and port
only). The whole exchange has a time limit: a server that trickles its answers is given up on, not
waited for. A failed digest never fails the sync: the outcome is recorded in the run's details instead.
"""
from __future__ import annotations

import base64
import ipaddress
import smtplib
import socket
import ssl
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sync.core.digest_message import Mail
from sync.core.errors import AccessError, ConfigError, ServiceError
from sync.core.i18n import _
from sync.core.text import one_line
from sync.ports import Mailer

DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    tls: str  # "starttls" | "tls" | "local" (loopback: STARTTLS when offered) | "plain" (smtp+insecure://)
    user: str = ""
    password: str = ""

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def __repr__(self) -> str:  # the password stays out of logs and tracebacks
        return f"MailServer({self.tls}://{self.where}, user={self.user!r})"


def is_loopback(host: str) -> bool:
    """localhost or a loopback address: mail to it never leaves this machine."""
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def mail_server(url: str) -> MailServer:
    if not url.strip():
        raise ConfigError(_("BACKBONE_SMTP_URL is not set; set it to smtp://USER:PASSWORD@HOST:587 (STARTTLS), "
                            "smtps://USER:PASSWORD@HOST:465 (TLS) or smtp://localhost:25 (a relay on this machine)"))
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("smtp", "smtps", "smtp+insecure") or not parts.hostname or port == -1:
        raise ConfigError(_("BACKBONE_SMTP_URL: use smtp://USER:PASSWORD@HOST:587 (STARTTLS), "
                            "smtps://USER:PASSWORD@HOST:465 (TLS), smtp://localhost:25 (a relay on this machine) or "
                            "smtp+insecure://HOST:25 (a relay elsewhere, without encryption)"))
    tls = {"smtps": "tls", "smtp+insecure": "plain"}.get(parts.scheme, "starttls")
    if tls == "starttls" and is_loopback(parts.hostname):
        tls = "local"  # a relay on this machine (postfix on localhost:25): the mail does not cross a network here
    default_port = {"tls": 465, "plain": 25, "local": 25}.get(tls, 587)
    return MailServer(parts.hostname, port or default_port, tls, unquote(parts.username or ""), unquote(parts.password or ""))


def recipients(mail_from: str, mail_to: str) -> tuple[str, list[str]]:
    """(sender, recipients) as written, names kept ("Åsa Öberg <asa@example.org>")."""
    sender = mail_from.strip()
    to = [f"{name} <{address}>" if name else address for name, address in getaddresses([mail_to]) if "@" in address]
    if "@" not in sender or not to:
        raise ConfigError(_("set BACKBONE_MAIL_FROM (one address) and BACKBONE_MAIL_TO (addresses separated by "
                            "commas) for the e-mail digest"))
    return sender, to


def build_message(mail: Mail, sender: str, to: list[str], attachments: Sequence[Path] = (), *,
                  now: datetime | None = None) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(now or datetime.now().astimezone())
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    for path in attachments:
        message.add_attachment(path.read_bytes(), maintype=DOCX[0], subtype=DOCX[1], filename=path.name)
    return message


def _login(client: smtplib.SMTP, server: MailServer) -> None:
    """smtplib sends the login as ASCII only; AUTH PLAIN (RFC 4616) carries UTF-8, so "lösenord" works."""
    if (server.user + server.password).isascii():
        client.login(server.user, server.password)
        return
    client.ehlo_or_helo_if_needed()
    if "plain" not in client.esmtp_features.get("auth", "").lower().split():
        raise ConfigError(_("the mail server {server} cannot take a user name or password with letters outside "
                            "ASCII (no AUTH PLAIN); change them or ask the mail administrator").format(server=server.where))
    token = base64.b64encode(b"\0" + server.user.encode() + b"\0" + server.password.encode()).decode("ascii")
    code, answer = client.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, answer)


class _TlsSmtp(smtplib.SMTP_SSL):
    """SMTP_SSL that shows its socket before the TLS handshake, so the deadline can cut a slow handshake too."""

    def _get_socket(self, host, port, timeout):
        raw = socket.create_connection((host, port), timeout, self.source_address)
        self.sock = raw
        return self.context.wrap_socket(raw, server_hostname=self._host)  # type: ignore[attr-defined]


class _Deadline:
    """Cuts the connection when the whole exchange has taken `limit` seconds: smtplib's timeout is per
    read, so a server sending one byte every two seconds would otherwise hold the sync for ever."""

    def __init__(self, client: smtplib.SMTP, limit: float):
        self.client, self.passed = client, False
        self.timer = threading.Timer(limit, self._cut)
        self.timer.daemon = True

    def _cut(self) -> None:
        self.passed = True
        sock = getattr(self.client, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes the read that is waiting
            except OSError:
                pass

    def __enter__(self) -> _Deadline:
        self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.timer.cancel()


def _exchange(client: smtplib.SMTP, server: MailServer, message: EmailMessage, context: ssl.SSLContext) -> None:
    client._host = server.host  # type: ignore[attr-defined]  # the certificate is checked against it; connect() does not set it
    code, greeting = client.connect(server.host, server.port)
    if code != 220:
        raise smtplib.SMTPConnectError(code, greeting)
    if server.tls == "starttls" or (server.tls == "local" and _offers_starttls(client)):
        client.starttls(context=context)
    if server.user:
        _login(client, server)
    client.send_message(message)
    client.quit()


def _offers_starttls(client: smtplib.SMTP) -> bool:
    client.ehlo_or_helo_if_needed()
    return client.has_extn("starttls")


def send(server: MailServer, message: EmailMessage, *, limit: float = 60.0) -> None:
    """Deliver one message within `limit` seconds in all; a named error (one line, no password) when the
    server is down, refuses, or is too slow."""
    context = ssl.create_default_context()  # verifies the certificate; SSL_CERT_FILE adds a private CA
    client: smtplib.SMTP
    if server.tls == "tls":
        client = _TlsSmtp(timeout=limit, context=context)
    else:
        client = smtplib.SMTP(timeout=limit)
    deadline = _Deadline(client, limit)
    try:
        with deadline:
            _exchange(client, server, message, context)
    except Exception as exc:
        client.close()
        if deadline.passed:
            raise ServiceError(_("the mail server {server} did not finish within {seconds} s (BACKBONE_MAIL_TIMEOUT); "
                                 "e-mail is not sent").format(server=server.where, seconds=f"{limit:g}")) from None
        raise _named(exc, server) from None


def _named(exc: Exception, server: MailServer) -> Exception:
    """The error a person reads for what went wrong talking to the mail server."""
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return ConfigError(_("the mail server {server} does not offer STARTTLS; use smtps:// if it speaks TLS from the "
                             "start, or smtp+insecure:// to send without encryption").format(server=server.where))
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return AccessError(_("the mail server {server} refused the login of {user!r} ({code}); check the user and "
                             "password in BACKBONE_SMTP_URL").format(server=server.where, user=server.user,
                                                                     code=exc.smtp_code))
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = ", ".join(f"{address} ({code})" for address, (code, _reply) in exc.recipients.items())
        return ServiceError(_("the mail server {server} refused the recipients {recipients}; check BACKBONE_MAIL_TO").format(
            server=server.where, recipients=refused))
    if isinstance(exc, smtplib.SMTPResponseException):
        said = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return ServiceError(_("the mail server {server} refused the message: {code} {answer}").format(
            server=server.where, code=exc.smtp_code, answer=one_line(said, 120)), exc.smtp_code)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return ServiceError(_("the mail server {server} has a certificate this machine does not trust ({reason}); if it "
                              "comes from a private certificate authority, point SSL_CERT_FILE at that authority's "
                              "certificate").format(server=server.where, reason=one_line(exc.verify_message or exc, 80)))
    if isinstance(exc, ssl.SSLError):
        return ServiceError(_("no secure connection to the mail server {server} ({reason}); check the port and "
                              "smtp:// or smtps://").format(server=server.where, reason=one_line(exc.reason or exc, 80)))
    if isinstance(exc, (TimeoutError, smtplib.SMTPException, OSError)):
        return ServiceError(_("cannot reach the mail server {server} ({reason}); e-mail is not sent").format(
            server=server.where, reason=one_line(exc, 80) or type(exc).__name__))
    raise exc


def newest_recaps(folder: Path, count: int = 3) -> list[Path]:
    files = [p for p in Path(folder).glob("*.docx") if p.is_file() and not p.name.startswith((".", "~$"))]
    return sorted(files, key=lambda p: p.stat().st_mtime, reverse=True)[:count]


class SmtpMailer(Mailer):
    """The Mailer port over SMTP: BACKBONE_SMTP_URL, BACKBONE_MAIL_FROM and BACKBONE_MAIL_TO as given, checked when
    used (a digest that cannot be sent is recorded, never fails the sync); `recaps`: the folder whose newest recaps
    a digest carries (BACKBONE_MAIL_ATTACH_RECAPS), None for none."""

    def __init__(self, url: str, mail_from: str, mail_to: str, *, timeout: float = 60.0, recaps: Path | None = None):
        self._url, self._from, self._to = url, mail_from, mail_to
        self.timeout, self.recaps = timeout, recaps

    def __repr__(self) -> str:  # the URL holds the password
        return "SmtpMailer(...)"

    def check(self) -> list[str]:
        mail_server(self._url)
        return [address for _name, address in getaddresses(recipients(self._from, self._to)[1])]

    def attachments(self) -> list[Path]:
        return newest_recaps(self.recaps) if self.recaps is not None else []

    def send(self, mail: Mail, *, attachments: Sequence[Path] = (), now: datetime) -> list[str]:
        server, (sender, to) = mail_server(self._url), recipients(self._from, self._to)
        send(server, build_message(mail, sender, to, attachments, now=now), limit=self.timeout)
        return [address for _name, address in getaddresses(to)]
