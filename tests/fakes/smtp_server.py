"""A real SMTP server on loopback (aiosmtpd) for the e-mail digest tests: STARTTLS or TLS from the
start, AUTH required over TLS, a certificate from a throw-away CA (trusted by the client through
SSL_CERT_FILE, as a private mail server's would be), and modes that refuse like real servers do.
A plain relay (no TLS, no login: postfix on localhost:25), and a server that trickles its greeting one
byte at a time, as an overloaded or hostile server does, so a client without a total limit hangs.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USER, PASSWORD = "backbone@example.org", "på$$ord:@/x"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """(CA certificate, server certificate, server key) for 127.0.0.1 / localhost."""
    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "backbone test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    server = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
              .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
              .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                          x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
              .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
              .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
              .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self):
        return message_from_bytes(self.data, policy=policy.default)


@dataclass
class Handler:
    refuse: str = ""  # "" | "recipients" | "data": answer as a server that will not take the mail
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.refuse == "recipients":
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse == "data":
            return "554 5.7.1 Message rejected as spam"
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 2.0.0 Ok: queued"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself on failure


class SmtpServer:
    """with SmtpServer(folder, tls="starttls"|"tls") as server: server.url, server.handler.received."""

    def __init__(self, folder: Path, *, tls: str = "starttls", refuse: str = ""):
        self.ca, cert, key = make_certificates(folder)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        self.handler, self.port, self.tls = Handler(refuse=refuse), free_port(), tls
        options = dict(authenticator=authenticator, auth_required=True, auth_require_tls=True)
        if tls == "plain":  # a relay that takes mail from this machine without TLS or login
            self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        elif tls == "tls":
            # aiosmtpd counts only STARTTLS as TLS for auth_require_tls; this whole connection is TLS.
            options["auth_require_tls"] = False
            self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ssl_context=context,
                                         server_hostname="localhost", **options)
        else:
            self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, tls_context=context,
                                         require_starttls=True, **options)

    def url(self, password: str = PASSWORD) -> str:
        from urllib.parse import quote
        if self.tls == "plain":
            return f"smtp://127.0.0.1:{self.port}"  # loopback: no TLS needed
        scheme = "smtps" if self.tls == "tls" else "smtp"
        return f"{scheme}://{quote(USER, safe='')}:{quote(password, safe='')}@127.0.0.1:{self.port}"

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


class TricklingServer:
    """Accepts connections and sends the greeting one byte every `interval` seconds, never finishing
    in any reasonable time: each read gets a byte, so only a limit on the whole exchange helps."""

    def __init__(self, interval: float = 2.0):
        self.interval, self.port = interval, free_port()
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        self.listener.settimeout(0.2)
        while not self.stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._trickle, args=(connection,), daemon=True).start()

    def _trickle(self, connection: socket.socket) -> None:
        greeting = b"220 " + b"slow.example.org ESMTP " * 50 + b"\r\n"
        with connection:
            for byte in greeting:
                if self.stop.wait(self.interval):
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:  # the client gave up
                    return

    def __enter__(self) -> TricklingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.listener.close()
