"""The mailer port's contract: the same assertions against the in-memory mailer (tests/fakes/in_memory.py) and the
SMTP mailer sending to a local relay (tests/fakes/smtp_server.py), so the digest's use-case tests over the fake test
what the real one does."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sync.adapters.smtp.mailer import SmtpMailer
from sync.core.digest_message import Mail
from sync.ports import Mailer
from tests.fakes.in_memory import InMemoryMailer
from tests.fakes.smtp_server import SmtpServer

TO = ["samordnare@example.org", "styrgrupp@example.org"]
NOW = dt.datetime(2021, 5, 4, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
MAIL = Mail("backbone: synkningen lyckades – 2 nya, 0 ändrade", "Synkningen 4 maj 2021 kl. 02:30 lyckades.\n",
            "<p>Synkningen 4 maj 2021 kl. 02:30 lyckades.</p>")


@pytest.fixture(params=["memory", "smtp"])
def mailer(request, tmp_path: Path) -> Iterator[tuple[Mailer, Callable[[], list[str]]]]:
    """(the mailer, what has arrived: each message's subject)."""
    if request.param == "memory":
        fake = InMemoryMailer(TO, recaps=[tmp_path / "2021-05-04 CI 2 – sammanfattning.docx"])
        yield fake, lambda: [sent.mail.subject for sent in fake.sent]
        return
    (tmp_path / "rapporter").mkdir()
    (tmp_path / "rapporter" / "2021-05-04 CI 2 – sammanfattning.docx").write_bytes(b"PK\x03\x04 a recap")
    with SmtpServer(tmp_path, tls="plain") as relay:
        yield (SmtpMailer(relay.url(), "backbone@example.org", ", ".join(TO), timeout=10, recaps=tmp_path / "rapporter"),
               lambda: [str(r.message["Subject"]) for r in relay.handler.received])


def test_the_recipients_are_known_before_anything_is_sent(mailer):
    sender, arrived = mailer
    assert sender.check() == TO and arrived() == []


def test_a_mail_reaches_every_recipient_and_they_are_answered(mailer):
    sender, arrived = mailer
    assert sender.send(MAIL, now=NOW) == TO
    assert arrived() == [MAIL.subject]


def test_the_newest_recaps_are_what_a_digest_carries(mailer):
    sender, arrived = mailer
    attachments = sender.attachments()
    assert [p.name for p in attachments] == ["2021-05-04 CI 2 – sammanfattning.docx"]
    assert sender.send(MAIL, attachments=attachments, now=NOW) == TO and len(arrived()) == 1
