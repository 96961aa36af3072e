"""Writing files so that readers see the old one or the new one, never half of one."""
from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replaced_atomically(target: Path, *, mode: int | None = None, shared: bool = False) -> Iterator[Path]:
    """A temporary path beside `target` to write to; flushed to disk and renamed over `target` when the
    block ends without error, removed otherwise. The file keeps `target`'s permissions, or `mode`; a
    new file is readable by its owner only (mkstemp creates it so, before anything is written).
    `shared`: a document for people (a recap) gets what the umask allows, like any program's output."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if shared:
        keep, temporary = mode, _create_beside(target, 0o666)
    else:
        keep = mode if mode is not None else (target.stat().st_mode & 0o777 if target.exists() else None)
        handle, name = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=target.parent)
        os.close(handle)
        temporary = Path(name)
    try:
        yield temporary
        if keep is not None:
            os.chmod(temporary, keep)
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _create_beside(target: Path, mode: int) -> Path:
    """A new empty file with a random name beside `target`, created with `mode` less the umask."""
    while True:
        candidate = target.parent / f".{target.name[:40]}.{secrets.token_hex(6)}.tmp"
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode))
            return candidate
        except FileExistsError:
            continue
