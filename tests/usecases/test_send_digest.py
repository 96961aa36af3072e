"""The e-mail digest after a sync (sync/usecases/send_digest.py) over in-memory ports: what the coordinators get, when
nothing is sent, and that nothing is told twice, whatever the mail server does."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sync.core.errors import AccessError, InputError
from sync.core.redact import NameEraser
from sync.core.run_result import RunResult
from sync.core.sheet.reading import read_planning
from sync.usecases.send_digest import DigestOptions, notify_after_sync, send_test_message
from tests.fakes.in_memory import InMemoryMailer
from tests.usecases.world import IDEAS, World

ACTIONS = "Åtgärder"
TZ = dt.timezone(dt.timedelta(hours=2))


class Night:
    """A world whose sync is followed by the digest, as the nightly job does."""

    def __init__(self, **boards: dict[str, str]) -> None:
        self.world = World(**boards)
        self.mailer = InMemoryMailer()
        self.reminder_day = ""
        self.web_url = ""
        self.sheet_unreadable = False

    def planning(self):  # what the digest reads of the sheet, as the nightly job's Backbone does
        if self.sheet_unreadable:
            raise InputError("plan.xlsx: no tab 'Workshops'")
        return read_planning(self.world.sheet.read(), self.world.sheet.name)

    def notify(self, result: RunResult | None = None, failure: str = "") -> dict:
        options = DigestOptions("sv", self.world.clock, TZ, reminder_day=self.reminder_day, web_url=self.web_url)
        return notify_after_sync(self.world.state, self.mailer, self.planning, self.world.state.suppression, options,
                                 result.run_id if result else None, failure)

    def sync_and_notify(self) -> dict:
        return self.notify(self.world.sync())

    def action(self, action_id: str, when: str, who: str = "Per", status: str = "Pågår", title: str = "Ny lokal") -> None:
        self.world.sheet.tabs[ACTIONS].append([action_id, "ci2", title, "Hyr", when, who, status, ""])

    @property
    def mails(self) -> list[str]:
        return [sent.mail.subject for sent in self.mailer.sent]


def test_a_sync_with_new_notes_sends_one_digest_to_every_recipient_in_swedish():
    night = Night(ws_2={"n1": "Budget", "n2": "Lön"})
    outcome = night.sync_and_notify()
    assert night.mails == ["backbone: synkningen lyckades – 2 nya, 0 ändrade"]
    sent = night.mailer.sent[0]
    assert sent.to == ["samordnare@example.org", "styrgrupp@example.org"]
    assert "Synkningen 4 maj 2021 kl. 02:30 lyckades." in sent.mail.text and "- Budget" in sent.mail.text
    assert outcome["sent"] is True and outcome["to"] == 2


def test_what_became_of_the_digest_is_kept_in_the_runs_details():
    night = Night(ws_2={"n1": "Budget"})
    result = night.world.sync()
    night.notify(result)
    recorded = night.world.state.run(result.run_id or 0)
    assert recorded is not None and recorded.details["notification"]["sent"] is True
    assert recorded.details["notification"]["subject"] == night.mails[0]


def test_the_same_run_is_never_told_twice():
    night = Night(ws_2={"n1": "Budget"})
    result = night.world.sync()
    night.notify(result)
    again = night.notify(result)  # a restart, or the page's sync finishing after the night's
    assert len(night.mailer.sent) == 1 and again == {"at": "2021-05-04 02:30:00", "sent": False,
                                                     "skipped": "already sent for this sync"}
    recorded = night.world.state.run(result.run_id or 0)
    assert recorded is not None and recorded.details["notification"]["sent"] is True  # the record of the one that went


def test_a_night_with_nothing_new_sends_nothing_and_says_why():
    night = Night(ws_2={"n1": "Budget"})
    night.sync_and_notify()
    outcome = night.sync_and_notify()
    assert len(night.mailer.sent) == 1 and outcome["skipped"] == "nothing new since the last digest"


def test_a_board_change_the_next_night_is_a_new_digest_with_the_change():
    night = Night(ws_2={"n1": "Budget"})
    night.sync_and_notify()
    night.world.set_board("ws.2", {"n1": "Budget 2022"})
    night.sync_and_notify()
    assert night.mails[-1] == "backbone: synkningen lyckades – 0 nya, 1 ändrad"
    assert "Budget 2022" in night.mailer.sent[-1].mail.text


def test_an_action_past_its_due_date_is_told_once_as_newly_overdue():
    night = Night(ws_2={"n1": "Budget"})
    night.world.sync()
    night.action("a1", "april 2021", who="Amira Hassan")
    result = night.world.sync()
    night.notify(result)
    text = night.mailer.sent[0].mail.text
    assert "1 blev försenad" in night.mails[0]
    assert "Ny lokal – CI 2. NÄR: april 2021 (senast 30 april 2021). VEM: Amira Hassan" in text
    night.sync_and_notify()
    assert len(night.mailer.sent) == 1  # still overdue, already told


def test_an_action_marked_done_is_not_overdue():
    night = Night(ws_2={"n1": "Budget"})
    night.world.sync()
    night.action("a1", "april 2021", status="Klar")
    night.action("a2", "december 2021")  # not due yet
    assert night.sync_and_notify()["skipped"] == "nothing new since the last digest"


def test_on_the_reminder_day_every_overdue_action_is_reminded_once_that_day():
    night = Night(ws_2={"n1": "Budget"})
    night.world.sync()
    night.action("a1", "april 2021")
    night.notify(night.world.sync())  # told as newly overdue on Tuesday 4 May
    night.reminder_day = "onsdag"
    night.world.day = 4  # the next sync runs on Wednesday 5 May
    night.sync_and_notify()
    assert night.mails[-1] == "backbone: påminnelse: 1 försenad i allt"
    night.world.day = 4
    assert night.sync_and_notify()["skipped"] == "nothing new since the last digest"  # a second sync that Wednesday


def test_a_failed_sync_is_told_even_when_the_sheet_cannot_be_read():
    night = Night(ws_2={"n1": "Budget"})
    night.world.boards.unreachable.add("ws.2")
    result = night.world.sync()
    night.sheet_unreadable = True
    outcome = night.notify(result)
    assert outcome["sent"] is True and "misslyckades" in night.mails[0]


def test_a_run_that_failed_before_it_was_recorded_is_found_by_its_message():
    night = Night(ws_2={"n1": "Budget"})
    night.world.sheet.fail_next_apply = AccessError("Google refused the write: the sheet is protected")
    try:
        night.world.sync()
    except AccessError as exc:
        outcome = night.notify(failure=str(exc))
    assert outcome["sent"] is True and "misslyckades" in night.mails[0]
    assert night.world.state.runs(1)[0].details["notification"]["sent"] is True


def test_a_mail_server_that_refuses_is_recorded_and_the_digest_goes_out_the_next_night():
    night = Night(ws_2={"n1": "Budget"})
    night.mailer.refuse_next = AccessError("smtp.example.org refused the login; check BACKBONE_SMTP_URL")
    first = night.sync_and_notify()
    assert first["sent"] is False and first["error"] == "smtp.example.org refused the login; check BACKBONE_SMTP_URL"
    assert night.world.state.last_digest() is None
    night.world.set_board("ws.2", {"n1": "Budget", "n2": "Lön"})
    assert night.sync_and_notify()["sent"] is True


def test_a_forgotten_person_is_left_out_of_the_digest():
    night = Night(ws_2={"n1": "Budget"})
    night.world.sync()
    night.world.state.erase(NameEraser("Amira Hassan"), apply=True)
    night.action("a1", "april 2021", who="Amira Hassan", title="Fråga Amira Hassan om lokalen")
    night.world.sheet.edit(IDEAS, "n1", "Text", "Budget enligt Amira Hassan")
    night.world.set_board("ws.2", {"n1": "Budget 2022"})
    night.sync_and_notify()
    sent = night.mailer.sent[0].mail
    assert "Amira" not in sent.subject + sent.text + sent.html and "[namn borttaget]" in sent.text


def test_the_digest_links_to_the_runs_page_when_the_address_is_set():
    night = Night(ws_2={"n1": "Budget"})
    night.web_url = "https://backbone.example.org/"
    night.sync_and_notify()
    assert "Se mer på sidan: https://backbone.example.org/runs/1" in night.mailer.sent[0].mail.text


def test_the_newest_recaps_go_along_when_the_mailer_has_them():
    night = Night(ws_2={"n1": "Budget"})
    night.mailer.recaps = [Path("2021-05-04 CI2 – sammanfattning.pdf")]
    night.sync_and_notify()
    assert night.mailer.sent[0].attachments == [Path("2021-05-04 CI2 – sammanfattning.pdf")]


def test_the_test_message_goes_to_every_recipient():
    night = Night()
    to = send_test_message(night.mailer, DigestOptions("sv", night.world.clock, TZ))
    assert to == ["samordnare@example.org", "styrgrupp@example.org"] and len(night.mailer.sent) == 1
    assert night.mailer.sent[0].mail.subject and night.world.state.last_digest() is None
