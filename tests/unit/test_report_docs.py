"""docs/templates.md lists every placeholder of sync/core/recap_context.py, and is regenerated when that changes."""
from __future__ import annotations

from pathlib import Path

from reports.placeholder_docs import key_descriptions, placeholder_docs, placeholder_rows
from reports.placeholders import sample_context

DOCS = Path(__file__).resolve().parents[2] / "docs" / "templates.md"


def test_the_committed_page_is_what_the_context_gives():
    assert DOCS.read_text("utf-8") == placeholder_docs(), "run `python tools/make_templates.py` and commit docs/templates.md"


def test_every_top_level_key_is_described_in_the_context_docstring():
    undocumented = set(sample_context()) - set(key_descriptions())
    assert undocumented == set(), f"describe {sorted(undocumented)} at the top of sync/core/recap_context.py"


def test_every_placeholder_path_of_the_context_is_on_the_page():
    page = DOCS.read_text("utf-8")
    paths = [placeholder for placeholder, _, _ in placeholder_rows(sample_context(), "")]
    assert {"workshop.title", "note.text", "action.how", "entry", "group.description", "ordinal_text"} <= set(paths)
    assert [p for p in paths if f"`{{{{ {p} }}}}`" not in page] == []


def test_a_new_context_key_shows_up_as_drift(monkeypatch):
    import reports.placeholder_docs as docs
    monkeypatch.setattr(docs, "sample_context", lambda: {**sample_context(), "votes": 3})
    assert "`{{ votes }}`" in docs.placeholder_docs() and docs.placeholder_docs() != DOCS.read_text("utf-8")
