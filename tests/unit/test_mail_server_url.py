"""BACKBONE_SMTP_URL: which connection each form means; plain SMTP only to this machine or when asked for."""
from __future__ import annotations

import pytest

from sync.adapters.smtp.mailer import mail_server
from sync.core.errors import ConfigError


@pytest.mark.parametrize("url,tls,host,port", [
    ("smtp://localhost:25", "local", "localhost", 25),  # postfix on this machine: plain, STARTTLS when offered
    ("smtp://127.0.0.1", "local", "127.0.0.1", 25),
    ("smtp://[::1]:2525", "local", "::1", 2525),
    ("smtp://u:p@mail.example.org", "starttls", "mail.example.org", 587),  # elsewhere: STARTTLS required
    ("smtp://relay.internal:25", "starttls", "relay.internal", 25),
    ("smtp+insecure://relay.internal:25", "plain", "relay.internal", 25),  # asked for in so many words
    ("smtps://u:p@mail.example.org", "tls", "mail.example.org", 465),
])
def test_each_form_of_the_url(url, tls, host, port):
    server = mail_server(url)
    assert (server.tls, server.host, server.port) == (tls, host, port)


def test_an_unknown_scheme_lists_the_forms_and_hides_the_password():
    with pytest.raises(ConfigError) as raised:
        mail_server("smtpx://user:hemligt@mail.example.org:25")
    message = str(raised.value)
    assert "smtp+insecure://" in message and "smtp://localhost:25" in message and "hemligt" not in message
