"""What `backbone forget` rewrites in the state database, table by table, and what it leaves and why.

Every column of every table that can hold text is in ERASED or in KEPT: tests/unit/test_erasure_coverage.py
fails when a table or a text column is added without a place here, so a new table cannot keep a forgotten
name by accident. Snapshots (zlib-packed JSON, hashed) are rewritten by StateStore itself.
"""
from __future__ import annotations

import json
import sqlite3

from sync.core.redact import NameEraser

# table -> column -> how it is read: "text" (the name is cut out), "json" (a JSON document walked), "export"
ERASED: dict[str, dict[str, str]] = {
    "runs": {"message": "text", "details": "json"},
    "base": {"value": "text"},
    "followups": {"details": "json"},
    "digests": {"subject": "text"},
    "intents": {"value": "text", "base": "text"},
    "snapshots": {"export": "export"},
    "published_posts": {"details": "json"},
}
KEPT: dict[str, dict[str, str]] = {  # text no person writes
    "runs": {"started": "a time", "ended": "a time", "result": "ok, partial, failed or dry-run"},
    "base": {"sheet": "the sheet's key or file", "tab": "a tab key", "row_id": "a MURAL widget id", "col": "a column key"},
    "snapshots": {"mural_id": "a MURAL board id", "sha256": "a content hash"},
    "followups": {"written": "a time"},
    "intents": {"sheet": "the sheet's key or file", "tab": "a tab key", "row_id": "a MURAL widget id",
                "header": "a sync-owned column's header"},
    "digests": {"sent": "a time", "overdue": "a JSON list of action IDs (MURAL widget ids)"},
    "suppressed": {"kind": "name or user", "digest": "a keyed hash, naming nobody"},
    "published_posts": {"site": "the website's address (BACKBONE_WORDPRESS_URL)", "workshop": "a workshop ID",
                        "updated": "a time"},
}


def _erased(eraser: NameEraser, how: str, value: object) -> object:
    if not isinstance(value, str):
        return value
    if how == "json":
        try:
            parsed = json.loads(value or "{}")
        except ValueError:
            return eraser.text(value)
        erased = eraser.json(parsed)
        return value if erased is parsed else json.dumps(erased, ensure_ascii=False)
    return eraser.text(value)


def erase_rows(db: sqlite3.Connection, eraser: NameEraser, *, apply: bool) -> dict[str, int]:
    """Every ERASED column but snapshots': rows naming the person, by table (rewritten when `apply`)."""
    changed = {}
    for table, columns in ERASED.items():
        if table == "snapshots":
            continue
        names = list(columns)
        updates = []
        for rowid, *values in db.execute(f"SELECT rowid, {', '.join(names)} FROM {table}").fetchall():
            new = [_erased(eraser, columns[c], v) for c, v in zip(names, values)]
            if new != values:
                updates.append((*new, rowid))
        if apply:
            db.executemany(f"UPDATE {table} SET {', '.join(c + ' = ?' for c in names)} WHERE rowid = ?", updates)
        changed[table] = len(updates)
    return changed
