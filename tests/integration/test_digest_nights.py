"""Nights of the scheduled sync against a plain relay on loopback (aiosmtpd, as postfix on localhost:25):
a digest only with news, one when an action turns overdue, the weekly reminder, and nothing sent twice."""
from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sync.bootstrap import Backbone
from sync.settings import load_settings
from tests.fakes.smtp_server import SmtpServer

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "biskopsgarden"
STOCKHOLM = ZoneInfo("Europe/Stockholm")


class Nights:
    """The example's sync run night after night, the clock set to 02:00 of each day."""

    def __init__(self, place: Path, server: SmtpServer):
        self.place, self.server, self.now = place, server, dt.datetime(2022, 3, 15, 2, 0, tzinfo=STOCKHOLM)

    def app(self) -> Backbone:  # a new one each night, as after a restart of `backbone serve`
        return Backbone(load_settings(self.place / "settings.env"), clock=lambda: self.now.astimezone(dt.UTC))

    def night(self, day: dt.date) -> tuple[list, dict]:
        """Sync and notify on `day`; the mails that arrived and what the run recorded."""
        self.now = dt.datetime.combine(day, dt.time(2, 0), STOCKHOLM)
        before = len(self.server.handler.received)
        app = self.app()
        result = app.sync()
        outcome = app.notify_after_sync(result.run_id)
        assert app.state.run(result.run_id).details["notification"] == outcome
        return self.server.handler.received[before:], outcome


@pytest.fixture
def nights(tmp_path, monkeypatch):
    place = tmp_path / "example"
    shutil.copytree(EXAMPLE, place)
    monkeypatch.chdir(place)
    with SmtpServer(tmp_path, tls="plain") as relay:
        monkeypatch.setenv("BACKBONE_SMTP_URL", relay.url())  # smtp://127.0.0.1:PORT, no TLS, no login
        monkeypatch.setenv("BACKBONE_MAIL_FROM", "backbone@example.org")
        monkeypatch.setenv("BACKBONE_MAIL_TO", "asa@example.org")
        monkeypatch.setenv("BACKBONE_WEB_URL", "https://backbone.example.org/")
        yield Nights(place, relay)


def text_of(mail) -> str:
    return mail.message.get_body(("plain",)).get_content().replace("\r\n", "\n")


@pytest.mark.slow
def test_unchanged_nights_send_nothing_and_an_action_turning_overdue_sends_one(nights):
    first, outcome = nights.night(dt.date(2022, 3, 15))  # the first sync brings the boards' notes and actions
    assert len(first) == 1 and outcome["sent"] is True
    assert "Se mer på sidan: https://backbone.example.org/runs/1" in text_of(first[0])
    for day in (16, 17, 18):  # three unchanged nights, with the same four overdue actions
        mails, outcome = nights.night(dt.date(2022, 3, day))
        assert mails == [] and outcome == {"at": f"2022-03-{day} 02:00:00", "sent": False,
                                           "skipped": "nothing new since the last digest"}
    [mail], outcome = nights.night(dt.date(2022, 4, 1))  # "Q1 2022" ended yesterday
    assert outcome["newly_overdue"] == 2 and mail.message["Subject"] == \
        "backbone: 2 blev försenade"
    text = text_of(mail)
    assert "Blev försenade sedan förra sammandraget\n- Fysisk plats för möten – Collective Impact 2, 4 maj 2021. " \
           "NÄR: Q1 2022 (senast 31 mars 2022)" in text
    assert "Ungdomsråd" not in text  # overdue since November: told in the first digest already
    assert nights.night(dt.date(2022, 4, 2))[0] == []


@pytest.mark.slow
def test_the_reminder_day_sends_one_reminder_of_every_overdue_action(nights, monkeypatch):
    nights.night(dt.date(2022, 3, 15))
    monkeypatch.setenv("BACKBONE_MAIL_REMINDER_DAY", "måndag")
    assert nights.night(dt.date(2022, 3, 20))[0] == []  # a Sunday
    [mail], outcome = nights.night(dt.date(2022, 3, 21))  # Monday
    assert outcome["reminder"] == 4 and mail.message["Subject"] == "backbone: påminnelse: 4 försenade i allt"
    text = text_of(mail)
    reminder = text.split("Påminnelse: försenade sedan tidigare (varje måndag)\n")[1].split("\n\n")[0].splitlines()
    assert [line.split(" – ")[0] for line in reminder] == [
        "- Gemensamma indikatorer", "- Ungdomsråd", "- Behovskartläggning", "- Bjuda in fler aktörer"]  # oldest first
    assert nights.night(dt.date(2022, 3, 21))[0] == []  # a second sync that Monday: reminded already
    [monday], _ = nights.night(dt.date(2022, 4, 4))  # two Mondays on: two more overdue since 31 March
    assert monday.message["Subject"] == "backbone: 2 blev försenade, påminnelse: 6 försenade i allt"
    text = text_of(monday)
    assert text.count("Fysisk plats för möten") == 1 and text.count("Ungdomsråd") == 1  # each overdue action once


def test_a_restart_does_not_resend(nights):
    [mail], _ = nights.night(dt.date(2022, 3, 15))
    again = nights.app().notify_after_sync(1)  # e.g. the service restarted and told of run 1 once more
    assert again["sent"] is False and again["skipped"] == "already sent for this sync"
    assert len(nights.server.handler.received) == 1
    assert nights.app().state.run(1).details["notification"]["sent"] is True  # the run keeps what was sent
    with sqlite3.connect(nights.place / "var" / "backbone.sqlite3") as db:
        [(run_id, reminder, subject)] = db.execute("SELECT run_id, reminder, subject FROM digests").fetchall()
    assert (run_id, reminder, subject) == (1, 0, mail.message["Subject"])
    assert mail.message["Date"].datetime == dt.datetime(2022, 3, 15, 2, 0, tzinfo=STOCKHOLM)
