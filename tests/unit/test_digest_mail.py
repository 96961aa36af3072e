"""The e-mail digest's words: when there is something to say, and what it says (pure)."""
from __future__ import annotations

from docx import Document

from reports.followup_render import check_followup_template, sample_followup_context
from reports.render import bundled_template
from sync.cli import main
from sync.digest_mail import compose_digest, worth_sending

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
