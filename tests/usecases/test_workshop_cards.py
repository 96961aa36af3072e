"""The page's workshop cards, worked out from a sheet's values alone (no files, no database): what each recap leaves
out, and which workshops have rows in the sheet's tabs."""
from __future__ import annotations

from sync.core.curation import ROW_DELETED, SAID_NO
from sync.core.suppression import NAME, NOBODY, Suppression, digest
from sync.usecases.workshop_cards import left_out_of_recaps, workshop_rows, workshops_in_sheet_tabs

IDEAS_HEADER = ["ID", "Workshop", "Övning", "Grupp", "Text", "Författare", "Ändrad", "På tavlan", "Röster", "Taggar",
                "Kommentarer", "I sammanfattningen"]


def idea(row_id: str, workshop: str, text: str, *, on_board: str = "ja", in_recap: str = "") -> list[str]:
    return [row_id, workshop, "Övning 1", "Grupp A", text, "", "", on_board, "", "", "", in_recap]


def sheet(*ideas: list[str]) -> dict[str, list[list[str]]]:
    return {"Workshops": [["ID", "Titel", "Datum", "Mural"], ["CI2", "Collective Impact 2", "2021-05-04", "ws.1"],
                          ["", "a row without an ID", "", ""], ["ci3", "Collective Impact 3", "2021-09-01", ""]],
            "Idéer": [IDEAS_HEADER, *ideas],
            "Åtgärder": [["ID", "Workshop", "Hållplats"], ["a1", "CI3", "Utse processgrupp"]]}


def no_base(ids: list[str]) -> dict[str, dict[str, str]]:
    assert ids == [], "nothing was written by sync, so nothing is asked of the merge base"
    return {}


def test_a_row_saying_nej_is_left_out_of_its_workshops_recap_with_its_text():
    values = sheet(idea("n1", "CI2", "Mötesplats för unga", in_recap="Nej"), idea("n2", "CI2", "Läxhjälp"))
    assert left_out_of_recaps(values, "plan.xlsx", frozenset(), no_base, NOBODY) == {
        "ci2": [("Mötesplats för unga", SAID_NO)]}


def test_a_note_no_longer_on_the_board_is_not_listed_as_left_out():
    values = sheet(idea("n1", "CI2", "Borttagen från tavlan", on_board="nej", in_recap="nej"))
    assert left_out_of_recaps(values, "plan.xlsx", frozenset(), no_base, NOBODY) == {}


def test_a_row_sync_wrote_and_a_person_deleted_is_left_out_as_deleted():
    values = sheet(idea("n2", "CI2", "Läxhjälp"))
    asked: list[list[str]] = []

    def base_rows(ids: list[str]) -> dict[str, dict[str, str]]:
        asked.append(ids)
        return {"n1": {"workshop": "CI2", "text": "Fritidsgård på lördagar", "on_board": "ja"}}
    found = left_out_of_recaps(values, "plan.xlsx", frozenset({"n1", "n2"}), base_rows, NOBODY)
    assert found == {"ci2": [("Fritidsgård på lördagar", ROW_DELETED)]}
    assert asked == [["n1"]]  # only the rows gone from the sheet are read back from the merge base


def test_a_forgotten_name_is_cut_from_the_left_out_texts():
    key = b"k" * 32
    hide = Suppression(key, frozenset({digest(key, NAME, "Amira Hassan")}))
    values = sheet(idea("n1", "CI2", "Fråga Amira Hassan om lokalen", in_recap="nej"))
    [(text, why)] = left_out_of_recaps(values, "plan.xlsx", frozenset(), no_base, hide)["ci2"]
    assert "Amira" not in text and "Hassan" not in text and why == SAID_NO


def test_the_cards_list_workshops_with_an_id_and_know_which_have_rows_in_the_tabs():
    values = sheet(idea("n1", "CI2", "Läxhjälp"))
    assert [row["id"] for row in workshop_rows(values, "plan.xlsx")] == ["CI2", "ci3"]
    assert workshops_in_sheet_tabs(values, "plan.xlsx") == frozenset({"ci2", "ci3"})
