"""What a workbook may hold before backbone refuses or cuts it: the uncompressed size of each part of the
package, checked from the zip's directory before anything is inflated (a 3 MB file can hold a 3 GB cell),
and Excel's 32,767 characters in a cell."""
from __future__ import annotations

import zipfile
from pathlib import Path

from sync.core.errors import InputError
from sync.core.i18n import _

PART_LIMIT = 512 * 1024 * 1024  # bytes, uncompressed: far above any planning sheet's largest tab
CELL_LIMIT = 32_767  # characters: what Excel holds in one cell


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f}".replace(",", "\u00a0")


def check_part_sizes(path: Path, infos: list[zipfile.ZipInfo], limit: int = PART_LIMIT) -> None:
    """Refuse a package with a part larger than `limit` once inflated, naming the part, before it is read."""
    for info in infos:
        if info.file_size > limit:
            raise InputError(_("{path}: the part {part} of the workbook is {size} MB uncompressed, over backbone's limit "
                               "of {limit} MB; nothing was read or written: remove what makes it so large (one "
                               "huge cell or picture) in Excel or LibreOffice").format(
                                   path=path, part=info.filename, size=_megabytes(info.file_size),
                                   limit=_megabytes(limit)))


def check_package(path: Path, data: bytes, limit: int = PART_LIMIT) -> None:
    """check_part_sizes on a workbook's bytes; a file that is no zip is left to the reader, which names it."""
    import io
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    check_part_sizes(path, infos, limit)


def cut_text(value: str, limit: int = CELL_LIMIT) -> str | None:
    """The text cut to fit a cell, ending in a visible marker; None when it fits as it is."""
    if len(value) <= limit // 2 or _units(value) <= limit:
        return None
    marker = _("… [truncated]")
    keep = limit - _units(marker)
    text = value[:keep]
    while (excess := _units(text) - keep) > 0:  # Excel counts UTF-16 units: an emoji is two
        text = text[:-excess]
    return text + marker


def _units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2
