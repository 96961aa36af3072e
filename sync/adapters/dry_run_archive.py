"""An archive that keeps nothing: dry runs read the snapshots but write nothing anywhere."""
from __future__ import annotations

from sync.ports import SnapshotArchive


class ReadOnlyArchive(SnapshotArchive):
    """Reads another archive and keeps nothing."""

    def __init__(self, archive: SnapshotArchive) -> None:
        self.archive = archive

    def latest(self, mural_id: str) -> tuple[int | None, dict] | None:
        return self.archive.latest(mural_id)

    def latest_fetched(self, mural_id: str) -> float | None:
        return self.archive.latest_fetched(mural_id)

    def save(self, mural_id: str, export_json: dict, updated_on: int | None, fetched_at: float) -> int:
        return 0
