"""Snapshots in a list: the archive port for tests that need no database."""
from __future__ import annotations

import json
from dataclasses import dataclass

from sync.adapters.sqlite.state_store import content_hash
from sync.ports import SnapshotArchive


@dataclass
class Snapshot:
    id: int
    mural_id: str
    export_json: dict
    updated_on: int | None
    fetched_at: float
    digest: str


class MemoryArchive(SnapshotArchive):
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
        copy = json.loads(json.dumps(export_json))
        snapshot = Snapshot(len(self.snapshots) + 1, mural_id, copy, updated_on, fetched_at, digest)
        self.snapshots.append(snapshot)
        return snapshot.id
