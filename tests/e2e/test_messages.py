"""Messages that mislead no more (issue 18): each says what is wrong in Swedish, with the exit code a person
or a script can act on, and bad input records no failed run."""
from __future__ import annotations

import dataclasses
import errno
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

import reports.docx_recap
import reports.pdf
from sync.bootstrap import Backbone
from sync.entry.cli.main import main
from sync.entry.web import create_app
from sync.settings import load_settings
from tests.fakes.libreoffice import soffice_that_makes_no_pdf

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not on PATH")


def test_an_unknown_workshop_lists_the_ids_and_records_no_run(example, capsys):
    assert main(["sync", "--workshop", "ci9"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1] == ("backbone: fel: ingen workshop med ID 'ci9' i fliken Workshops (ID:n där: "
                                            "ci1, ci2, ci3, ci4)")
    backbone = Backbone(load_settings(example / "settings.env", environ={}))
    assert backbone.state.runs(5) == []  # a typo is no failed night
    health = create_app(backbone).test_client().get("/health")
    assert health.status_code == 200 and health.get_json()["status"] == "ok"
    assert main(["runs"]) == 0 and "misslyckades" not in capsys.readouterr().out


def test_a_missing_boards_folder_is_named_with_its_setting(example, capsys):
    settings = (example / "settings.env").read_text("utf-8")
    (example / "settings.env").write_text(settings.replace("files:boards", "files:bords"), "utf-8")
    assert main(["sync"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1] == (f"backbone: fel: {example / 'bords'}: mappen med tavlor finns inte; kontrollera "
                                            "BACKBONE_BOARDS (files:MAPP, mappen med sparade tavelexporter)")
    assert "mural pull" not in err
    assert main(["report", "ci2"]) == 2
    err = capsys.readouterr().err
    assert "mappen med tavlor finns inte; kontrollera BACKBONE_BOARDS" in err and "mural pull" not in err


def test_settings_shows_absolute_paths_and_true_or_false(example, capsys):
    assert main(["settings"]) == 0
    shown = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines() if not line.startswith("#"))
    assert shown["BACKBONE_INCLUDE_HIDDEN"] == "false" and shown["BACKBONE_MAIL_ATTACH_RECAPS"] == "false"
    assert shown["BACKBONE_MURAL_TOKEN_FILE"] == str(example / "var" / "mural-token.json")
    assert not any(re.fullmatch(r"True|False", value) for value in shown.values())


def test_help_placeholders_are_swedish_and_english_in_english(example, capsys, monkeypatch):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    assert "--template FIL" in out and "--out SÖKVÄG" in out and "--since DATUM" in out and "FILE" not in out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "KOMMANDO" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["forget", "--help"])
    assert "[NAMN]" in capsys.readouterr().out
    monkeypatch.setenv("BACKBONE_LANGUAGE", "en")
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    assert "--template FILE" in out and "--since DATE" in out and "FIL " not in out


def test_a_report_on_a_full_disk_names_the_full_disk(example, capsys, monkeypatch):
    def full_disk(template, path: Path) -> None:
        path.write_bytes(b"PK\x03\x04")  # a few bytes made it, then the disk was full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(reports.docx_recap, "_write_docx", full_disk)
    assert main(["report", "ci2"]) == 1
    err = capsys.readouterr().err
    out_dir = example / "reports"
    line = err.strip().splitlines()[-1]
    assert line.startswith(f"backbone: fel: {out_dir}/") and line.endswith(
        ": disken är full, så rapporten kunde inte skrivas; frigör utrymme och kör igen (inget skrevs)")
    assert "OSError" not in err and "oväntat" not in err
    assert not out_dir.exists() or list(out_dir.iterdir()) == []  # no half-written recap, no temporary left


FULL = ": disken är full, så rapporten kunde inte skrivas; frigör utrymme och kör igen (inget skrevs)"


@needs_soffice
@pytest.mark.libreoffice
def test_a_full_disk_while_the_pdf_is_copied_into_the_reports_folder_is_named(example, capsys, monkeypatch):
    def full_disk(made: Path, path: Path) -> None:
        path.write_bytes(made.read_bytes()[:100])  # part of it made it, then the disk was full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(reports.pdf, "_copy_pdf", full_disk)
    assert main(["report", "ci2", "--pdf"]) == 1
    err = capsys.readouterr().err
    out_dir = example / "reports"
    [docx] = list(out_dir.iterdir())  # the Word recap, whole; no half-written PDF, no temporary left
    assert docx.suffix == ".docx"
    assert err.strip().splitlines()[-1] == f"backbone: fel: {docx.with_suffix('.pdf')}{FULL}"
    assert "OSError" not in err and "oväntat" not in err


@pytest.mark.subprocess
def test_a_full_disk_while_libreoffice_writes_the_pdf_is_named(example, capsys, monkeypatch, tmp_path):
    """LibreOffice makes no PDF and says only its own store error: when the disk it wrote to has no room, that
    is what the person hears; when it has room, LibreOffice's words."""
    soffice_that_makes_no_pdf(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    assert main(["report", "ci2", "--pdf"]) == 1
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line.startswith("backbone: fel: LibreOffice kunde inte göra en PDF av ") and "Code:26" in line

    def no_room(room, size: int) -> None:
        room.write(b"%PDF")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(reports.pdf, "_write_room", no_room)
    shutil.rmtree(example / "reports")
    assert main(["report", "ci2", "--pdf"]) == 1
    err = capsys.readouterr().err
    [docx] = list((example / "reports").iterdir())
    assert err.strip().splitlines()[-1] == f"backbone: fel: {docx.with_suffix('.pdf')}{FULL}"
    assert "LibreOffice" not in err and not list(Path(tempfile.gettempdir()).glob("backbone-pdf-*/*.room"))


def test_the_run_lock_is_never_followed_through_a_symlink(example, capsys):
    precious = example / "precious.txt"
    precious.write_text("keep me\n", "utf-8")
    (example / "var").mkdir()
    (example / "var" / "backbone.sqlite3.lock").symlink_to(precious)
    assert main(["sync"]) == 2
    lock = example / "var" / "backbone.sqlite3.lock"
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"backbone: fel: {lock}: körningslåset är en symbolisk länk, och backbone följer inte länkar; ta bort den "
        "(nästa synk skapar låset igen)")
    assert precious.read_text("utf-8") == "keep me\n"
    lock.unlink()
    assert main(["sync"]) == 0


def test_a_run_number_beyond_any_integer_is_not_found(example):
    backbone = Backbone(dataclasses.replace(load_settings(example / "settings.env", environ={})))
    backbone.sync()
    client = create_app(backbone).test_client()
    answer = client.get("/runs/99999999999999999999999")
    assert answer.status_code == 404 and "Sidan finns inte." in answer.get_data(as_text=True)
    assert client.get("/runs/1").status_code == 200


def test_a_typo_in_the_settings_file_gets_the_setting_meant(example, capsys):
    settings = (example / "settings.env").read_text("utf-8")
    (example / "settings.env").write_text(settings.replace("BACKBONE_LANGUAGE=", "BACKBONE_LANGAUGE="), "utf-8")
    assert main(["sync"]) == 2
    assert capsys.readouterr().err == (f"backbone: fel: {example / 'settings.env'}: okänd inställning BACKBONE_LANGAUGE i "
                                       "inställningsfilen (menade du BACKBONE_LANGUAGE?); se settings.example.env för "
                                       "namnen\n")


def test_a_misspelt_variable_is_a_swedish_warning_without_a_logger_prefix(example, capsys, monkeypatch):
    monkeypatch.setenv("BACKBONE_INCLUDE_HIDEN", "true")
    assert main(["settings"]) == 0
    err = capsys.readouterr().err
    assert err == ("varning: miljövariabeln BACKBONE_INCLUDE_HIDEN är ingen inställning i backbone och hoppas över "
                   "(menade du BACKBONE_INCLUDE_HIDDEN?); se settings.example.env för namnen\n")
    assert "WARNING" not in err and "sync.settings" not in err
