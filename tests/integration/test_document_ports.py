"""The document renderer port's contract: the in-memory renderer (tests/fakes/in_memory.py) and the Word renderer
(reports/word_documents.py, a real .docx read back) name and place a recap and a follow-up alike, so the use-case
tests over the fake test where the real documents go."""
from __future__ import annotations

import datetime as dt

import docx
import pytest

from reports.word_documents import WordDocuments
from sync.core.followup_context import Since, build_followup_context
from sync.core.recap_context import build_report_context
from sync.core.sheet.reading import read_planning
from sync.ports import DocumentRenderer
from tests.fakes.in_memory import InMemoryDocuments
from tests.usecases.world import World

NOW = dt.datetime(2021, 5, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(params=["memory", "word"])
def renderer(request) -> DocumentRenderer:
    return InMemoryDocuments() if request.param == "memory" else WordDocuments()


@pytest.fixture
def recap_context() -> dict:
    world = World([["ci2", "CI 2", "ws.2"]], ws_2={"n1": "Budget"})
    world.sheet.tabs["Workshops"][0].append("Datum")
    world.sheet.tabs["Workshops"][1].append("2021-05-04")
    world.sync()
    planning = read_planning(world.sheet.read(), "memory")
    return build_report_context(planning.workshops[0], None, planning, lang="sv", generated=NOW)


def test_a_recap_written_to_a_folder_gets_its_name_there(renderer, recap_context, tmp_path):
    name = renderer.recap_name(recap_context)
    assert name == "2021-05-04 CI 2 – sammanfattning.docx"
    path = renderer.write_recap(recap_context, template=None, out=tmp_path, author="backbone", created=NOW)
    assert path == tmp_path / name
    if isinstance(renderer, WordDocuments):
        assert "Budget" in "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_a_recap_written_to_a_docx_path_goes_there(renderer, recap_context, tmp_path):
    path = renderer.write_recap(recap_context, template=None, out=tmp_path / "ci2.docx", author="backbone", created=NOW)
    assert path == tmp_path / "ci2.docx"


def test_a_follow_up_written_to_a_docx_path_goes_there(renderer, tmp_path):
    world = World(ws_2={"n1": "Budget"})
    world.sync()
    context = build_followup_context(read_planning(world.sheet.read(), "memory"), Since("first"), lang="sv",
                                     today=NOW.date(), generated=NOW, organisation="Biskopsgården")
    path = renderer.write_followup(context, template=None, out=tmp_path / "uppföljning.docx", author="backbone",
                                   created=NOW)
    assert path == tmp_path / "uppföljning.docx"
