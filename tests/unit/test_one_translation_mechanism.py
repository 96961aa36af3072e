"""One translation mechanism (issue 23): every phrase comes from the gettext catalogs (sync/core/i18n.py), and the
language is passed or scoped, never set for the whole process."""
from __future__ import annotations

import ast
import contextvars
import threading
from datetime import date
from pathlib import Path

import pytest

from sync.bootstrap import Backbone
from sync.core import i18n
from sync.core.recap_words import date_text, ordinal_text
from sync.entry.cli.main import main
from sync.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
LANGUAGE_KEYS = set(i18n.LANGUAGES)


def language_tables(source: str) -> list[int]:
    """Lines of dict literals keyed by a language code ({"sv": …, "en": …}, dict(sv=…)): a phrase table."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
            keys = {k.arg for k in node.keywords}
        else:
            continue
        if keys & LANGUAGE_KEYS:
            found.append(node.lineno)
    return found


def test_the_check_finds_a_phrase_table():
    assert language_tables('WORDS = {"sv": {"title": "Titel"}, "en": {"title": "Title"}}\nX = dict(sv="ja")\n') == [1, 2]
    assert language_tables('LABELS = {"title": N_("Title")}\n') == []


def test_no_module_holds_phrases_per_language_outside_the_catalogs():
    """Phrases per language live in sync/locale/*.po only (the tools' too: the template generators and `make demo`'s
    narration read the catalogs); sync/core/i18n.py may name the languages themselves."""
    checked = [*(ROOT / "sync").rglob("*.py"), *(ROOT / "reports").rglob("*.py"), *(ROOT / "tools").rglob("*.py")]
    offenders = [f"{path.relative_to(ROOT)}:{line}" for path in sorted(checked) if path != ROOT / "sync" / "core" / "i18n.py"
                 for line in language_tables(path.read_text(encoding="utf-8"))]
    assert not offenders, f"per-language phrase tables outside the catalogs (use sync/core/i18n.py): {offenders}"


def outside_every_block(call):
    """`call()` as code outside every `speaking` block sees the language (a fresh context: no test fixture's)."""
    return contextvars.Context().run(call)


def test_building_backbone_does_not_change_the_language_of_the_process(tmp_path):
    said = lambda: (i18n.language(), i18n._("failed"))  # noqa: E731
    before = outside_every_block(said)
    app = outside_every_block(lambda: Backbone(load_settings(environ={"BACKBONE_LANGUAGE": "en"}, cwd=tmp_path)))
    assert outside_every_block(said) == before
    assert said() == ("sv", "misslyckades")  # this test's block (tests/conftest.py) is untouched too
    with app.speaking():  # the app's language is entered, for a block only
        assert said() == ("en", "failed")
    assert said() == ("sv", "misslyckades")


def test_a_cli_command_speaks_its_language_only_while_it_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BACKBONE_LANGUAGE", "en")
    before = outside_every_block(i18n.language)
    assert outside_every_block(lambda: main(["settings"])) == 0
    assert "# no settings file" in capsys.readouterr().out  # the command spoke English
    assert outside_every_block(i18n.language) == before
    assert i18n._("failed") == "misslyckades"


def test_a_document_is_in_its_own_language_whatever_the_block_speaks():
    with i18n.speaking("en"):
        assert date_text(date(2021, 5, 4), "sv") == "4 maj 2021"
        assert ordinal_text("2", "sv") == "andra"
    assert date_text(date(2021, 5, 4), "en") == "4 May 2021"
    assert i18n.words("sv").pgettext("month", "May") == "maj"  # the month, not the verb
    with pytest.raises(ValueError, match="unknown language 'de'"):
        i18n.words("de")


def test_a_block_is_its_own_thread_s_only():
    """A thread started inside a block speaks the process default: a web request's language never leaks into
    the sync thread it starts (the runner enters BACKBONE_LANGUAGE there itself)."""
    seen = []
    with i18n.speaking("en"):
        worker = threading.Thread(target=lambda: seen.append(i18n.language()))
        worker.start()
        worker.join()
    assert seen == [i18n.DEFAULT]
