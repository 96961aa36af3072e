"""An .xlsx package (a zip of XML parts) changed part by part: every part the sync does not touch is copied
as its original compressed bytes, so pictures, charts, pivots, VBA and everything else a person made stay
byte for byte; only the parts replaced or added are compressed anew.

The zip is written here, not with zipfile's writer, because zipfile cannot copy an entry's compressed bytes.
Packages this writer cannot copy faithfully (encrypted entries, Zip64, the same part twice) are refused with
one line, never re-saved some other way.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from sync.adapters.xlsx.workbook_limits import check_part_sizes
from sync.core.errors import InputError
from sync.core.i18n import _

_LOCAL = struct.Struct("<4s2B4HL2L2H")  # local file header, as in the zip specification (APPNOTE 4.3.7)
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # central directory file header (4.3.12)
_END = struct.Struct("<4s4H2LH")  # end of central directory record (4.3.16)
_UTF8 = 0x800  # general purpose flag: the name is UTF-8
_DESCRIPTOR = 0x08  # general purpose flag: sizes follow the data (we write them in the header instead)
_ZIP32 = 0xFFFFFFFF


def odd(path: Path, what: str) -> InputError:
    return InputError(_("{path}: backbone cannot write into this workbook in place ({what}); nothing was written: "
                        "open it in Excel or LibreOffice and save it as .xlsx").format(path=path, what=what))


class Package:
    """The parts of one workbook's bytes; `replace`, `add` and `remove` change them, `write_to` writes the result."""

    def __init__(self, path: Path, data: bytes):
        self.path = path
        self._data = data
        self._zip = zipfile.ZipFile(io.BytesIO(data))
        self._infos = self._zip.infolist()
        check_part_sizes(path, self._infos)
        names = [info.filename for info in self._infos]
        if len(set(names)) != len(names):
            raise odd(path, _("a part appears twice"))
        if any(info.flag_bits & 0x1 for info in self._infos):
            raise odd(path, _("it is encrypted"))
        if len(self._infos) >= 0xFFFF or len(data) >= _ZIP32:
            raise odd(path, _("it is larger than 4 GB or has more than 65,535 parts"))
        self._by_name = {info.filename: info for info in self._infos}
        self._lower = {name.lower(): name for name in names}
        if len(self._lower) != len(names):
            raise odd(path, _("a part appears twice"))  # names differing only in case are one part (OPC)
        self._starts = {info.filename: self._start(info) for info in self._infos}  # each local header checked now
        self._new: dict[str, bytes] = {}
        self._removed: set[str] = set()

    def names(self) -> list[str]:
        return [n for n in [*self._by_name, *self._new] if n not in self._removed]

    def _actual(self, name: str) -> str:
        """The name a part has in the file: part names are compared without case (OPC), zip names are not."""
        if name in self._by_name or name in self._new:
            return name
        return self._lower.get(name.lower(), name)

    def has(self, name: str) -> bool:
        name = self._actual(name)
        return (name in self._by_name or name in self._new) and name not in self._removed

    def read(self, name: str) -> bytes:
        name = self._actual(name)
        if name in self._new:
            return self._new[name]
        if name in self._removed:
            raise KeyError(name)
        return self._zip.read(name)

    def replace(self, name: str, data: bytes) -> None:
        """A part's new content (a new part when there was none)."""
        name = self._actual(name)
        self._new[name] = data
        self._removed.discard(name)

    def remove(self, name: str) -> None:
        name = self._actual(name)
        self._new.pop(name, None)
        self._removed.add(name)

    def touched(self) -> list[str]:
        """The parts this package will write anew or leave out: every other is copied byte for byte."""
        return sorted({*self._new, *self._removed})

    def _start(self, info: zipfile.ZipInfo) -> int:
        """Where an entry's compressed bytes start; a damaged local header is BadZipFile here, before any write."""
        header = self._data[info.header_offset: info.header_offset + _LOCAL.size]
        if len(header) < _LOCAL.size or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"bad local header for {info.filename}")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        start = info.header_offset + _LOCAL.size + name_length + extra_length
        if start + info.compress_size > len(self._data):
            raise zipfile.BadZipFile(f"truncated entry {info.filename}")
        return start

    def _raw(self, info: zipfile.ZipInfo) -> memoryview:
        """An entry's compressed bytes, as they are in the file."""
        start = self._starts[info.filename]
        return memoryview(self._data)[start: start + info.compress_size]

    def write_to(self, out: BinaryIO) -> None:
        entries: list[bytes] = []
        offset = 0

        def entry(name: str, method: int, flags: int, version: int, when: tuple[int, ...], crc: int, compressed,
                  size: int, external: int, system: int) -> None:
            nonlocal offset
            encoded, flags = _name(name, flags & ~_DESCRIPTOR)
            if offset >= _ZIP32 or len(compressed) >= _ZIP32 or size >= _ZIP32:
                raise odd(self.path, _("it is larger than 4 GB or has more than 65,535 parts"))
            dostime, dosdate = _dos(when)
            out.write(_LOCAL.pack(b"PK\x03\x04", version, 0, flags, method, dostime, dosdate, crc, len(compressed),
                                  size, len(encoded), 0))
            out.write(encoded)
            out.write(compressed)
            entries.append(_CENTRAL.pack(b"PK\x01\x02", 20, system, version, 0, flags, method, dostime, dosdate, crc,
                                         len(compressed), size, len(encoded), 0, 0, 0, 0, external, offset) + encoded)
            offset += _LOCAL.size + len(encoded) + len(compressed)

        def fresh(name: str, data: bytes, like: zipfile.ZipInfo | None) -> None:
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            compressed = packer.compress(data) + packer.flush()
            when = like.date_time if like is not None else (1980, 1, 1, 0, 0, 0)
            entry(name, zipfile.ZIP_DEFLATED, 0, 20, when, zlib.crc32(data), compressed, len(data),
                  like.external_attr if like is not None else 0, like.create_system if like is not None else 0)

        for info in self._infos:
            name = info.filename
            if name in self._removed:
                continue
            if name in self._new:
                fresh(name, self._new[name], info)
                continue
            entry(name, info.compress_type, info.flag_bits, max(info.extract_version, 20), info.date_time, info.CRC,
                  self._raw(info), info.file_size, info.external_attr, info.create_system)
        for name, data in self._new.items():
            if name not in self._by_name:
                fresh(name, data, None)
        directory = b"".join(entries)
        out.write(directory)
        out.write(_END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), offset, 0))

    def save(self, path: Path) -> None:
        with open(path, "wb") as out:
            self.write_to(out)

    def close(self) -> None:
        self._zip.close()


def _name(name: str, flags: int) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), flags & ~_UTF8
    except UnicodeEncodeError:
        return name.encode("utf-8"), flags | _UTF8


def _dos(when: tuple[int, ...]) -> tuple[int, int]:
    year, month, day, hour, minute, second = when[:6]
    year = min(max(year, 1980), 2107)
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day
