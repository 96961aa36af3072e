"""The follow-up report's context and the change digest, from scripted sheets and runs (pure)."""
from __future__ import annotations

import datetime as dt

import pytest

from sync.core.errors import InputError
from sync.core.followup_context import Since, build_followup_context, overdue_actions
from sync.core.model import Action, Attendee, Board, Exercise, Group, Note, Planning, Workshop
from sync.core.sheet.change_digest import change_digest
from sync.core.sheet.plan import plan_sheet_update
from sync.core.sheet.reading import read_planning
from sync.usecases.followup_report import followup_since
from tests.fakes.in_memory import InMemoryState
from tests.fakes.memory_sheet import MemorySheet

NOW = dt.datetime(2021, 12, 1, 9, 30, tzinfo=dt.UTC)
SERIES = (Workshop("ci3", "Collective Impact 3", "2021-06-08", board="mural.3"),
          Workshop("ci2", "Collective Impact 2", "2021-05-04", board="mural.2"),
          Workshop("ci4", "Collective Impact 4", "2021-09-14", board="mural.4"))
ACTIONS = (
    Action("a1", "ci2", "Ungdomsråd", when="hösten 2021", status="Pågår"),  # overdue on 1 December
    Action("a2", "ci2", "Agenda", when="innan sommaren", status="Klar"),  # passed, but done
    Action("a3", "ci3", "Nyhetsbrev", when="löpande", status="Pågår"),  # ongoing: never overdue
    Action("a4", "ci4", "Indikatorer", when="v. 45", status=""),  # week 45 of 2021 ended 14 Nov: overdue
    Action("a5", "ci4", "Budget", when="när vi har pengar", status=""),  # not dated: shown as written
)
PEOPLE = (
    Attendee("Åsa Ek", "RISE", "ci2"), Attendee("Omar Ali", "Fryshuset", "ci2"), Attendee("Eva Berg", "RISE", "ci2"),
    Attendee("Åsa Ek", "RISE", "ci3"), Attendee("Lina Grahn", "Fritidsgården Vårvädret", "ci3"),
    Attendee("Åsa Ek", "rise ", "ci4"),
)
PLANNING = Planning(workshops=SERIES, actions=ACTIONS, attendees=PEOPLE,
                    ideas={"n1": {"workshop": "ci2", "on_board": "ja"}, "n2": {"workshop": "ci2", "on_board": "nej"}})


def context(since=None, lang="sv", planning=PLANNING, **kw):
    return build_followup_context(planning, since or Since("first"), lang=lang, today=NOW.date(), generated=NOW,
                                  organisation="CI Biskopsgården", **kw)


def test_overdue_is_a_passed_deadline_without_done():
    got = context()
    assert [a["id"] for a in got["overdue"]] == ["a4", "a1"]  # due 14 November before due 30 November
    a1 = got["overdue"][1]
    assert a1["due_text"] == "senast 30 november 2021" and a1["workshop_title"] == "Collective Impact 2"
    a5 = next(a for g in got["status_groups"] for a in g["actions"] if a["id"] == "a5")

    assert a5["when_display"] == "när vi har pengar" and a5["due_text"] == "" and not a5["overdue"]
    assert got["summary_text"] == "5 åtgärder från 3 workshoppar: 1 klar och 2 försenade."
    assert [a["id"] for a in overdue_actions(PLANNING, NOW.date(), "en")] == ["a4", "a1"]


def test_actions_by_status_done_last_and_no_status_named():
    groups = context()["status_groups"]
    assert [(g["status"], g["count"]) for g in groups] == [("Pågår", 2), ("Ingen status angiven", 2), ("Klar", 1)]
    assert [(g["status"]) for g in context(lang="en")["status_groups"]][1] == "No status set"


def test_each_overdue_action_is_written_out_once_and_named_by_title_under_its_status():
    got = context()
    in_full = [a["id"] for a in got["overdue"]] + [a["id"] for g in got["status_groups"] for a in g["actions"]]
    assert sorted(in_full) == ["a1", "a2", "a3", "a4", "a5"]  # every action once
    pagar, none, _ = got["status_groups"]
    assert [a["id"] for a in pagar["actions"]] == ["a3"] and pagar["overdue_titles"] == "Ungdomsråd"
    assert none["overdue_titles"] == "Indikatorer" and pagar["count"] == 2


def test_counts_only_workshops_with_actions_and_a_workshop_without_a_board_says_so():
    planning = Planning(workshops=(*SERIES, Workshop("ci1", "Collective Impact 1", "2021-04-20")), actions=ACTIONS,
                        attendees=PEOPLE, ideas=PLANNING.ideas)
    got = context(planning=planning)
    assert got["summary_text"] == "5 åtgärder från 3 workshoppar: 1 klar och 2 försenade."
    assert got["counts"]["workshops"] == 3
    ci1 = got["workshops"][0]
    assert (ci1["title"], ci1["notes"], ci1["actions"]) == ("Collective Impact 1", "ingen tavla", "0 åtgärder")
    assert context(planning=planning, lang="en")["workshops"][0]["notes"] == "no board"


def test_workshops_in_date_order_with_notes_actions_and_recap():
    rows = context(recaps={"ci2": "2021-05-04 Collective Impact 2 – sammanfattning.docx"})["workshops"]
    assert [w["id"] for w in rows] == ["ci2", "ci3", "ci4"]
    assert (rows[0]["date_text"], rows[0]["notes"], rows[0]["actions"]) == ("4 maj 2021", "1 lapp", "2 åtgärder")
    assert rows[0]["recap"].endswith("sammanfattning.docx") and rows[1]["recap"] == ""


def test_attendance_counts_new_organisations_and_those_not_back():
    attendance = context()["attendance"]
    ci2, ci3, ci4 = attendance["workshops"]
    assert (ci2["people"], ci2["organisations"], ci2["new_organisations"]) == (3, 2, [])  # the first one: no "new"
    assert ci3["new_organisations"] == ["Fritidsgården Vårvädret"] and ci3["not_back"] == ["Fryshuset"]
    assert ci4["text"] == "1 person från 1 organisation"
    assert ci4["not_back"] == ["Fritidsgården Vårvädret", "Fryshuset"] and ci4["new_organisations"] == []
    assert attendance["text"] == "Sammanlagt har 4 personer från 3 organisationer deltagit i serien."
    assert "Åsa" not in str([w["new_organisations"] + w["not_back"] for w in attendance["workshops"]])


def test_since_the_last_followup_new_actions_and_status_changes_come_from_the_recorded_statuses():
    then = {"a1": "", "a2": "Pågår", "a3": "Pågår", "a4": ""}
    digest = {"workshops": {"ci2": {"notes_added": {"count": 2, "entries": []}, "notes_removed": {"count": 1, "entries": []},
                                    "actions_changed": {"count": 1, "entries": [{"id": "a1", "text": "Ungdomsråd"}]}},
                            "ci3": {"notes_changed": {"count": 0, "entries": []}}}}
    since = context(Since("followup", "2021-11-01 10:00:00", then, [digest, digest]))["since"]
    assert since["text"] == "sedan förra uppföljningen (1 november 2021 kl. 10:00)"
    assert [a["id"] for a in since["actions_added"]] == ["a5"]
    assert [(c["action"]["id"], c["old"], c["new"]) for c in since["status_changes"]] == [
        ("a1", "Ingen status angiven", "Pågår"), ("a2", "Pågår", "Klar")]
    assert since["boards"] == [{"workshop": "ci2", "workshop_title": "Collective Impact 2", "notes_added": 4,
                                "notes_changed": 0, "notes_removed": 2,
                                "text": "4 nya lappar, 0 ändrade och 2 borttagna på tavlan"}]
    assert since["actions_changed"] == [{"workshop": "ci2", "workshop_title": "Collective Impact 2", "id": "a1",
                                         "text": "Ungdomsråd"}]  # two runs, once
    assert since["nothing_new"] == "" and since["note"] == ""


@pytest.mark.parametrize("lang,counts,expected", [
    ("sv", (1, 1, 1), "1 ny lapp, 1 ändrad och 1 borttagen på tavlan"),
    ("sv", (2, 2, 2), "2 nya lappar, 2 ändrade och 2 borttagna på tavlan"),
    ("sv", (1, 2, 0), "1 ny lapp, 2 ändrade och 0 borttagna på tavlan"),
    ("en", (1, 1, 1), "1 new note, 1 changed and 1 removed on the board"),
    ("en", (2, 2, 2), "2 new notes, 2 changed and 2 removed on the board"),
])
def test_each_count_of_notes_on_a_board_agrees_with_its_own_number(lang, counts, expected):
    added, changed, removed = counts
    digest = {"workshops": {"ci2": {"notes_added": {"count": added}, "notes_changed": {"count": changed},
                                    "notes_removed": {"count": removed}}}}
    since = context(Since("followup", "2021-11-01 10:00:00", {a.id: a.status for a in ACTIONS}, [digest]), lang=lang)
    assert [b["text"] for b in since["since"]["boards"]] == [expected]


def test_since_with_nothing_changed_says_so_and_unknown_history_is_named():
    same = {a.id: a.status for a in ACTIONS}
    assert context(Since("followup", "2021-11-01 10:00:00", same, []))["since"]["nothing_new"] == "Inget nytt eller ändrat."
    unknown = context(Since("date", "2021-06-01", None, []), lang="en")["since"]
    assert unknown["text"] == "since 1 June 2021" and "no sync from before 1 June 2021" in unknown["note"]
    assert unknown["actions_added"] == [] and unknown["status_changes"] == []


WORKSHOPS_TAB = [["ID", "Titel", "Datum", "Mural"], ["ci2", "CI 2", "2021-05-04", "ws.1"], ["ci3", "CI 3", "2021-06-08", "ws.2"]]


def _board(notes, actions=()):
    group = Group(title="G", notes=tuple(Note(id=i, text=t) for i, t in notes), id="g")
    return Board(id="b", exercises=(Exercise(title="Övning", groups=(group,)),), actions=tuple(actions))


def test_the_change_digest_names_what_a_run_added_changed_and_removed_per_workshop():
    sheet, base = MemorySheet({"Workshops": WORKSHOPS_TAB}), {}
    boards = {"ci2": _board([("n1", "Medborgardialoger"), ("n2", "Budget")],
                            [Action("x1", "ci2", "Processgrupp", how="Rösta", when="Q1 2022", who="Alla")]),
              "ci3": _board([("n3", "Ungdomsråd")])}
    first = plan_sheet_update(sheet.read(), boards, base, source="plan.xlsx", now="1")
    digest = change_digest(first, read_planning(sheet.read(), "plan.xlsx"))
    assert digest["workshops"]["ci2"]["notes_added"]["count"] == 2
    assert digest["workshops"]["ci2"]["actions_added"]["entries"] == [{"id": "x1", "text": "Processgrupp"}]
    assert digest["workshops"]["ci3"]["notes_added"]["entries"] == [{"id": "n3", "text": "Ungdomsråd"}]
    sheet.apply(first.sheet_write())
    base.update(first.base)
    sheet.edit("Åtgärder", "x1", "Status", "Pågår")  # a person's Status: recorded, never written by sync
    boards = {"ci2": _board([("n1", "Medborgardialoger i Biskopsgården")],
                            [Action("x1", "ci2", "Processgrupp", how="Rösta", when="Q2 2022", who="Alla")]),
              "ci3": _board([("n3", "Ungdomsråd")])}
    second = plan_sheet_update(sheet.read(), boards, base, source="plan.xlsx", now="2")
    digest = change_digest(second, read_planning(sheet.read(), "plan.xlsx"))
    ci2 = digest["workshops"]["ci2"]
    assert ci2["notes_changed"]["entries"] == [{"id": "n1", "text": "Medborgardialoger", "fields": [
        {"column": "Text", "old": "Medborgardialoger", "new": "Medborgardialoger i Biskopsgården"}]}]
    assert ci2["notes_removed"]["entries"] == [{"id": "n2", "text": "Budget"}]
    assert ci2["actions_changed"]["entries"][0]["fields"] == [{"column": "När", "old": "Q1 2022", "new": "Q2 2022"}]
    assert "ci3" not in digest["workshops"] and digest["statuses"] == {"x1": "Pågår"}


def test_what_the_followup_measures_against_comes_from_the_run_history():
    history = InMemoryState()
    assert followup_since(None, history).kind == "first"
    history.add_run("2021-05-04 02:00:00", changes={"statuses": {"a1": "Pågår"}, "ci2": {}})
    history.record_followup("2021-05-10 09:00:00", {"statuses": {"a1": "Pågår"}})
    history.add_run("2021-05-11 02:00:00", changes={"ci2": {"added": 1}})
    history.add_run("2021-05-12 02:00:00", result="failed", changes={"ci2": {"added": 9}})  # wrote nothing
    since = followup_since(None, history)
    assert (since.kind, since.moment, since.statuses) == ("followup", "2021-05-10 09:00:00", {"a1": "Pågår"})
    assert since.digests == [{"ci2": {"added": 1}}]
    dated = followup_since("2021-05-05", history)
    assert (dated.kind, dated.moment, dated.statuses) == ("date", "2021-05-05", {"a1": "Pågår"})
    assert dated.digests == [{"ci2": {"added": 1}}]
    with pytest.raises(InputError, match="--since '5 maj': ange ett datum som ÅÅÅÅ-MM-DD"):
        followup_since("5 maj", history)
