"""`backbone --help` starts fast because the CLI imports, when it is imported, only what parsing needs (issue 23).

The walk reads the sources, no process: from sync/entry/cli/main.py (and the packages around it) it follows every
import that runs at import time (module level, class bodies, try/if blocks; not function bodies, not
`if TYPE_CHECKING:`) through backbone's own modules, and names every module reached. A heavy library, or the
wiring that imports them all, imported at the top of any module on that path fails here with the path that
reaches it. The subprocess test checks the same in a real interpreter, after `--help` has run.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = "sync.entry.cli.main"

# The libraries a command may need but parsing never does, and backbone's modules that import them at their top.
HEAVY_LIBRARIES = ("docx", "docxtpl", "jinja2", "lxml", "openpyxl", "python_calamine", "xlsxwriter", "gspread", "google",
                   "requests", "urllib3", "tenacity", "flask", "werkzeug", "waitress", "apscheduler", "matplotlib", "PIL",
                   "sqlite3", "smtplib", "email")
HEAVY_OURS = ("sync.bootstrap", "sync.settings", "sync.schedule", "sync.usecases", "sync.adapters", "sync.entry.web",
              "reports")


def source_of(module: str, root: Path = ROOT) -> Path | None:
    """The module's file when it is one of the project's (under `root`), else None: a library is not followed."""
    base = root.joinpath(*module.split("."))
    for path in (base / "__init__.py", base.with_suffix(".py")):
        if path.is_file():
            return path
    return None


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_at_import_time(module: str, tree: ast.Module, root: Path = ROOT) -> list[str]:
    """The modules `module`'s own code imports when it is imported (absolute names, submodules included)."""
    path = source_of(module, root)
    package = module if path is not None and path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[str] = []

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Import):
                found.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: from the package, one level up per extra dot
                    base = package.split(".")
                    base = base[:len(base) - node.level + 1]
                    origin = ".".join(base + ([node.module] if node.module else []))
                else:
                    origin = node.module or ""
                if origin == "__future__":
                    continue
                found.append(origin)
                found.extend(f"{origin}.{alias.name}" for alias in node.names if source_of(f"{origin}.{alias.name}", root))
            elif isinstance(node, ast.If):
                if not _type_checking(node.test):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(node, (ast.With, ast.For, ast.While)):
                visit(node.body)
                visit(node.orelse if not isinstance(node, ast.With) else [])
            elif isinstance(node, ast.ClassDef):  # a class body runs at import; a function body does not
                visit(node.body)

    visit(tree.body)
    return found


def reached_from(start: str, root: Path = ROOT) -> dict[str, str]:
    """Every module importing `start` imports, each with the chain of imports that reaches it."""
    def with_parents(name: str) -> list[str]:  # importing a.b.c runs a and a.b first
        parts = name.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]

    chains: dict[str, str] = {}
    todo = [(name, name) for name in with_parents(start)]
    while todo:
        module, chain = todo.pop()
        if module in chains:
            continue
        chains[module] = chain
        path = source_of(module, root)
        if path is None:  # a library or the standard library: reached, not followed
            continue
        for imported in imports_at_import_time(module, ast.parse(path.read_text("utf-8")), root):
            for name in with_parents(imported):
                todo.append((name, f"{chain} -> {name}"))
    return chains


def heavy(chains: dict[str, str]) -> dict[str, str]:
    return {name: chain for name, chain in chains.items()
            if name.split(".")[0] in HEAVY_LIBRARIES or any(name == h or name.startswith(h + ".") for h in HEAVY_OURS)}


def test_importing_the_cli_imports_no_heavy_library_nor_the_wiring():
    chains = reached_from(CLI)
    assert "argparse" in chains and "sync.core.i18n" in chains  # the walk follows the imports it should
    assert heavy(chains) == {}, "imported when the CLI is imported (make it a lazy import in the command that needs it)"


def test_the_walk_finds_a_heavy_import_where_there_is_one(tmp_path: Path):
    """The check above can fail: a heavy import two modules away, at the top of a module, is found with its path;
    the same import inside a function, or for the type checker only, is not."""
    package = tmp_path / "sync"
    (package / "entry").mkdir(parents=True)
    (package / "__init__.py").write_text("", "utf-8")
    (package / "entry" / "__init__.py").write_text("", "utf-8")
    (package / "entry" / "cli.py").write_text("from __future__ import annotations\nfrom typing import TYPE_CHECKING\n"
                                              "from . import words\nif TYPE_CHECKING:\n    import flask\n", "utf-8")
    (package / "entry" / "words.py").write_text("import argparse\nfrom sync import wiring\n", "utf-8")
    (package / "wiring.py").write_text("import openpyxl\ndef report():\n    import docxtpl\n", "utf-8")
    found = heavy(reached_from("sync.entry.cli", tmp_path))
    assert found == {"openpyxl": "sync.entry.cli -> sync.entry.words -> sync.wiring -> openpyxl"}
    tree = ast.parse("import typing\nif typing.TYPE_CHECKING:\n    import openpyxl\nelse:\n    import sqlite3\ntry:\n"
                     "    import flask\nexcept ImportError:\n    pass\nclass A:\n    import gspread\ndef f():\n    import matplotlib\n")
    assert imports_at_import_time("x", tree) == ["typing", "sqlite3", "flask", "gspread"]


@pytest.mark.subprocess
def test_after_help_no_heavy_module_is_loaded():
    code = ("import sys\nfrom sync.entry.cli.main import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('-- modules --', *sorted(sys.modules), sep='\\n')")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    help_text, _, modules = done.stdout.partition("-- modules --\n")
    loaded = set(modules.split())
    assert "backbone" in help_text
    assert "sync.entry.cli.main" in loaded
    assert heavy({name: name for name in loaded}) == {}
