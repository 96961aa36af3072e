"""Settings: environment over file, paths relative to the file, clear errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from sync.core import i18n
from sync.core.errors import ConfigError
from sync.settings import load_settings, require_settings


def write(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "conf"
    folder.mkdir()
    (folder / "settings.env").write_text(text, "utf-8")
    return folder / "settings.env"


def test_paths_in_a_file_are_relative_to_the_file_and_the_environment_wins(tmp_path):
    path = write(tmp_path, "# comment\nBACKBONE_SHEET=xlsx:plan.xlsx\nBACKBONE_BOARDS=files:boards\n"
                           "BACKBONE_STATE='var/s.sqlite3'\nBACKBONE_LANGUAGE=en\nBACKBONE_ORGANISATION=CI Biskopsgården\n")
    settings = load_settings(path, environ={"BACKBONE_LANGUAGE": "sv"}, cwd=tmp_path)
    assert settings.sheet == f"xlsx:{path.parent / 'plan.xlsx'}"
    assert settings.boards == f"files:{path.parent / 'boards'}"
    assert settings.state == str(path.parent / "var/s.sqlite3")
    assert settings.language == "sv" and settings.organisation == "CI Biskopsgården"


def test_settings_env_in_the_current_folder_is_read_by_default(tmp_path):
    path = write(tmp_path, "BACKBONE_SCHEDULE=30 3 * * *\n")
    assert load_settings(environ={}, cwd=path.parent).schedule == "30 3 * * *"
    assert load_settings(environ={}, cwd=tmp_path).schedule == "0 2 * * *"


@pytest.mark.parametrize("text,message", [
    ("BACKBONE_SHEETS=xlsx:a.xlsx\n", "okänd inställning BACKBONE_SHEETS i inställningsfilen"),
    ("just words\n", "rad 1: väntade BACKBONE_NAMN=värde"),
    ("BACKBONE_HTTP_TIMEOUT=soon\n", "BACKBONE_HTTP_TIMEOUT='soon': väntade ett tal"),
    ("BACKBONE_INCLUDE_HIDDEN=maybe\n", "BACKBONE_INCLUDE_HIDDEN='maybe': väntade true eller false"),
    ("BACKBONE_LANGUAGE=de\n", "BACKBONE_LANGUAGE='de': använd sv eller en"),
    ("BACKBONE_SCHEDULE=every night\n", "BACKBONE_SCHEDULE='every night' är inget cron-schema \\(2 fält i stället för 5\\)"),
    ("BACKBONE_SCHEDULE=0 25 * * *\n", "BACKBONE_SCHEDULE='0 25 \\* \\* \\*' är inget cron-schema \\(timmen '25' är inte 0-23"),
    ("BACKBONE_TIMEZONE=Europe/Stockhlm\n", "BACKBONE_TIMEZONE='Europe/Stockhlm': inte en tidszon; ange ett namn som Europe/Stockholm"),
    ("BACKBONE_MURAL_CLIENT_AUTH=post\n", "BACKBONE_MURAL_CLIENT_AUTH='post': använd basic eller body"),
])
def test_bad_settings_are_one_clear_line(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, text), environ={}, cwd=tmp_path)


def test_sheet_and_board_kinds_are_checked():
    settings = load_settings(environ={"BACKBONE_SHEET": "excel:plan.xlsx", "BACKBONE_BOARDS": "ftp:x"}, cwd=Path("/nonexistent"))
    with pytest.raises(ConfigError, match="BACKBONE_SHEET='excel:plan.xlsx': använd xlsx:SÖKVÄG .* eller gsheet:NYCKEL"):
        settings.sheet_kind()
    with pytest.raises(ConfigError, match="BACKBONE_BOARDS='ftp:x': använd files:MAPP .* mural .* eller miro"):
        settings.boards_kind()
    with i18n.speaking("en"), pytest.raises(ConfigError, match="use files:DIR for saved exports, mural .* or miro"):
        settings.boards_kind()


def test_a_bad_line_in_english_names_the_file_and_the_line(tmp_path):
    path = write(tmp_path, "BACKBONE_LANGUAGE=sv\nnot a setting\n")
    with i18n.speaking("en"), pytest.raises(ConfigError) as caught:
        load_settings(path, environ={}, cwd=tmp_path)
    assert str(caught.value) == f"{path}, line 2: expected BACKBONE_NAME=value (no '=' on the line)"


def test_a_misspelt_environment_variable_is_named_with_the_setting_meant(tmp_path, capsys):
    settings = load_settings(environ={"BACKBONE_LANGAUGE": "en", "BACKBONE_SHEET": "xlsx:a.xlsx"}, cwd=tmp_path)
    assert settings.language == "sv"  # ignored, but not silently, and without a logger's English prefix:
    said = capsys.readouterr().err
    assert said == ("varning: miljövariabeln BACKBONE_LANGAUGE är ingen inställning i backbone och hoppas över (menade "
                    "du BACKBONE_LANGUAGE?); se settings.example.env för namnen\n")
    with i18n.speaking("en"):
        load_settings(environ={"BACKBONE_LANGAUGE": "en"}, cwd=tmp_path)
    assert capsys.readouterr().err.startswith("warning: environment variable BACKBONE_LANGAUGE is not a backbone setting")


def test_a_misspelt_name_in_the_settings_file_gets_the_setting_meant_too(tmp_path):
    path = write(tmp_path, "BACKBONE_LANGUAGE=sv\nBACKBONE_LANGAUGE=en\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={}, cwd=tmp_path)
    assert str(caught.value) == (f"{path}: okänd inställning BACKBONE_LANGAUGE i inställningsfilen (menade du "
                                 "BACKBONE_LANGUAGE?); se settings.example.env för namnen")
    assert caught.value.exit_code == 2
    far = tmp_path / "other.env"
    far.write_text("BACKBONE_COLOUR=blue\n", "utf-8")
    with i18n.speaking("en"), pytest.raises(ConfigError) as caught:
        load_settings(far, environ={}, cwd=tmp_path)
    assert str(caught.value) == f"{far}: unknown setting BACKBONE_COLOUR in the settings file; see settings.example.env for the names"


def test_shown_settings_have_absolute_paths_and_booleans_as_written_in_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shown = load_settings(write(tmp_path, "BACKBONE_INCLUDE_HIDDEN=ja\n"), environ={}, cwd=tmp_path).safe_items()
    assert shown["BACKBONE_INCLUDE_HIDDEN"] == "true" and shown["BACKBONE_MAIL_ATTACH_RECAPS"] == "false"
    # the default token file is relative to the folder backbone runs in: shown as the file it is
    assert shown["BACKBONE_MURAL_TOKEN_FILE"] == str(tmp_path / "var" / "mural-token.json")
    for key in ("BACKBONE_STATE", "BACKBONE_REPORTS_DIR", "BACKBONE_MURAL_TOKEN_FILE"):
        assert Path(shown[key]).is_absolute(), key
    assert shown["BACKBONE_SHEET"].startswith("xlsx:/") and shown["BACKBONE_BOARDS"].startswith("files:/")
    assert shown["BACKBONE_TEMPLATE"] == ""  # empty stays empty: the bundled template


def test_no_settings_anywhere_says_where_it_looked_and_what_to_do(tmp_path):
    with pytest.raises(ConfigError) as caught:
        require_settings(None, environ={"PATH": "/usr/bin"}, cwd=tmp_path)
    message = str(caught.value)
    assert f"ingen settings.env i {tmp_path}" in message and "ingen BACKBONE_*-miljövariabel" in message
    assert "--settings FIL" in message and "settings.example.env" in message
    require_settings(None, environ={"BACKBONE_SHEET": "gsheet:abc"}, cwd=tmp_path)  # the environment is enough
    write(tmp_path, "BACKBONE_LANGUAGE=sv\n")
    require_settings(None, environ={}, cwd=tmp_path / "conf")  # so is ./settings.env


@pytest.mark.parametrize("line,named", [("BACKBONE_SCHEDULE=nightly", "BACKBONE_SCHEDULE"),
                                        ("BACKBONE_TIMEZONE=Mars/Olympus", "BACKBONE_TIMEZONE"),
                                        ("BACKBONE_MURAL_CLIENT_AUTH=header", "BACKBONE_MURAL_CLIENT_AUTH")])
def test_backbone_settings_names_a_bad_setting_in_one_line(tmp_path, capsys, line, named):
    from sync.entry.cli.main import main
    path = write(tmp_path, line + "\n")
    assert main(["--settings", str(path), "settings"]) == 2
    err = capsys.readouterr().err.strip()
    assert named in err and "\n" not in err and "Traceback" not in err


def test_every_setting_is_documented_in_the_example_settings_file():
    from dataclasses import fields

    from sync.settings import Settings
    example = (Path(__file__).resolve().parents[2] / "settings.example.env").read_text("utf-8")
    missing = [f"BACKBONE_{f.name.upper()}" for f in fields(Settings) if f"BACKBONE_{f.name.upper()}=" not in example]
    assert missing == []


def test_the_workbook_wait_is_minutes_within_a_day(tmp_path):
    assert load_settings(environ={}, cwd=tmp_path).workbook_wait == 30
    assert load_settings(environ={"BACKBONE_WORKBOOK_WAIT": "0"}, cwd=tmp_path).workbook_wait == 0
    with pytest.raises(ConfigError, match="BACKBONE_WORKBOOK_WAIT=-1.0: ange hur många minuter"):
        load_settings(environ={"BACKBONE_WORKBOOK_WAIT": "-1"}, cwd=tmp_path)
