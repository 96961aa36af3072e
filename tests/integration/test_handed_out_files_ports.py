"""The HandedOutFiles port: the folders on disk (sync/adapters/handed_out_files.py) and the in-memory fake the use-case
tests use answer alike, so `forget`'s tests over the fake hold for the real folders."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document

from sync.adapters.handed_out_files import FolderFiles
from sync.core.redact import NameEraser, name_removed
from tests.fakes.in_memory import InMemoryFiles

AMIRA = {"id": "u-amira", "firstName": "Amira", "lastName": "Hassan"}
EXPORT = {"widgets": [{"id": "w1", "type": "sticky note", "text": "Lokal", "createdBy": AMIRA}]}


def on_disk(root: Path) -> FolderFiles:
    recaps, boards = root / "reports", root / "boards"
    recaps.mkdir()
    boards.mkdir()
    named = Document()
    paragraph = named.add_paragraph("Förslag från ")
    paragraph.add_run("Amira").bold = True  # Word splits a name into runs
    paragraph.add_run(" Hassan om ljuset")
    named.save(recaps / "ci2.docx")
    other = Document()
    other.add_paragraph("Budget")
    other.save(recaps / "ci1.docx")
    (boards / "ci2.json").write_text(json.dumps(EXPORT), encoding="utf-8")
    return FolderFiles([recaps, boards])


def in_memory(root: Path) -> InMemoryFiles:
    return InMemoryFiles({root / "reports" / "ci2.docx": "Förslag från Amira Hassan om ljuset",
                          root / "reports" / "ci1.docx": "Budget", root / "boards" / "ci2.json": json.dumps(EXPORT)})


@pytest.fixture(params=["folders", "memory"])
def files(request, tmp_path):
    return (on_disk if request.param == "folders" else in_memory)(tmp_path)


def test_the_files_naming_the_person_and_the_user_ids_they_carry(files, tmp_path):
    eraser = NameEraser("Amira Hassan", name_removed("sv"))
    named = files.naming(eraser)
    assert sorted(named) == [tmp_path / "boards" / "ci2.json", tmp_path / "reports" / "ci2.docx"]
    assert files.user_ids(named, eraser) == {"u-amira"}
    assert files.naming(NameEraser("Per Persson", name_removed("sv"))) == []


def test_a_pdf_goes_with_the_docx_it_was_made_from(tmp_path):
    folder_files = on_disk(tmp_path)
    (tmp_path / "reports" / "ci2.pdf").write_bytes(b"%PDF-1.4 compressed")
    (tmp_path / "reports" / "ci1.pdf").write_bytes(b"%PDF-1.4 compressed")
    named = folder_files.naming(NameEraser("Amira Hassan", name_removed("sv")))
    assert tmp_path / "reports" / "ci2.pdf" in named and tmp_path / "reports" / "ci1.pdf" not in named
