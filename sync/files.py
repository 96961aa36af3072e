"""Writing files so that readers see the old one or the new one, never half of one."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def replaced_atomically(target: Path, *, mode: int | None = None) -> Iterator[Path]:
    """A temporary path beside `target` to write to; flushed to disk and renamed over `target` when the
    block ends without error, removed otherwise. The file keeps `target`'s permissions, or `mode`; a
    new file is readable by its owner only (mkstemp creates it so, before anything is written)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
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
