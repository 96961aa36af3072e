"""Sending the e-mail digest: plain SMTP with STARTTLS (smtp://) or TLS (smtps://) and login.

BACKBONE_SMTP_URL holds the server and the login; it is never shown whole (errors name host and port
only). A failed digest never fails the sync: the outcome is recorded in the run's details instead.
"""
from __future__ import annotations

import base64
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .digest_mail import Mail
from .errors import AccessError, ConfigError, ServiceError
from .i18n import _
from .text import one_line

DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    tls: str  # "starttls" | "tls"
    user: str = ""
    password: str = ""

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def __repr__(self) -> str:  # the password stays out of logs and tracebacks
        return f"MailServer({self.tls}://{self.where}, user={self.user!r})"


def mail_server(url: str) -> MailServer:
    if not url.strip():
        raise ConfigError(_("BACKBONE_SMTP_URL is not set; set it to smtp://USER:PASSWORD@HOST:587 (STARTTLS) "
                            "or smtps://USER:PASSWORD@HOST:465 (TLS)"))
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname or port == -1:
        raise ConfigError(_("BACKBONE_SMTP_URL: use smtp://USER:PASSWORD@HOST:587 (STARTTLS) or "
                            "smtps://USER:PASSWORD@HOST:465 (TLS)"))
    tls = "tls" if parts.scheme == "smtps" else "starttls"
    return MailServer(parts.hostname, port or (465 if tls == "tls" else 587), tls,
                      unquote(parts.username or ""), unquote(parts.password or ""))


def recipients(settings) -> tuple[str, list[str]]:
    """(sender, recipients) as written, names kept ("Åsa Öberg <asa@example.org>")."""
    sender = settings.mail_from.strip()
    to = [f"{name} <{address}>" if name else address for name, address in getaddresses([settings.mail_to]) if "@" in address]
    if "@" not in sender or not to:
        raise ConfigError(_("set BACKBONE_MAIL_FROM (one address) and BACKBONE_MAIL_TO (addresses separated by "
                            "commas) for the e-mail digest"))
    return sender, to


def build_message(mail: Mail, sender: str, to: list[str], attachments: Sequence[Path] = ()) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = mail.subject
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


def send(server: MailServer, message: EmailMessage, *, timeout: float = 30.0) -> None:
    """Deliver one message; a named error (one line, no password) when the server is down or refuses."""
    context = ssl.create_default_context()  # verifies the certificate; SSL_CERT_FILE adds a private CA
    try:
        client: smtplib.SMTP
        if server.tls == "tls":
            client = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=timeout)
        with client:
            if server.tls == "starttls":
                client.starttls(context=context)
            if server.user:
                _login(client, server)
            client.send_message(message)
    except smtplib.SMTPNotSupportedError:
        raise ConfigError(_("the mail server {server} does not offer STARTTLS; use smtps:// if it speaks TLS "
                            "from the start").format(server=server.where)) from None
    except smtplib.SMTPAuthenticationError as exc:
        raise AccessError(_("the mail server {server} refused the login of {user!r} ({code}); check the user and "
                            "password in BACKBONE_SMTP_URL").format(server=server.where, user=server.user,
                                                                    code=exc.smtp_code)) from None
    except smtplib.SMTPRecipientsRefused as exc:
        refused = ", ".join(f"{address} ({code})" for address, (code, _reply) in exc.recipients.items())
        raise ServiceError(_("the mail server {server} refused the recipients {recipients}; check BACKBONE_MAIL_TO").format(
            server=server.where, recipients=refused)) from None
    except smtplib.SMTPResponseException as exc:
        said = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        raise ServiceError(_("the mail server {server} refused the message: {code} {answer}").format(
            server=server.where, code=exc.smtp_code, answer=one_line(said, 120)), exc.smtp_code) from None
    except ssl.SSLError as exc:
        raise ServiceError(_("no secure connection to the mail server {server} ({reason}); check the port and "
                             "smtp:// or smtps://").format(server=server.where, reason=one_line(exc.reason or exc, 80))) from None
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise ServiceError(_("cannot reach the mail server {server} ({reason}); e-mail is not sent").format(
            server=server.where, reason=one_line(exc, 80) or type(exc).__name__)) from None


def newest_recaps(folder: Path, count: int = 3) -> list[Path]:
    files = [p for p in Path(folder).glob("*.docx") if p.is_file() and not p.name.startswith((".", "~$"))]
    return sorted(files, key=lambda p: p.stat().st_mtime, reverse=True)[:count]
