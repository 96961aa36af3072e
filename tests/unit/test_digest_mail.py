"""The e-mail digest's words and when it is sent: only with news, the weekly reminder, no resending (pure)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from docx import Document

from reports.docx_followup import check_followup_template, sample_followup_context
from reports.docx_recap import bundled_template
from sync.core.digest_message import DigestInput, compose_digest
from sync.core.digest_policy import LastDigest, decide, reminder_weekday
from sync.core.errors import ConfigError
from sync.entry.cli.main import main

QUIET = {"id": 7, "started": "2021-12-01 02:00:00", "result": "ok", "new": 0, "changed": 0, "conflicts": 0,
         "message": "", "details": {"failures": [], "conflicts": [], "changes": {"workshops": {}, "statuses": {}}}}
UNGDOMSRAD = {"id": "0-1620112399738", "title": "Ungdomsråd", "workshop": "ci3", "when": "hösten 2021",
              "due_text": "senast 30 november 2021", "due_iso": "2021-11-30", "who": "Fryshuset"}
AGENDA = {"id": "0-1620112399999", "title": "Agenda", "workshop": "ci2", "when": "v. 20", "due_text": "senast 23 maj 2021",
          "due_iso": "2021-05-23", "who": ""}
WORKSHOPS = {"ci2": {"title": "Collective Impact 2", "date": "2021-05-04"},
             "ci3": {"title": "Collective Impact 3", "date": "2021-06-08"}}
WEDNESDAY, MONDAY = dt.date(2021, 12, 1), dt.date(2021, 12, 6)


def with_changes(**kinds) -> dict:
    return {**QUIET, "details": {**QUIET["details"], "changes": {"workshops": {"ci2": kinds}}}}


def test_a_digest_only_when_there_is_news():
    known = LastDigest(6, "2021-11-30 02:00:00", frozenset({UNGDOMSRAD["id"]}))
    assert not decide(QUIET, 7, [UNGDOMSRAD], known, WEDNESDAY, None).send  # overdue, but already told
    news = [with_changes(notes_added={"count": 3, "entries": []}), with_changes(actions_changed={"count": 1, "entries": []}),
            {**QUIET, "conflicts": 2}, {**QUIET, "result": "failed", "message": "MURAL is down"},
            {**QUIET, "result": "partial", "details": {"failures": [["ci2", "board gone"]]}}]
    for run in news:
        assert decide(run, 7, [UNGDOMSRAD], known, WEDNESDAY, None).send, run
    became = decide(QUIET, 7, [AGENDA, UNGDOMSRAD], known, WEDNESDAY, None)
    assert became.send and became.newly_overdue == [AGENDA] and became.reminder == []
    assert not decide(with_changes(notes_added={"count": 1, "entries": []}), 6, [], known, WEDNESDAY, None).send  # sent


def test_the_weekly_reminder_on_the_named_day_once():
    known = LastDigest(6, "2021-11-30 02:00:00", frozenset({UNGDOMSRAD["id"], AGENDA["id"]}))
    assert not decide(QUIET, 7, [UNGDOMSRAD, AGENDA], known, WEDNESDAY, reminder_weekday("måndag")).send
    monday = decide(QUIET, 7, [UNGDOMSRAD, AGENDA], known, MONDAY, reminder_weekday("måndag"))
    assert monday.send and monday.reminder == [AGENDA, UNGDOMSRAD]  # oldest due date first
    reminded = LastDigest(7, "2021-12-06 02:00:00", known.overdue, last_reminder="2021-12-06")
    assert not decide(QUIET, 8, [UNGDOMSRAD, AGENDA], reminded, MONDAY, 0).send  # a second sync that Monday
    assert not decide(QUIET, 7, [], known, MONDAY, 0).send  # nothing overdue: nothing to remind of


@pytest.mark.parametrize("name,day", [("måndag", 0), ("Monday", 0), ("söndag", 6), ("fredagar", 4), ("tue", 1)])
def test_reminder_day_in_swedish_and_english(name, day):
    assert reminder_weekday(name) == day


def test_an_unknown_reminder_day_is_named():
    assert reminder_weekday("  ") is None
    with pytest.raises(ConfigError, match="BACKBONE_MAIL_REMINDER_DAY='måndog'"):
        reminder_weekday("måndog")


def digest(lang: str = "sv", **kw) -> DigestInput:
    run = with_changes(
        actions_added={"count": 1, "entries": [{"id": "0-1620112399738", "text": "Ungdomsråd <unga> & äldre"}]},
        actions_changed={"count": 1, "entries": [{"id": "0-1620112400000", "text": "Behovskartläggning", "fields": [
            {"column": "När", "old": "Q4 2021", "new": "Q2 2022"}, {"column": "VEM", "old": "", "new": "Bostadsbolagen"}]}]},
        notes_added={"count": 3, "entries": [{"id": "0-1620112401234", "text": "Fler mötesplatser för unga"}]})
    run = {**run, "new": 4, "changed": 1, "conflicts": 1, "details": {**run["details"], "conflicts": [
        {"tab": "Åtgärder", "row_id": "0-1620112400000", "column": "HUR", "sheet_value": "Förstudie", "board_value": "Enkät"}]}}
    return DigestInput(run, **{"newly_overdue": [UNGDOMSRAD], "workshops": WORKSHOPS,
                               "titles": {"0-1620112400000": "Behovskartläggning"}, **kw})


def test_the_digest_is_written_for_people():
    mail = compose_digest(digest(link="https://backbone.example.org/runs/7"), "sv")
    assert mail.subject == "backbone: synkningen lyckades – 4 nya, 1 ändrad, 1 blev försenad"
    text = mail.text
    assert text.startswith("Synkningen 1 december 2021 kl. 02:00 lyckades.\n")
    assert ("Blev försenade sedan förra sammandraget\n- Ungdomsråd – Collective Impact 3, 8 juni 2021. "
            "NÄR: hösten 2021 (senast 30 november 2021). VEM: Fryshuset") in text
    assert "\nCollective Impact 2, 4 maj 2021\n  Nya åtgärder (1)\n  - Ungdomsråd <unga> & äldre\n" in text
    assert ("  - Behovskartläggning: NÄR ändrades från Q4 2021 till Q2 2022; VEM fick värdet Bostadsbolagen") in text
    assert "  Nya lappar (3)\n  - Fler mötesplatser för unga\n  - … och 2 till" in text
    assert "Behovskartläggning, HUR: i kalkylarket Förstudie, på tavlan Enkät" in text
    assert text.rstrip().endswith("Se mer på sidan: https://backbone.example.org/runs/7")
    assert '<a href="https://backbone.example.org/runs/7">' in mail.html


def test_no_internal_id_and_no_python_quoting_in_text_or_html():
    for lang in ("sv", "en"):
        mail = compose_digest(digest(lang, reminder=[AGENDA, UNGDOMSRAD], reminder_day="måndag"), lang)
        for part in (mail.subject, mail.text, mail.html):
            assert not re.search(r"\d-\d{10,}", part), part  # MURAL widget IDs
            assert not re.search(r"\bci\d\b", part) and "->" not in part, part
            assert not re.search(r"(^|[\s(:])'[^']*'", part), part  # a value in Python's quotes: 'Q4 2021'
        assert " ok " not in mail.text and "ok." not in mail.text


def test_the_html_keeps_workshop_kind_items_and_matches_the_text():
    mail = compose_digest(digest(), "sv")
    html = mail.html
    assert html.index("<h2>Ändringar på tavlorna</h2>") < html.index("<h3>Collective Impact 2, 4 maj 2021</h3>") \
        < html.index("<h4>Nya åtgärder (1)</h4><ul><li>Ungdomsråd &lt;unga&gt; &amp; äldre</li></ul>")
    assert "<unga>" not in html
    words = re.sub(r"<[^>]+>", "\n", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    for line in mail.text.splitlines():  # everything the text says, the HTML says
        assert line.strip(" -") in words, line


def test_a_failed_sync_in_english():
    english = compose_digest(DigestInput({**QUIET, "result": "failed", "message": "tab Idéer: the ID column is gone"}), "en")
    assert english.subject == "backbone: the sync failed"
    assert "What went wrong\n- tab Idéer: the ID column is gone" in english.text
    assert english.text.startswith("The sync of 1 December 2021 at 02:00 failed.")


def test_the_bundled_followup_templates_use_only_what_the_context_gives(tmp_path, capsys):
    full = sample_followup_context()
    assert full["since"]["actions_added"] and full["since"]["status_changes"] and full["since"]["boards"]
    assert full["overdue"] and full["attendance"]["workshops"][1]["new_organisations"] == ["Fritidsgården"]
    for lang in ("sv", "en"):
        assert check_followup_template(bundled_template(lang, "followup")) == []
        assert main(["template", "check", "--followup", str(bundled_template(lang, "followup"))]) == 0
    # A coordinator's typo is named, and a recap template is no follow-up template.
    broken = tmp_path / "broken.docx"
    document = Document(str(bundled_template("sv", "followup")))
    document.add_paragraph("{{ overdue_count }} {% for a in overdue %}{{ a.titel }}{% endfor %}")
    document.save(broken)
    assert check_followup_template(broken) == ["overdue_count", "a.titel"]
    assert main(["template", "check", "--followup", str(bundled_template("sv"))]) == 2
    assert "platshållare som uppföljningsrapporten inte fyller i" in capsys.readouterr().out
