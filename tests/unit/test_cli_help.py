"""Every command has help, and every command is in the README."""
from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from sync.entry.cli.main import build_parser, main

README = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")


def all_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield prefix + (name,), sub, helps.get(name)
                yield from all_commands(sub, prefix + (name,))


COMMANDS = list(all_commands(build_parser()))


def test_the_command_list_is_complete():
    names = {" ".join(path) for path, _, _ in COMMANDS}
    assert {"init", "sync", "report", "board", "template check", "runs", "mural login", "mural pull", "mural history", "serve",
            "settings"} <= names


@pytest.mark.parametrize("path,sub,summary", COMMANDS, ids=[" ".join(p) for p, _, _ in COMMANDS])
def test_every_command_has_help_and_is_in_the_readme(path, sub, summary, capsys):
    assert summary and sub.description, f"backbone {' '.join(path)} needs a help line and a description"
    with pytest.raises(SystemExit) as done:
        main([*path, "--help"])
    assert done.value.code == 0
    assert sub.description.split()[0] in capsys.readouterr().out
    if not sub._subparsers:  # leaf commands are documented by their full name
        assert f"backbone {' '.join(path)}" in README


def test_settings_command_masks_secrets(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BACKBONE_MURAL_CLIENT_SECRET", "s3cr3t-value")
    monkeypatch.setenv("BACKBONE_WEB_PASSWORD", "hunter2")
    assert main(["settings"]) == 0
    out = capsys.readouterr().out
    assert "s3cr3t-value" not in out and "hunter2" not in out and "BACKBONE_WEB_PASSWORD=********" in out
    assert out.splitlines()[0] == f"# ingen inställningsfil (settings.env finns inte i {tmp_path}): standardvärden och BACKBONE_*-variabler"
    (tmp_path / "settings.env").write_text("BACKBONE_LANGUAGE=en\n", "utf-8")
    assert main(["settings"]) == 0
    out = capsys.readouterr().out
    # BACKBONE_LANGUAGE=en in the file: the header is in English
    assert out.splitlines()[0] == f"# settings file: {tmp_path / 'settings.env'}" and "BACKBONE_LANGUAGE=en" in out


LEAVES = [path for path, sub, _ in COMMANDS if not sub._subparsers]
POSITIONAL = {"report": ["ci2"], "template check": ["t.docx"], "mural pull": ["m.1"], "mural history": ["m.1"],
              "miro pull": ["uXjVOD6Xk1E="], "miro history": ["uXjVOD6Xk1E="],
              "forget": ["Anna Berg"], "notify": ["--test"], "publish": ["ci2"]}


@pytest.mark.parametrize("path", LEAVES, ids=[" ".join(p) for p in LEAVES])
def test_every_command_takes_settings_before_or_after_its_name(path, capsys):
    with pytest.raises(SystemExit):
        main([*path, "--help"])
    assert "--settings FIL" in capsys.readouterr().out  # the placeholder in the chosen language
    command = [*path, *POSITIONAL.get(" ".join(path), [])]
    assert build_parser().parse_args(["--settings", "a.env", *command]).settings == "a.env"
    assert build_parser().parse_args([*command, "--settings", "b.env"]).settings == "b.env"
    assert build_parser().parse_args(command).settings is None


def test_help_and_usage_errors_speak_the_chosen_language(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BACKBONE_LANGUAGE", raising=False)
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("användning: backbone") and "visa den här hjälpen och avsluta" in out
    assert "show this help" not in out and "Keep the shared planning sheet" not in out
    with pytest.raises(SystemExit) as done:
        main(["raport"])
    assert done.value.code == 2
    assert "backbone: fel: argumentet KOMMANDO: ogiltigt val: 'raport' (välj bland 'board', 'report'" in capsys.readouterr().err
    (tmp_path / "settings.env").write_text("BACKBONE_LANGUAGE='en'\n", "utf-8")  # the settings file's language
    with pytest.raises(SystemExit):
        main(["report", "--lang", "fi"])
    assert "backbone report: error: argument --lang: invalid choice: 'fi' (choose from 'sv', 'en')" in capsys.readouterr().err
    monkeypatch.setenv("BACKBONE_LANGUAGE", "sv")  # the environment wins over the file, as for every setting
    with pytest.raises(SystemExit):
        main(["runs", "--limit", "many"])
    assert "ogiltigt värde (int): 'many'" in capsys.readouterr().err
    assert argparse._("usage: ") == "usage: "  # argparse's own words are put back after the command
