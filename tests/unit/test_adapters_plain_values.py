"""Adapters are built from plain values in sync/app.py: none of them reads the settings itself."""
from __future__ import annotations

import ast
from pathlib import Path

SYNC = Path(__file__).resolve().parents[2] / "sync"


def imports_settings(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("settings"):
            return True
        if isinstance(node, ast.Import) and any(alias.name.endswith("settings") for alias in node.names):
            return True
    return False


def test_no_adapter_module_imports_settings():
    adapters = [p for folder in ("mural", "sheet", "web") for p in sorted((SYNC / folder).rglob("*.py"))]
    assert len(adapters) > 20  # the walk found the packages
    assert [str(p.relative_to(SYNC)) for p in adapters if imports_settings(p)] == []


def test_the_check_sees_an_import_of_settings(tmp_path):
    planted = tmp_path / "adapter.py"
    planted.write_text("from ..settings import Settings\n", encoding="utf-8")
    assert imports_settings(planted)
