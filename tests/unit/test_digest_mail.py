"""The e-mail digest's words: when there is something to say, and what it says (pure)."""
from __future__ import annotations

from reports.followup import Since
from reports.placeholders import unknown_placeholders
from reports.render import TEMPLATES, _load
from sync.digest_mail import compose_digest, worth_sending

from .test_followup_context import context

QUIET = {"started": "2021-12-01 02:00:00", "result": "ok", "new": 0, "changed": 0, "conflicts": 0, "message": "",
         "details": {"failures": [], "conflicts": [], "changes": {"workshops": {}, "statuses": {}}}}
OVERDUE = [{"title": "Ungdomsråd", "workshop": "ci3", "when": "hösten 2021", "due_text": "senast 30 november 2021",
            "who": "Fryshuset"}]


def with_changes(**kinds) -> dict:
    return {**QUIET, "details": {**QUIET["details"], "changes": {"workshops": {"ci2": kinds}}}}


def test_something_to_say():
    assert not worth_sending(QUIET, [])
    assert not worth_sending(with_changes(notes_added={"count": 3, "entries": []}), [])  # notes alone: no e-mail
    assert worth_sending(with_changes(actions_added={"count": 1, "entries": [{"id": "a", "text": "Ungdomsråd"}]}), [])
    assert worth_sending(with_changes(actions_changed={"count": 1, "entries": []}), [])
    assert worth_sending(QUIET, OVERDUE)
    assert worth_sending({**QUIET, "conflicts": 2}, [])
    assert worth_sending({**QUIET, "result": "failed", "message": "MURAL is down"}, [])  # a failure, always
    assert worth_sending({**QUIET, "result": "partial", "details": {"failures": [["ci2", "board gone"]]}}, [])


def test_the_digest_says_it_in_the_chosen_language():
    run = with_changes(actions_added={"count": 1, "entries": [{"id": "a1", "text": "Ungdomsråd <unga> & äldre"}]})
    mail = compose_digest({**run, "new": 1}, OVERDUE, "sv")
    assert mail.subject == "backbone: ok – 1 ny, 0 ändrade, 1 försenad"
    assert "Försenade åtgärder\n- Ungdomsråd (ci3): hösten 2021 (senast 30 november 2021) – Fryshuset" in mail.text
    assert "Nya åtgärder: 1" in mail.text and "a1: Ungdomsråd <unga> & äldre" in mail.text
    assert "Ungdomsråd &lt;unga&gt; &amp; äldre" in mail.html and "<unga>" not in mail.html
    english = compose_digest({**QUIET, "result": "failed", "message": "tab 'Idéer': the ID column is gone"}, [], "en")
    assert english.subject == "backbone: the sync failed"
    assert "Failed\n- tab 'Idéer': the ID column is gone" in english.text


def test_the_bundled_followup_templates_use_only_what_the_context_gives():
    then = {"a1": "", "a2": "Pågår"}
    digest = {"workshops": {"ci2": {"notes_added": {"count": 1, "entries": []},
                                    "actions_changed": {"count": 1, "entries": [{"id": "a1", "text": "Ungdomsråd"}]}}}}
    full = context(Since("followup", "2021-11-01 10:00:00", then, [digest]), recaps={"ci2": "r.docx"})
    assert full["since"]["actions_added"] and full["since"]["status_changes"] and full["since"]["boards"]
    for lang in ("sv", "en"):
        _, source = _load(TEMPLATES / f"followup.{lang}.docx")
        assert unknown_placeholders(source, full) == []
