"""No message a coordinator can read (in sync/ and reports/) is written as a bare English string: every error backbone reports, every
warning and progress line, and every line a command prints goes through the catalogs (sync/core/i18n.py), so a
Swedish sheet, page or terminal never shows an English sentence. Checked on the source, so a new bare message
fails here before anyone sees it."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from sync.adapters.mural import mural_http as http  # noqa: F401  (defines the MURAL errors, subclasses of BackboneError)
from sync.core import errors, i18n

SYNC = Path(i18n.__file__).resolve().parent
PACKAGES = (SYNC, SYNC.parent / "reports")  # the service, and the report builder whose template errors people read
WORD = re.compile(r"[A-Za-zÅÄÖåäö]{2,}")
PHRASE = re.compile(r"[A-Za-z]{2,}[ ,.:;()'`-]+[A-Za-z]{2,}")  # two words: a sentence, not a key or a format


def error_classes(base: type = errors.BackboneError) -> set[str]:
    found = {base.__name__}
    for sub in base.__subclasses__():
        found |= error_classes(sub)
    return found


# Calls whose first argument a person reads: our named errors, warnings, progress lines, printed output.
SHOWN = error_classes() | {"warn", "warning_line", "progress", "print"}


def literal_words(node: ast.expr) -> str:
    """The literal text of a string or f-string argument (a translated `_(...)` call is no literal)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):  # "..." + "..." or "..." % x
        return literal_words(node.left) + literal_words(node.right)
    if isinstance(node, ast.IfExp):
        return literal_words(node.body) + " " + literal_words(node.orelse)
    return ""


def called_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def shown_text(node: ast.AST) -> str:
    """The literal words of what `node` hands to a person: a shown call's message, or a sentence a helper
    returns or collects into lines (e.g. a busy message built by a function, an outline's lines)."""
    if isinstance(node, ast.Call) and node.args:
        if called_name(node) in SHOWN:
            text = literal_words(node.args[0])
            return text if WORD.search(text) else ""
        if called_name(node) in ("append", "extend"):
            text = literal_words(node.args[0])
            return text if PHRASE.search(text) else ""
    if isinstance(node, ast.Return) and node.value is not None:
        text = literal_words(node.value)
        return text if PHRASE.search(text) else ""
    return ""


def bare_messages() -> list[str]:
    found = []
    for path in sorted(p for package in PACKAGES for p in package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name != "__repr__")]:
            for node in ast.walk(function) if function is not tree else ast.iter_child_nodes(tree):
                text = shown_text(node)
                if text:
                    found.append(f"{path.relative_to(SYNC.parent)}:{node.lineno}: {text[:70]!r}")
    return sorted(set(found))


@pytest.mark.slow
def test_every_shown_message_goes_through_the_catalogs():
    assert not bare_messages(), "bare English messages (wrap them in _() or ngettext, then `make catalogs`):\n" + \
        "\n".join(bare_messages())


def test_the_check_sees_a_bare_message():
    tree = ast.parse('raise ConfigError(f"BACKBONE_X={x!r}: use one of a, b")\nraise ConfigError(_("ok {x}").format(x=1))')
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and called_name(n) in SHOWN]
    assert [bool(WORD.search(literal_words(c.args[0]))) for c in calls] == [True, False]
