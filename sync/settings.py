"""Settings from BACKBONE_* environment variables or a settings file (KEY=value lines).

Environment variables win over the file. Relative paths in a file are relative to the file's folder,
so a settings file and the data beside it can be moved together.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Mapping

from .errors import ConfigError

DEFAULT_SETTINGS_FILE = "settings.env"


@dataclass(frozen=True)
class Settings:
    sheet: str = "xlsx:plan.xlsx"
    google_credentials: str = ""
    sheets_api_url: str = "https://sheets.googleapis.com"
    boards: str = "files:boards"
    mural_api_url: str = "https://app.mural.co/api/public/v1"
    mural_client_id: str = ""
    mural_client_secret: str = ""
    mural_token_file: str = "var/mural-token.json"
    mural_client_auth: str = "basic"  # basic | body: how the client authenticates to the token endpoint
    mural_callback_port: int = 8765
    state: str = "var/backbone.sqlite3"
    reports_dir: str = "reports-out"
    template: str = ""  # empty: the bundled template for the language
    language: str = "sv"
    organisation: str = ""
    schedule: str = "0 2 * * *"
    timezone: str = "Europe/Stockholm"
    web_password: str = ""
    http_timeout: float = 30.0
    http_retries: int = 5
    include_hidden: bool = False
    smtp_url: str = ""  # smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465 (TLS)
    mail_from: str = ""
    mail_to: str = ""  # addresses separated by commas
    mail_attach_recaps: bool = False  # attach the newest recaps to the e-mail digest

    # --- derived views -------------------------------------------------------------------------
    def sheet_kind(self) -> tuple[str, str]:
        """('xlsx', path) or ('gsheet', key-or-url)."""
        kind, _, rest = self.sheet.partition(":")
        if kind not in ("xlsx", "gsheet") or not rest:
            raise ConfigError(f"BACKBONE_SHEET={self.sheet!r}: use xlsx:PATH for a local workbook or gsheet:KEY for Google Sheets")
        return kind, rest

    def boards_kind(self) -> tuple[str, str]:
        """('files', dir) or ('mural', '')."""
        if self.boards == "mural":
            return "mural", ""
        kind, _, rest = self.boards.partition(":")
        if kind != "files" or not rest:
            raise ConfigError(f"BACKBONE_BOARDS={self.boards!r}: use files:DIR for saved exports or mural for the live MURAL API")
        return kind, rest

    def safe_items(self) -> dict[str, str]:
        """Every setting for display, secrets masked."""
        shown = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _SECRETS and value:
                value = "********"
            shown["BACKBONE_" + f.name.upper()] = str(value)
        return shown


_SECRETS = {"mural_client_secret", "web_password"}
_SECRETS = _SECRETS | {"smtp_url"}  # it holds the mail password
# Settings holding a path (or a kind:path) that is resolved against the settings file's folder.
_PATHS = {"google_credentials", "mural_token_file", "state", "reports_dir", "template"}
_KIND_PATHS = {"sheet": "xlsx", "boards": "files"}


def parse_settings_file(path: Path) -> dict[str, str]:
    """KEY=value lines; blank lines and # comments ignored; values may be quoted."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the settings file ({exc.strerror})") from None
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):]
        key, sep, value = line.partition("=")
        if not sep or not key.strip().startswith("BACKBONE_"):
            raise ConfigError(f"{path}, line {number}: expected BACKBONE_NAME=value, found {line[:40]!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _resolve(name: str, value: str, base: Path) -> str:
    if not value:
        return value
    if name in _PATHS:
        return str(base / Path(value).expanduser()) if not Path(value).expanduser().is_absolute() else str(Path(value).expanduser())
    if name in _KIND_PATHS:
        kind, sep, rest = value.partition(":")
        if sep and kind == _KIND_PATHS[name] and rest:
            path = Path(rest).expanduser()
            return f"{kind}:{path if path.is_absolute() else base / path}"
    return value


def load_settings(settings_file: str | Path | None = None, environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> Settings:
    """Settings from the file (given, or ./settings.env when present) and the environment."""
    environ = os.environ if environ is None else environ
    cwd = Path.cwd() if cwd is None else cwd
    file_values: dict[str, str] = {}
    file_base = cwd
    if settings_file is not None:
        path = Path(settings_file)
        if not path.is_file():
            raise ConfigError(f"{path}: settings file not found")
        file_values, file_base = parse_settings_file(path), path.resolve().parent
    elif (cwd / DEFAULT_SETTINGS_FILE).is_file():
        path = cwd / DEFAULT_SETTINGS_FILE
        file_values, file_base = parse_settings_file(path), path.resolve().parent

    known = {f.name: f for f in fields(Settings)}
    for key in list(file_values):
        if key[len("BACKBONE_"):].lower() not in known:
            raise ConfigError(f"unknown setting {key} in the settings file; see settings.example.env for the names")
    chosen: dict[str, object] = {}
    for name, f in known.items():
        key = "BACKBONE_" + name.upper()
        if key in environ and environ[key] != "":
            raw, base = environ[key], cwd
        elif key in file_values:
            raw, base = file_values[key], file_base
        else:
            continue
        raw = _resolve(name, raw, base)
        chosen[name] = _convert(key, raw, f.type)
    settings = Settings(**chosen)
    if settings.language not in ("sv", "en"):
        raise ConfigError(f"BACKBONE_LANGUAGE={settings.language!r}: use sv or en")
    return settings


def _convert(key: str, raw: str, kind: object) -> object:
    kind = str(kind)
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            lowered = raw.strip().lower()
            if lowered not in ("1", "0", "true", "false", "yes", "no", "ja", "nej", "on", "off"):
                raise ValueError
            return lowered in ("1", "true", "yes", "ja", "on")
    except ValueError:
        raise ConfigError(f"{key}={raw!r}: expected {'a number' if kind != 'bool' else 'true or false'}") from None
    return raw
