"""The state ports' contract: the same assertions against the in-memory fake (tests/fakes/in_memory.py) and the real
SQLite StateStore, so the use-case tests over the fake test what the real store does."""
from __future__ import annotations

import pytest

from sync.adapters.sqlite.state_store import StateStore
from sync.core.errors import BusyError
from sync.core.redact import NameEraser
from sync.core.retention import Retention
from sync.core.sheet.values import Intent
from sync.ports import StateDatabase
from tests.fakes.in_memory import InMemoryState

RUN = {"started": "2021-05-04 02:00:00", "ended": "2021-05-04 02:00:05", "result": "ok", "new": 2, "changed": 1}
SHEET, OTHER = "xlsx:/plan.xlsx", "gsheet:abc"


@pytest.fixture(params=["memory", "sqlite"])
def state(request, tmp_path) -> StateDatabase:
    return InMemoryState() if request.param == "memory" else StateStore(tmp_path / "state.db")


def run(started: str, result: str = "ok", **extra: object) -> dict:
    return {**RUN, "started": started, "ended": started, "result": result, **extra}


def widgets(*texts: str, author: dict | None = None) -> dict:
    return {"value": [{"id": f"w{i}", "type": "sticky note", "text": t, **({"createdBy": author} if author else {})}
                      for i, t in enumerate(texts)]}


# --- the merge base, runs and the lock --------------------------------------------------------------------------

def test_a_fresh_state_holds_nothing(state):
    assert state.load_base(SHEET) == {}
    assert state.runs() == [] and state.run(1) is None and state.last_followup() is None and state.last_digest() is None
    assert state.open_intents(SHEET) == [] and state.snapshots("ws.1") == [] and state.latest("ws.1") is None
    assert state.suppressed_people() == 0 and not state.suppression()


def test_the_base_is_kept_per_sheet_and_a_run_adds_to_it(state):
    state.record_run(RUN, sheet=SHEET, base={("ideas", "n1", "id"): "n1", ("ideas", "n1", "text"): "Budget"})
    state.record_run(RUN, sheet=OTHER, base={("ideas", "n9", "id"): "n9"})
    state.record_run(RUN, sheet=SHEET, base={("ideas", "n1", "text"): "Budget 2022", ("ideas", "n2", "id"): "n2"})
    assert state.load_base(SHEET) == {("ideas", "n1", "id"): "n1", ("ideas", "n1", "text"): "Budget 2022",
                                      ("ideas", "n2", "id"): "n2"}
    assert state.load_base(OTHER) == {("ideas", "n9", "id"): "n9"}
    assert state.base_row_ids(SHEET, "ideas") == {"n1", "n2"} and state.base_row_ids(SHEET, "actions") == frozenset()
    assert state.base_rows(SHEET, "ideas", ["n1", "n7"]) == {"n1": {"id": "n1", "text": "Budget 2022"}}


def test_the_base_handed_out_is_a_copy(state):
    state.record_run(RUN, sheet=SHEET, base={("ideas", "n1", "id"): "n1"})
    state.load_base(SHEET).clear()
    assert state.load_base(SHEET) == {("ideas", "n1", "id"): "n1"}


def test_runs_are_numbered_and_read_back_newest_first_with_their_details_as_json(state):
    first = state.record_run(run("2021-05-04 02:00:00", details={"failures": [("ci2", "gone")]}), sheet=SHEET)
    second = state.record_run(run("2021-05-05 02:00:00", "failed", message="Boom"), sheet=SHEET)
    assert (first, second) == (1, 2)
    assert [r.id for r in state.runs()] == [2, 1] and [r.id for r in state.runs(1)] == [2]
    one = state.run(1)
    assert one is not None and one.details == {"failures": [["ci2", "gone"]]} and one.new == 2 and one.changed == 1
    failed = state.run(2)
    assert failed is not None and failed.result == "failed" and failed.message == "Boom"
    assert state.run(3) is None and state.run(0) is None and state.run(2 ** 70) is None


def test_runs_after_a_moment_are_oldest_first_and_the_last_before_one_is_one_that_wrote(state):
    for started, result in [("2021-05-04 02:00:00", "ok"), ("2021-05-05 02:00:00", "partial"),
                            ("2021-05-06 02:00:00", "failed"), ("2021-05-07 02:00:00", "ok")]:
        state.record_run(run(started, result))
    assert [r.started[:10] for r in state.runs_after("2021-05-05 00:00:00")] == ["2021-05-05", "2021-05-06", "2021-05-07"]
    before = state.last_run_before("2021-05-06 23:00:00")
    assert before is not None and before.result == "partial"
    assert state.last_run_before("2021-05-01 00:00:00") is None


def test_the_run_lock_refuses_a_second_holder_naming_the_first_and_is_free_once_left(state):
    with state.sync_lock("started 4 maj 02:00"):
        with pytest.raises(BusyError, match="started 4 maj 02:00"):
            with state.sync_lock("a forget"):
                pass
    with state.sync_lock("the next night"):
        pass


def test_the_lock_is_left_when_the_run_inside_fails(state):
    with pytest.raises(RuntimeError):
        with state.sync_lock("first"):
            raise RuntimeError("the run failed")
    with state.sync_lock("second"):
        pass


def test_intents_are_kept_per_sheet_in_order_until_cleared(state):
    one, two = Intent("ideas", 3, "n1", 2, "Text", "Budget"), Intent("ideas", 4, "n2", 2, "Text", "Lön", new=True)
    state.record_intents(SHEET, [one])
    state.record_intents(SHEET, [two])
    state.record_intents(OTHER, [two])
    assert state.open_intents(SHEET) == [one, two]
    state.clear_intents(SHEET)
    assert state.open_intents(SHEET) == [] and state.open_intents(OTHER) == [two]


# --- follow-ups and digests ---------------------------------------------------------------------------------------

def test_the_last_follow_up_is_the_newest_recorded(state):
    state.record_followup("2021-05-10 09:00:00", {"statuses": {"a1": "Pågår"}})
    state.record_followup("2021-05-17 09:00:00", {"statuses": {"a1": "Klar"}, "file": "uppföljning.docx"})
    assert state.last_followup() == ("2021-05-17 09:00:00", {"statuses": {"a1": "Klar"}, "file": "uppföljning.docx"})


def test_digests_remember_the_newest_and_the_day_of_the_last_reminder(state):
    state.record_digest(1, "2021-05-03 02:01:00", reminder=True, overdue=["a2", "a1"], subject="Påminnelse")
    state.record_digest(2, "2021-05-04 02:01:00", reminder=False, overdue=["a3"], subject="Nytt")
    last = state.last_digest()
    assert last is not None
    assert (last.run_id, last.sent, last.overdue, last.last_reminder) == (2, "2021-05-04 02:01:00", {"a3"}, "2021-05-03")


def test_a_notification_is_kept_in_its_runs_details_and_none_for_a_missing_run(state):
    run_id = state.record_run(run("2021-05-04 02:00:00", details={"synced": ["ci2"]}))
    state.record_notification(run_id, {"sent": True, "to": 2})
    state.record_notification(99, {"sent": True})
    kept = state.run(run_id)
    assert kept is not None and kept.details == {"synced": ["ci2"], "notification": {"sent": True, "to": 2}}
    assert len(state.runs()) == 1


# --- the snapshot archive -----------------------------------------------------------------------------------------

def test_the_same_content_is_one_snapshot_made_newest_again(state):
    first = state.save("ws.1", widgets("Budget"), 100, 1000.0)
    second = state.save("ws.1", widgets("Budget", "Lön"), 200, 2000.0)
    again = state.save("ws.1", {"value": [{"text": "Budget", "type": "sticky note", "id": "w0"}]}, 300, 3000.0)
    assert again == first != second
    assert state.latest("ws.1") == (300, widgets("Budget"))
    assert state.latest_fetched("ws.1") == 3000.0
    assert [(s.id, s.widgets) for s in state.snapshots("ws.1")] == [(second, 2), (first, 1)]
    assert state.latest("ws.2") is None and state.latest_fetched("ws.2") is None


def test_a_snapshot_is_read_back_by_number(state):
    number = state.save("ws.1", widgets("Budget"), None, 1000.0)
    found = state.snapshot(number)
    assert found is not None and found[0].mural_id == "ws.1" and found[1] == widgets("Budget")
    assert state.snapshot(number + 1) is None and state.snapshot(-1) is None and state.snapshot(2 ** 70) is None


def test_pruning_keeps_what_the_setting_says_and_always_a_boards_newest(state):
    for day in range(5):
        state.save("ws.1", widgets(f"day {day}"), None, 1000.0 + day)
    state.save("ws.2", widgets("once"), None, 1.0)
    assert state.prune_snapshots(now=5000.0) == 0  # keeping everything by default
    assert isinstance(state, (InMemoryState, StateStore))
    state.retention = Retention(count=2)
    assert state.prune_snapshots(now=5000.0) == 3
    assert [s.fetched_at for s in state.snapshots("ws.1")] == [1004.0, 1003.0] and len(state.snapshots("ws.2")) == 1


# --- forgetting a person ------------------------------------------------------------------------------------------

AMIRA = {"id": "u-amira", "firstName": "Amira", "lastName": "Hassan"}


def test_erase_counts_without_apply_and_changes_nothing(state):
    state.record_run(run("2021-05-04 02:00:00", message="Amira Hassan skrev"), sheet=SHEET,
                     base={("actions", "a1", "owner"): "Amira Hassan"})
    found = state.erase(NameEraser("Amira Hassan"), apply=False)
    assert (found.base, found.runs) == (1, 1)
    assert state.load_base(SHEET) == {("actions", "a1", "owner"): "Amira Hassan"}
    assert state.suppressed_people() == 0


def test_erase_applied_removes_the_name_everywhere_and_keeps_them_out_afterwards(state):
    state.record_run(run("2021-05-04 02:00:00", message="Konflikt hos Amira Hassan", details={"who": "Amira Hassan"}),
                     sheet=SHEET, base={("actions", "a1", "owner"): "Amira Hassan", ("actions", "a1", "id"): "a1"})
    state.record_followup("2021-05-10 09:00:00", {"owners": {"a1": "Amira Hassan"}})
    before = state.save("ws.1", widgets("Budget", author=AMIRA), None, 1000.0)
    plain = state.save("ws.1", widgets("Budget", author={"type": "member"}), None, 2000.0)
    erased = state.erase(NameEraser("Amira Hassan"), apply=True)
    assert (erased.base, erased.runs, erased.followups, erased.snapshots, erased.boards) == (1, 1, 1, 1, ("ws.1",))
    assert state.load_base(SHEET)[("actions", "a1", "owner") ] == ""  # the cell said only the name
    recorded = state.run(1)
    assert recorded is not None and "Amira" not in recorded.message and "Amira" not in str(recorded.details)
    assert "Amira" not in str(state.last_followup())
    assert all("Amira" not in str(state.snapshot(s.id)) for s in state.snapshots("ws.1"))
    assert state.suppressed_people() == 1
    # later: what is recorded or archived naming them (or carrying their MURAL user id) is kept without them
    state.record_run(run("2021-05-11 02:00:00", message="Ny lapp av Amira Hassan"), sheet=SHEET,
                     base={("ideas", "n5", "text"): "Amira Hassan tycker"})
    assert "Amira" not in state.runs(1)[0].message and "Amira" not in state.load_base(SHEET)[("ideas", "n5", "text")]
    number = state.save("ws.1", widgets("Ny", author={"id": "u-amira", "alias": "ah"}), None, 3000.0)
    assert "u-amira" not in str(state.snapshot(number))
    assert state.suppression().mentions("amira  HASSAN") and before != plain


def test_erasing_twice_finds_nothing_the_second_time(state):
    state.record_run(run("2021-05-04 02:00:00", message="Amira Hassan"), sheet=SHEET)
    state.erase(NameEraser("Amira Hassan"), apply=True)
    again = state.erase(NameEraser("Amira Hassan"), apply=True)
    assert (again.runs, again.base, again.snapshots) == (0, 0, 0) and state.suppressed_people() == 1


def test_a_published_draft_is_remembered_per_site_and_workshop_and_replaced_by_the_next(state):
    assert state.published_post("https://ci.example.org", "CI2") is None
    state.record_post("https://ci.example.org", "CI2", 41, {"media": 7})
    state.record_post("https://annan.example.org", "CI2", 5, {})
    assert state.published_post("https://ci.example.org", "ci2") == (41, {"media": 7})  # the ID as people write it
    state.record_post("https://ci.example.org", "ci2", 42, {})
    assert state.published_post("https://ci.example.org", "CI2") == (42, {})
    assert state.published_post("https://annan.example.org", "CI2") == (5, {})
