"""The e-mail digest against a real SMTP server on loopback (aiosmtpd): STARTTLS and TLS with login,
a server that refuses, one that is down, and Swedish names and subjects end to end."""
from __future__ import annotations

import io
import os
import shutil
import time
from pathlib import Path

import docx
import openpyxl
import pytest

from sync.adapters.smtp.mailer import mail_server
from sync.adapters.sqlite.state_store import StateStore
from sync.bootstrap import Backbone
from sync.entry.cli.main import main
from sync.entry.web.runner import SyncRunner
from sync.entry.web.scheduler import SyncScheduler
from sync.settings import load_settings
from tests.fakes.smtp_server import PASSWORD, SmtpServer, TricklingServer, free_port

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "biskopsgarden"
# The TLS-from-the-start server has TLS on the whole connection, which aiosmtpd does not count as TLS.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
SENDER = "Collective Impact Biskopsgården <backbone@example.org>"
TO = "Åsa Öberg <asa@example.org>, team@example.org"


@pytest.fixture
def place(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("BACKBONE_MAIL_FROM", SENDER)
    monkeypatch.setenv("BACKBONE_MAIL_TO", TO)
    return folder


@pytest.fixture(params=["starttls", "tls"])
def server(request, tmp_path, monkeypatch):
    with SmtpServer(tmp_path, tls=request.param) as running:
        monkeypatch.setenv("SSL_CERT_FILE", str(running.ca))  # the private CA, as an admin would configure it
        monkeypatch.setenv("BACKBONE_SMTP_URL", running.url())
        yield running


def parts(message) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def runs(place: Path):
    return StateStore(place / "var" / "backbone.sqlite3").runs(10)


def test_the_digest_arrives_after_a_sync_that_brought_new_actions(place, server, capsys):
    assert main(["sync", "--notify"]) == 0
    assert "Sammandraget e-postades till 2 mottagare" in capsys.readouterr().out
    [mail] = server.handler.received
    assert mail.recipients == ["asa@example.org", "team@example.org"] and mail.sender == "backbone@example.org"
    message = mail.message
    assert message["Subject"].startswith("backbone: synkningen lyckades – 35 nya, 1 ändrad, ")  # one row curated already
    assert "=?utf-8?" in mail.data.decode("ascii").split("\r\n\r\n")[0].lower()  # encoded on the wire, not raw bytes
    assert message["From"].addresses[0].display_name == "Collective Impact Biskopsgården"
    assert message["To"].addresses[0].display_name == "Åsa Öberg"
    assert message["Date"].datetime.tzinfo is not None
    text, html = parts(message)
    assert "Nya åtgärder (5)" in text and "Utse/bilda processgrupp" in text
    assert "Blev försenade sedan förra sammandraget" in text
    assert "Ungdomsråd – Collective Impact 3, 8 juni 2021. NÄR: hösten 2021 (senast 30 november 2021)" in text
    assert "Avtal med syfte &amp; mål" in html and "<h2>Ändringar på tavlorna</h2>" in html
    assert runs(place)[0].details["notification"]["sent"] is True


def test_a_plain_relay_on_loopback_and_an_explicit_insecure_one(place, tmp_path, monkeypatch, capsys):
    with SmtpServer(tmp_path, tls="plain") as relay:
        monkeypatch.setenv("BACKBONE_SMTP_URL", relay.url())  # smtp://127.0.0.1:PORT: no TLS on offer
        assert main(["notify", "--test"]) == 0
        monkeypatch.setenv("BACKBONE_SMTP_URL", f"smtp+insecure://127.0.0.1:{relay.port}")
        assert main(["notify", "--test"]) == 0
        assert len(relay.handler.received) == 2
    monkeypatch.setenv("BACKBONE_SMTP_URL", f"smtp://mail.example.org:{free_port()}")
    assert mail_server(os.environ["BACKBONE_SMTP_URL"]).tls == "starttls"  # elsewhere TLS stays required


@pytest.mark.slow
def test_a_trickling_server_is_given_up_within_the_limit(place, monkeypatch, capsys):
    with TricklingServer(interval=2.0) as slow:
        monkeypatch.setenv("BACKBONE_SMTP_URL", f"smtp://127.0.0.1:{slow.port}")
        monkeypatch.setenv("BACKBONE_MAIL_TIMEOUT", "3")
        started = time.monotonic()
        assert main(["sync", "--notify"]) == 0
        waited = time.monotonic() - started
    out = capsys.readouterr().out
    assert "e-postservern 127.0.0.1:" in out and "blev inte klar inom 3 s" in out
    assert waited < 60  # the greeting alone would take more than half an hour
    assert "blev inte klar inom 3 s" in runs(place)[0].details["notification"]["error"]


@pytest.mark.slow
def test_recaps_can_be_attached(place, server, monkeypatch, capsys):
    assert main(["report", "ci2"]) == 0
    monkeypatch.setenv("BACKBONE_MAIL_ATTACH_RECAPS", "true")
    assert main(["sync", "--notify"]) == 0
    [mail] = server.handler.received
    [attachment] = list(mail.message.iter_attachments())
    assert attachment.get_filename() == "2021-05-04 Collective Impact 2 – sammanfattning.docx"
    assert "Collective Impact 2" in docx.Document(io.BytesIO(attachment.get_content())).paragraphs[0].text
    assert "Bifogat: de senaste sammanfattningarna." in parts(mail.message)[0]


def test_a_refused_login_leaves_the_sync_done_and_is_recorded(place, server, monkeypatch, capsys):
    monkeypatch.setenv("BACKBONE_SMTP_URL", server.url("fel-lösenord"))
    assert main(["sync", "--notify"]) == 0
    out = capsys.readouterr().out
    assert "Synk lyckades: 35 nya" in out and "Sammandraget e-postades INTE" in out and "nekade inloggningen för" in out
    assert "fel-lösenord" not in out and server.handler.received == []
    run = runs(place)[0]
    assert run.result == "ok" and run.details["notification"]["sent"] is False
    assert main(["runs", "--changes", str(run.id)]) == 0
    assert "Sammandraget e-postades INTE" in capsys.readouterr().out


@pytest.mark.parametrize("refuse,expected", [("recipients", "nekade mottagarna asa@example.org (550)"),
                                             ("data", "nekade meddelandet: 554")])
def test_a_server_that_refuses_the_mail_is_named_in_one_line(place, tmp_path, monkeypatch, capsys, refuse, expected):
    with SmtpServer(tmp_path, refuse=refuse) as refusing:
        monkeypatch.setenv("SSL_CERT_FILE", str(refusing.ca))
        monkeypatch.setenv("BACKBONE_SMTP_URL", refusing.url())
        assert main(["notify", "--test"]) == 1
        err = capsys.readouterr().err.strip()
    assert expected in err and len(err.splitlines()) == 1 and PASSWORD not in err


def test_a_server_that_is_down_does_not_fail_the_sync(place, monkeypatch, capsys):
    monkeypatch.setenv("BACKBONE_SMTP_URL", f"smtp://u:secret@127.0.0.1:{free_port()}")
    assert main(["sync", "--notify"]) == 0
    out = capsys.readouterr().out
    assert "når inte e-postservern 127.0.0.1:" in out and "secret" not in out
    book = openpyxl.load_workbook(place / "plan.xlsx")
    assert book["Synklogg"].max_row == 2 and book["Åtgärder"].max_row > 5  # the sync wrote everything
    assert runs(place)[0].details["notification"]["error"].startswith("når inte e-postservern")


def test_an_untrusted_certificate_is_refused(place, server, monkeypatch, capsys):
    monkeypatch.delenv("SSL_CERT_FILE")
    assert main(["notify", "--test"]) == 1
    err = capsys.readouterr().err
    assert "har ett certifikat som den här datorn inte litar på" in err and "SSL_CERT_FILE" in err
    assert server.handler.received == []


def test_a_failed_sync_is_always_sent(place, server, capsys):
    book = openpyxl.load_workbook(place / "plan.xlsx")
    book["Åtgärder"].delete_cols(1)  # the ID column is gone: the sync cannot match rows
    book.save(place / "plan.xlsx")
    assert main(["sync", "--notify"]) == 2
    assert "Sammandraget e-postades till" in capsys.readouterr().err
    [mail] = server.handler.received
    assert mail.message["Subject"] == "backbone: synkningen misslyckades"
    assert "fliken 'Åtgärder': kolumnen 'ID' saknas i rubrikraden" in parts(mail.message)[0]
    assert runs(place)[0].details["notification"]["sent"] is True


def test_the_test_message_and_missing_settings(place, server, monkeypatch, capsys):
    assert main(["notify", "--test"]) == 0
    assert "Skickade ett testmeddelande till asa@example.org, team@example.org" in capsys.readouterr().out
    assert server.handler.received[0].message["Subject"] == "backbone: testmeddelande – åäö ✓"
    monkeypatch.delenv("BACKBONE_MAIL_TO")
    assert main(["sync", "--notify"]) == 2
    assert "sätt BACKBONE_MAIL_FROM (en adress) och BACKBONE_MAIL_TO" in capsys.readouterr().err
    assert runs(place) == []  # said before anything was synced
    monkeypatch.setenv("BACKBONE_LANGUAGE", "en")
    assert main(["notify", "--test"]) == 2
    assert "set BACKBONE_MAIL_FROM (one address) and BACKBONE_MAIL_TO" in capsys.readouterr().err


def test_the_scheduled_sync_sends_the_digest(place, server):
    backbone = Backbone(load_settings(place / "settings.env"))
    SyncScheduler.nightly(SyncRunner(backbone)).run_due()  # the job as `backbone serve` builds it
    [mail] = server.handler.received
    assert "35 nya" in mail.message["Subject"]
    assert runs(place)[0].details["notification"]["sent"] is True
