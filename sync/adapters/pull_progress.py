"""Progress of a long board pull (`backbone mural pull`, `backbone miro pull`): a big board is a hundred pages or
more, so the person is told every few hundred items rather than left looking at a silent terminal."""
from __future__ import annotations

from collections.abc import Callable

from sync.core.i18n import ngettext

STEP = 500  # items between two lines


def items_read(progress: Callable[[str], object] | None, vendor: str, step: int = STEP) -> Callable[[int], None]:
    """The client's page callback (items read so far) as a line each time another `step` items have come."""
    said = 0

    def told(count: int) -> None:
        nonlocal said
        if progress is None or count - said < step:
            return
        said = count
        progress(ngettext("{vendor}: {count} item read so far", "{vendor}: {count} items read so far", count).format(
            vendor=vendor, count=f"{count:,}".replace(",", "\u00a0")))  # 1 500 in both languages: no comma to misread

    return told
