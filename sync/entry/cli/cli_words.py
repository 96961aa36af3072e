"""The command line in the coordinator's language, from its first word: the language is known before the
arguments are parsed (BACKBONE_LANGUAGE in the environment, else in the settings file the command will use),
and argparse's own words ("usage:", "error:", "invalid choice") go through backbone's catalogs, so a mistyped
command answers in Swedish like every other error.

argparse looks its words up through the module-level `_` and `ngettext` it imported from gettext; during one
`backbone` command those are backbone's (`argparse_in_our_words`), and put back afterwards.
"""
from __future__ import annotations

import argparse
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from sync.core import i18n
from sync.core.i18n import N_

# argparse's messages a person can meet, marked so Babel puts them in the catalogs (argparse formats them with %).
ARGPARSE_WORDS = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"), N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"), N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"), N_("expected at most one argument"), N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"), N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
)


def language_before_parsing(argv: Sequence[str], environ: Mapping[str, str] | None = None,
                            cwd: Path | None = None) -> str:
    """BACKBONE_LANGUAGE as the command will see it: the environment's, else the settings file's (--settings FILE
    anywhere in argv, else ./settings.env). Never fails: a file that cannot be read says so later, in this
    language's default."""
    environ = os.environ if environ is None else environ
    chosen = environ.get("BACKBONE_LANGUAGE", "").strip().lower()
    if chosen in i18n.LANGUAGES:
        return chosen
    path = _settings_path(argv, Path.cwd() if cwd is None else cwd)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines() if path is not None else []
    except (OSError, UnicodeDecodeError):
        lines = []
    for line in lines:
        key, sep, value = line.strip().removeprefix("export ").partition("=")
        if sep and key.strip() == "BACKBONE_LANGUAGE":
            value = value.strip().strip("\"'").strip().lower()
            return value if value in i18n.LANGUAGES else "sv"
    return "sv"


def _settings_path(argv: Sequence[str], cwd: Path) -> Path | None:
    for position, word in enumerate(argv):
        if word == "--settings" and position + 1 < len(argv):
            return Path(argv[position + 1])
        if word.startswith("--settings="):
            return Path(word.partition("=")[2])
    default = cwd / "settings.env"
    return default if default.is_file() else None


@contextmanager
def argparse_in_our_words() -> Iterator[None]:
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = i18n._, i18n.ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
