"""Where the suppression list lives: the `suppressed` table of the state database, and its key beside it.

The key is 32 random bytes in `<state>.key`, made 0600 on first need (the first `forget --apply`). It is
never printed, logged or written to the sheet. Hashes without their key recognise nobody: a state
database whose list is not empty but whose key file is gone stops with a message, rather than let a
forgotten name back in.
"""
from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from sync.core.errors import ConfigError
from sync.core.i18n import _
from sync.core.suppression import NAME, USER, Suppression, digest


def key_path(state: Path) -> Path:
    return state.with_name(state.name + ".key")


def read_key(state: Path, *, create: bool) -> bytes | None:
    """The installation's key; made (0600, never overwritten) when `create` and none exists yet."""
    path = key_path(state)
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(handle, "w", encoding="ascii") as out:
                out.write(secrets.token_hex(32) + "\n")
    try:
        text = path.read_text("ascii").strip()
        return bytes.fromhex(text) if len(text) == 64 else _bad_key(path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return _bad_key(path)


def _bad_key(path: Path) -> bytes:
    raise ConfigError(_("{path}: the key of the list of forgotten people is unreadable; restore the file from a "
                        "backup (without it forgotten people are not recognised, so backbone stops)").format(path=path))


def load(db: sqlite3.Connection, state: Path) -> Suppression:
    rows = db.execute("SELECT kind, digest FROM suppressed").fetchall()
    if not rows:
        return Suppression()
    key = read_key(state, create=False)
    if key is None:
        raise ConfigError(_("{path}: the key of the list of forgotten people is missing; restore the file from a "
                            "backup (without it forgotten people are not recognised, so backbone stops)").format(
                                path=key_path(state)))
    return Suppression(key, frozenset(d for k, d in rows if k == NAME), frozenset(d for k, d in rows if k == USER))


def add(db: sqlite3.Connection, state: Path, name: str, user_ids: Iterable[str]) -> None:
    key = read_key(state, create=True)
    assert key is not None  # just made when missing
    rows = [(NAME, digest(key, NAME, name))] + [(USER, digest(key, USER, u)) for u in sorted(set(user_ids))]
    db.executemany("INSERT OR IGNORE INTO suppressed (kind, digest) VALUES (?, ?)", rows)


def people(db: sqlite3.Connection) -> int:
    """How many names are suppressed (a person forgotten under two spellings counts twice)."""
    return int(db.execute("SELECT COUNT(*) FROM suppressed WHERE kind = ?", (NAME,)).fetchone()[0])
