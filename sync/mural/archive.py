"""Where pulled boards are kept between runs, so an unchanged board is not downloaded again.

The port is deliberately tiny: the SQLite archive (written elsewhere) and the in-memory one for tests
both implement `latest` and `save`; de-duplication by content is the archive's job, not the caller's.
"""
from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass


class SnapshotArchive(ABC):
    @abstractmethod
    def latest(self, mural_id: str) -> tuple[int | None, dict] | None:
        """(updatedOn, export JSON) of the newest snapshot of the board, or None when there is none."""

    def latest_fetched(self, mural_id: str) -> float | None:
        """When the newest snapshot was fetched (epoch seconds); None when unknown (the board is then read again)."""
        return None

    @abstractmethod
    def save(self, mural_id: str, export_json: dict, updated_on: int | None, fetched_at: float) -> int:
        """Keep a snapshot (export JSON as written by `export_to_json`); answers its id.

        Saving content identical to a kept snapshot answers that snapshot's id instead of a new one.
        """


def content_hash(export_json: dict) -> str:
    """A digest of the export that ignores key order and formatting."""
    canonical = json.dumps(export_json, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class Snapshot:
    id: int
    mural_id: str
    export_json: dict
    updated_on: int | None
    fetched_at: float
    digest: str


class MemoryArchive(SnapshotArchive):
    """Snapshots in a list: for tests and one-off runs."""

    def __init__(self) -> None:
        self.snapshots: list[Snapshot] = []

    def latest(self, mural_id: str) -> tuple[int | None, dict] | None:
        mine = [s for s in self.snapshots if s.mural_id == mural_id]
        if not mine:
            return None
        newest = max(mine, key=lambda s: (s.fetched_at, s.id))
        return newest.updated_on, newest.export_json

    def latest_fetched(self, mural_id: str) -> float | None:
        return max((s.fetched_at for s in self.snapshots if s.mural_id == mural_id), default=None)

    def save(self, mural_id: str, export_json: dict, updated_on: int | None, fetched_at: float) -> int:
        digest = content_hash(export_json)
        for snapshot in self.snapshots:
            if snapshot.mural_id == mural_id and snapshot.digest == digest:
                # Same content seen again: it is still the newest state of the board.
                snapshot.fetched_at, snapshot.updated_on = max(snapshot.fetched_at, fetched_at), updated_on
                return snapshot.id
        snapshot = Snapshot(len(self.snapshots) + 1, mural_id, json.loads(json.dumps(export_json)), updated_on, fetched_at, digest)
        self.snapshots.append(snapshot)
        return snapshot.id


class ReadOnlyArchive(SnapshotArchive):
    """Reads another archive and keeps nothing: for dry runs, which write nothing anywhere."""

    def __init__(self, archive: SnapshotArchive) -> None:
        self.archive = archive

    def latest(self, mural_id: str) -> tuple[int | None, dict] | None:
        return self.archive.latest(mural_id)

    def latest_fetched(self, mural_id: str) -> float | None:
        return self.archive.latest_fetched(mural_id)

    def save(self, mural_id: str, export_json: dict, updated_on: int | None, fetched_at: float) -> int:
        return 0
