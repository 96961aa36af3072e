"""The follow-up report of the whole series (sync/usecases/followup_report.py) over in-memory ports: what it shows,
what it measures "new and changed" against, and that it remembers what it showed for the next one."""
from __future__ import annotations

from pathlib import Path

import pytest

from sync.core.errors import InputError
from sync.core.redact import NameEraser
from sync.usecases.followup_report import ReportFiles, write_followup
from tests.fakes.in_memory import InMemoryDocuments
from tests.usecases.world import World

ACTIONS = "Åtgärder"


def series() -> World:
    world = World([["ci1", "CI 1", "ws.1"], ["ci2", "CI 2", "ws.2"]], ws_1={"a": "Ett"}, ws_2={"b": "Två"})
    world.sync()
    return world


def action(world: World, action_id: str, workshop: str, when: str, status: str = "Pågår", who: str = "Per",
           title: str = "Ny lokal") -> None:
    world.sheet.tabs[ACTIONS].append([action_id, workshop, title, "Hyr", when, who, status, ""])


def followup(world: World, documents: InMemoryDocuments, *, since: str | None = None, written: str = "") -> ReportFiles:
    return write_followup(world.sheet, world.state, documents, since=since, lang="sv", now=world.clock(),
                          stamp=written or f"2021-05-{world.day:02d} 09:00:00", organisation="Biskopsgården",
                          reports_dir=Path("rapporter"), template=None, out=None, hide=world.state.suppression())


def test_the_first_follow_up_counts_every_action_of_the_series_and_says_it_is_the_first():
    world, documents = series(), InMemoryDocuments()
    action(world, "a1", "ci1", "april 2021")
    action(world, "a2", "ci2", "december 2021", status="Klar")
    followup(world, documents)
    context = documents.rendered[0].context
    assert context["title"] == "Uppföljning – Biskopsgården"
    assert context["summary_text"] == "2 åtgärder från 2 workshoppar: 1 klar och 1 försenad."
    assert [a["id"] for a in context["overdue"]] == ["a1"] and context["overdue"][0]["due_text"] == "senast 30 april 2021"
    assert context["since"]["note"].startswith("Det här är den första uppföljningen")


def test_what_a_follow_up_showed_is_remembered_for_the_next():
    world, documents = series(), InMemoryDocuments()
    action(world, "a1", "ci1", "december 2021")
    followup(world, documents, written="2021-05-04 09:00:00")
    assert world.state.last_followup() == ("2021-05-04 09:00:00", {"statuses": {"a1": "Pågår"},
                                                                   "file": "uppföljning 2021-05-04.docx"})


def test_the_next_follow_up_tells_the_status_changes_since_the_last():
    world, documents = series(), InMemoryDocuments()
    action(world, "a1", "ci1", "december 2021")
    world.sync()
    followup(world, documents, written="2021-05-05 09:00:00")
    world.sheet.edit(ACTIONS, "a1", "Status", "Klar")
    world.sync()
    followup(world, documents, written="2021-05-06 09:00:00")
    since = documents.rendered[-1].context["since"]
    assert since["text"] == "sedan förra uppföljningen (5 maj 2021 kl. 09:00)"
    assert [(c["action"]["title"], c["old"], c["new"]) for c in since["status_changes"]] == [("Ny lokal", "Pågår", "Klar")]


def test_since_a_date_measures_against_the_last_sync_before_it():
    world, documents = series(), InMemoryDocuments()
    world.set_board("ws.1", {"a": "Ett", "c": "Tre"})
    world.sync()  # 5 May: a note added
    followup(world, documents, since="2021-05-05")
    since = documents.rendered[0].context["since"]
    assert since["text"] == "sedan 5 maj 2021"
    assert [(b["workshop"], b["notes_added"]) for b in since["boards"]] == [("ci1", 1)]


def test_a_since_that_is_not_a_date_says_how_to_write_one():
    world, documents = series(), InMemoryDocuments()
    with pytest.raises(InputError, match=r"^--since '5 maj': ange ett datum som ÅÅÅÅ-MM-DD, t.ex. 2021-06-01$"):
        followup(world, documents, since="5 maj")
    assert documents.rendered == [] and world.state.last_followup() is None


def test_a_forgotten_person_is_not_in_the_follow_up_nor_in_what_it_remembers():
    world, documents = series(), InMemoryDocuments()
    action(world, "a1", "ci1", "april 2021", who="Amira Hassan", title="Fråga Amira Hassan om lokalen")
    world.state.erase(NameEraser("Amira Hassan"), apply=True)
    followup(world, documents)
    assert "Amira" not in str(documents.rendered[0].context) and "Amira" not in str(world.state.last_followup())


def test_a_pdf_goes_beside_the_follow_up_when_asked_for():
    world, documents = series(), InMemoryDocuments()
    files = write_followup(world.sheet, world.state, documents, since=None, lang="sv", now=world.clock(),
                           stamp="2021-05-04 09:00:00", organisation="", reports_dir=Path("rapporter"), template=None,
                           out=None, pdf=True)
    assert files.pdf == Path("rapporter/uppföljning 2021-05-04.pdf")
