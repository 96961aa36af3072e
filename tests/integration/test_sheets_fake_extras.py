"""The fake Sheets API's structural requests, through its HTTP API, in the shapes of the API reference
(developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request): sortRange, moveDimension,
insertDimension, protected ranges, data validation, developer metadata, frozen rows, grid data, the
`fields` mask, includeValuesInResponse, the hold of a request while a person edits, a request applied after
its client gave up, and one applied and then left unanswered."""
from __future__ import annotations

import pytest
import requests

from tests.fakes.sheets_api import FakeSheetsServer

KEY = "extras-spreadsheet"


@pytest.fixture
def api():
    with FakeSheetsServer(KEY, require_auth=False) as fake:
        fake.set_values("Idéer", [["ID", "Text"], ["b", "Beta"], ["a", "Alfa"], ["c", "Gamma"]])
        base = f"{fake.url}/v4/spreadsheets/{KEY}"

        def batch(*reqs, status=200):
            answer = requests.post(f"{base}:batchUpdate", json={"requests": list(reqs)}, timeout=5)
            assert answer.status_code == status, answer.text
            return answer.json()
        yield fake, base, batch, fake.spreadsheet(KEY).sheet("Idéer").sheet_id


def test_sort_move_and_insert_rearrange_cells_as_sheets_does(api):
    fake, _, batch, sid = api
    batch({"sortRange": {"range": {"sheetId": sid, "startRowIndex": 1, "endRowIndex": 4},
                         "sortSpecs": [{"dimensionIndex": 1, "sortOrder": "ASCENDING"}]}})
    assert fake.values("Idéer")[1:] == [["a", "Alfa"], ["b", "Beta"], ["c", "Gamma"]]
    batch({"moveDimension": {"source": {"sheetId": sid, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1},
                             "destinationIndex": 2}})  # before index 2 in pre-move coordinates: after Text
    assert fake.values("Idéer")[0] == ["Text", "ID"]
    batch({"insertDimension": {"range": {"sheetId": sid, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}}})
    assert fake.values("Idéer")[1:3] == [[], ["Alfa", "a"]]


def test_guides_show_in_the_metadata_and_adding_twice_adds_twice(api):
    fake, base, batch, sid = api
    protect = {"addProtectedRange": {"protectedRange": {"range": {"sheetId": sid, "startColumnIndex": 0, "endColumnIndex": 1},
                                                        "description": "sync", "warningOnly": True}}}
    reply = batch(protect, {"updateSheetProperties": {"properties": {"sheetId": sid, "gridProperties": {"frozenRowCount": 1}},
                                                      "fields": "gridProperties.frozenRowCount"}},
                  {"createDeveloperMetadata": {"developerMetadata": {"metadataKey": "k", "metadataValue": "v",
                                                                     "location": {"sheetId": sid}, "visibility": "DOCUMENT"}}})
    assert reply["replies"][0]["addProtectedRange"]["protectedRange"]["protectedRangeId"]
    batch(protect)
    sheet = next(s for s in requests.get(base, timeout=5).json()["sheets"] if s["properties"]["sheetId"] == sid)
    assert len(sheet["protectedRanges"]) == 2  # not idempotent: read what exists before adding
    assert sheet["properties"]["gridProperties"]["frozenRowCount"] == 1
    assert sheet["developerMetadata"][0]["location"] == {"locationType": "SHEET", "sheetId": sid}
    editors = {"addProtectedRange": {"protectedRange": {"range": {"sheetId": sid}, "warningOnly": True,
                                                        "editors": {"users": ["a@example.com"]}}}}
    assert "warning-only" in batch(editors, status=400)["error"]["message"]


def test_grid_data_for_a_range_and_the_fields_mask(api):
    _, base, _, _ = api
    answer = requests.get(base, params={"includeGridData": "true", "ranges": "'Idéer'",
                                        "fields": "properties.title,sheets(properties.title,data.rowData.values.formattedValue)"},
                          timeout=5).json()
    assert answer["properties"] == {"title": "Backbone plan"}
    sheets = {s["properties"]["title"]: s for s in answer["sheets"]}
    assert sheets["Sheet1"] == {"properties": {"title": "Sheet1"}}
    assert sheets["Idéer"]["data"][0]["rowData"][1] == {"values": [{"formattedValue": "b"}, {"formattedValue": "Beta"}]}
    assert requests.get(base, params={"includeGridData": "true", "ranges": "'Nope'"}, timeout=5).status_code == 400
    rule = {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "Klar"}]}, "strict": False, "showCustomUi": True}
    sid = api[3]
    api[2]({"setDataValidation": {"range": {"sheetId": sid, "startRowIndex": 1, "startColumnIndex": 1, "endColumnIndex": 2},
                                  "rule": rule}})
    cell = requests.get(base, params={"includeGridData": "true", "ranges": "'Idéer'!B2"}, timeout=5).json()
    assert next(s for s in cell["sheets"] if "data" in s)["data"][0]["rowData"][0]["values"][0]["dataValidation"] == rule


def test_a_held_write_is_served_after_the_persons_edit_and_answers_the_block_as_it_stands(api):
    fake, base, batch, sid = api
    fake.hold_next("values:batchUpdate", lambda book: book.batch_update({"requests": [{"insertDimension": {"range": {
        "sheetId": sid, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}}}]}))
    answer = requests.post(f"{base}/values:batchUpdate", timeout=5, json={
        "valueInputOption": "RAW", "includeValuesInResponse": True,
        "data": [{"range": "'Idéer'!A1:B1000", "values": [[None, None], [None, "Beta 2"]]}]}).json()
    assert answer["responses"][0]["updatedData"]["values"] == [["ID", "Text"], ["", "Beta 2"], ["b", "Beta"],
                                                               ["a", "Alfa"], ["c", "Gamma"]]
    assert answer["totalUpdatedCells"] == 1  # nulls leave cells as they are and are not counted


@pytest.mark.slow
def test_a_request_held_past_its_clients_timeout_is_applied_late_after_a_persons_edit(api):
    fake, base, _, sid = api
    inserted = []

    def person(book):  # a row inserted under the header just before Google gets to the request
        book.batch_update({"requests": [{"insertDimension": {"range": {
            "sheetId": sid, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}}}]})
        inserted.append(True)
    fake.late_next(0.5, path="values:batchUpdate", person=person)
    body = {"valueInputOption": "RAW", "data": [{"range": "'Idéer'!B2", "values": [["Beta 2"]]}]}
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.post(f"{base}/values:batchUpdate", json=body, timeout=0.2)
    assert fake.values("Idéer")[1] == ["b", "Beta"] and not inserted  # not yet
    fake.settle()
    assert fake.values("Idéer")[1:3] == [["", "Beta 2"], ["b", "Beta"]]  # by position, into the moved rows


def test_a_request_applied_then_dropped_has_no_answer_but_is_applied(api):
    fake, base, _, _ = api
    fake.apply_then_drop(path="values:batchUpdate")
    body = {"valueInputOption": "RAW", "data": [{"range": "'Idéer'!B2", "values": [["Beta 2"]]}]}
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(f"{base}/values:batchUpdate", json=body, timeout=5)
    assert fake.values("Idéer")[1] == ["b", "Beta 2"]
    assert fake.api_requests()[-1].status is None
