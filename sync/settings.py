"""Settings from BACKBONE_* environment variables or a settings file (KEY=value lines).

Environment variables win over the file. Relative paths in a file are relative to the file's folder,
so a settings file and the data beside it can be moved together.
"""
from __future__ import annotations

import difflib
import ipaddress
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, get_type_hints
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sync.core.errors import ConfigError
from sync.core.i18n import N_, _
from sync.schedule import parse_schedule

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
    web_hosts: str = ""  # host names the page may be reached by, besides loopback (behind a reverse proxy)
    http_timeout: float = 30.0
    http_retries: int = 5
    include_hidden: bool = False
    authors: str = "none"  # none | initials | organisation | name: what the Författare column and recaps show
    keep_snapshots: str = ""  # "90d" or a count per board; empty keeps every archived snapshot
    mural_redirect_url: str = ""  # empty: http://localhost:<mural_callback_port>/callback
    mural_max_reuse: float = 6.0  # hours an unchanged board's snapshot is reused before it is read again
    mural_voting_session: str = "newest"  # newest | all | a voting session's title or id
    miro_token: str = ""  # a non-expiring Miro access token (scope boards:read); empty: the `backbone miro login` sign-in
    miro_api_url: str = "https://api.miro.com"
    miro_client_id: str = ""  # the Miro app's client id and secret, for `backbone miro login`
    miro_client_secret: str = ""
    miro_token_file: str = "var/miro-token.json"
    miro_callback_port: int = 8766
    miro_authorize_url: str = "https://miro.com/oauth/authorize"
    smtp_url: str = ""  # smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465 (TLS)
    mail_from: str = ""
    mail_to: str = ""  # addresses separated by commas
    mail_attach_recaps: bool = False  # attach the newest recaps to the e-mail digest
    mail_reminder_day: str = ""  # a weekday (måndag, monday): the weekly reminder of every overdue action; empty: none
    mail_timeout: float = 60.0  # seconds the whole exchange with the mail server may take
    web_url: str = ""  # the page's address as people reach it (https://backbone.example.org), for links in e-mail
    trusted_proxies: str = ""  # reverse proxies whose X-Forwarded-For/-Proto are believed; empty: none
    workbook_wait: float = 30.0  # minutes a sync waits for a workbook open in Excel to be closed before giving up
    wordpress_url: str = ""  # the WordPress site (https://example.org) `backbone publish` writes drafts to
    wordpress_user: str = ""  # the WordPress user the Application Password belongs to
    wordpress_app_password: str = ""  # an Application Password (Users → Profile), never the login password
    wordpress_category: str = ""  # the category of the drafts, by name ("Collective Impact Samarbeten"); empty: none

    # --- derived views -------------------------------------------------------------------------
    def sheet_kind(self) -> tuple[str, str]:
        """('xlsx', path) or ('gsheet', key-or-url)."""
        kind, _colon, rest = self.sheet.partition(":")
        if kind not in ("xlsx", "gsheet") or not rest:
            raise ConfigError(_("BACKBONE_SHEET={value!r}: use xlsx:PATH for a local workbook or gsheet:KEY for Google "
                                "Sheets").format(value=self.sheet))
        return kind, rest

    def boards_kind(self) -> tuple[str, str]:
        """('files', dir), ('mural', '') or ('miro', '')."""
        if self.boards in ("mural", "miro"):
            return self.boards, ""
        kind, _colon, rest = self.boards.partition(":")
        if kind != "files" or not rest:
            raise ConfigError(_("BACKBONE_BOARDS={value!r}: use files:DIR for saved exports, mural for the live MURAL "
                                "API or miro for the live Miro API").format(value=self.boards))
        return kind, rest

    def __repr__(self) -> str:  # a traceback's locals or a debug line never show a secret
        shown = ", ".join(f"{f.name}={_masked(f.name, getattr(self, f.name))!r}" for f in fields(self))
        return f"Settings({shown})"

    __str__ = __repr__

    def allowed_web_hosts(self) -> tuple[str, ...]:
        """BACKBONE_WEB_HOSTS as lower-case names (with a port when one was given); commas or spaces between."""
        return tuple(name.lower() for name in self.web_hosts.replace(",", " ").split())

    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """BACKBONE_TRUSTED_PROXIES: addresses or networks (127.0.0.1, ::1, 10.0.0.0/24; localhost for both loopbacks),
        commas or spaces between; ConfigError naming an entry that is neither."""
        networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in self.trusted_proxies.replace(",", " ").split():
            if entry.lower() == "localhost":
                networks += [ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128")]
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                raise ConfigError(_("BACKBONE_TRUSTED_PROXIES: {entry!r} is not an address or network; list the reverse "
                                    "proxies' addresses, e.g. 127.0.0.1 or 10.0.0.0/24").format(entry=entry)) from None
        return tuple(networks)

    def safe_items(self) -> dict[str, str]:
        """Every setting for display, secrets masked."""
        shown = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _SECRETS and value:
                value = "********"
            elif isinstance(value, bool):
                value = "true" if value else "false"  # as the settings file takes them
            elif f.name in _PATHS or f.name in _KIND_PATHS:
                value = _resolve(f.name, value, Path.cwd())  # a default is relative to the folder backbone runs in
            shown["BACKBONE_" + f.name.upper()] = str(value)
        return shown


# smtp_url holds the mail password
_SECRETS = {"mural_client_secret", "miro_token", "miro_client_secret", "web_password", "smtp_url", "wordpress_app_password"}
MASK = "********"


def _masked(name: str, value: object) -> object:
    return MASK if name in _SECRETS and value else value


# Settings holding a path (or a kind:path) that is resolved against the settings file's folder.
_PATHS = {"google_credentials", "mural_token_file", "miro_token_file", "state", "reports_dir", "template"}
_KIND_PATHS = {"sheet": "xlsx", "boards": "files"}


def parse_settings_file(path: Path) -> dict[str, str]:
    """KEY=value lines; blank lines and # comments ignored; values may be quoted."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(_("{path}: cannot read the settings file ({reason})").format(path=path, reason=exc.strerror)) from None
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):]
        key, sep, value = line.partition("=")
        if not sep or not key.strip().startswith("BACKBONE_"):
            # Only the name is quoted: the value, or a line without "=", may be a password.
            if sep:
                raise ConfigError(_("{path}, line {number}: expected BACKBONE_NAME=value, found {name!r}=…").format(
                    path=path, number=number, name=key.strip()[:40]))
            raise ConfigError(_("{path}, line {number}: expected BACKBONE_NAME=value (no '=' on the line)").format(
                path=path, number=number))
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


def closest_setting(key: str, names: list[str]) -> list[str]:
    """The setting a misspelt name meant, compared without the BACKBONE_ every name shares ([] when none is close)."""
    prefix = "BACKBONE_"
    close = difflib.get_close_matches(key.removeprefix(prefix), [n.removeprefix(prefix) for n in names], n=1)
    return [prefix + close[0]] if close else []


def say_warning(text: str) -> None:
    """A warning for the person at the terminal (or in the service's journal): "varning: …" in their language,
    not a logger's English prefix."""
    print(_("warning: {text}").format(text=text), file=sys.stderr, flush=True)


def load_settings(settings_file: str | Path | None = None, environ: Mapping[str, str] | None = None, cwd: Path | None = None,
                  warn: Callable[[str], None] = say_warning) -> Settings:
    """Settings from the file (given, or ./settings.env when present) and the environment; `warn` says what is
    ignored (a misspelt variable)."""
    environ = os.environ if environ is None else environ
    cwd = Path.cwd() if cwd is None else cwd
    file_values: dict[str, str] = {}
    file_base = cwd
    if settings_file is not None:
        path = Path(settings_file)
        if not path.is_file():
            raise ConfigError(_("{path}: settings file not found").format(path=path))
        file_values, file_base = parse_settings_file(path), path.resolve().parent
    elif (cwd / DEFAULT_SETTINGS_FILE).is_file():
        path = cwd / DEFAULT_SETTINGS_FILE
        file_values, file_base = parse_settings_file(path), path.resolve().parent

    known = {f.name: f for f in fields(Settings)}
    names = ["BACKBONE_" + name.upper() for name in known]
    for key in list(file_values):
        if key[len("BACKBONE_"):].lower() not in known:
            close = closest_setting(key, names)
            if close:
                raise ConfigError(_("{path}: unknown setting {name} in the settings file (did you mean {meant}?); see "
                                    "settings.example.env for the names").format(path=path, name=key, meant=close[0]))
            raise ConfigError(_("{path}: unknown setting {name} in the settings file; see settings.example.env for the names").format(
                path=path, name=key))
    _warn_unknown_environment(environ, known, warn)
    chosen: dict[str, Any] = {}  # each value converted to its field's type by _convert
    for name in known:
        key = "BACKBONE_" + name.upper()
        if key in environ and environ[key] != "":
            raw, base = environ[key], cwd
        elif key in file_values:
            raw, base = file_values[key], file_base
        else:
            continue
        raw = _resolve(name, raw, base)
        chosen[name] = _convert(key, raw, name)
    settings = Settings(**chosen)
    check_settings(settings)
    return settings


def _yes_no(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered not in ("1", "0", "true", "false", "yes", "no", "ja", "nej", "on", "off"):
        raise ValueError
    return lowered in ("1", "true", "yes", "ja", "on")


# How a value from the file or the environment becomes its field's type, and what to say when it cannot.
_CONVERTERS: dict[type, tuple[Callable[[str], object], str]] = {
    int: (int, N_("{key}={value!r}: expected a number")), float: (float, N_("{key}={value!r}: expected a number")),
    bool: (_yes_no, N_("{key}={value!r}: expected true or false")), str: (str, N_("{key}={value!r}: expected text"))}
_FIELD_TYPES = get_type_hints(Settings)


def _convert(key: str, raw: str, name: str) -> object:
    convert, message = _CONVERTERS[_FIELD_TYPES[name]]
    try:
        return convert(raw)
    except ValueError:
        raise ConfigError(_(message).format(key=key, value=raw)) from None


def check_settings(settings: Settings) -> None:
    """Every setting that can be wrong in a way a type does not catch, named in one line at load."""
    if settings.language not in ("sv", "en"):
        raise ConfigError(_("BACKBONE_LANGUAGE={value!r}: use sv or en").format(value=settings.language))
    try:
        tz = ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(_("BACKBONE_TIMEZONE={value!r}: not a time zone name such as Europe/Stockholm").format(
            value=settings.timezone)) from None
    parse_schedule(settings.schedule, tz)
    if settings.mural_client_auth not in ("basic", "body"):
        raise ConfigError(_("BACKBONE_MURAL_CLIENT_AUTH={value!r}: use basic or body").format(value=settings.mural_client_auth))
    check_privacy_settings(settings)
    from sync.core.digest_policy import reminder_weekday
    reminder_weekday(settings.mail_reminder_day)
    if settings.mail_timeout <= 0:
        raise ConfigError(_("BACKBONE_MAIL_TIMEOUT={value!r}: give the seconds the mail server may take, e.g. 60").format(
            value=settings.mail_timeout))
    settings.trusted_proxy_networks()
    if not 0 <= settings.workbook_wait <= 24 * 60:
        raise ConfigError(_("BACKBONE_WORKBOOK_WAIT={value!r}: give the minutes a sync may wait for a workbook open in "
                            "Excel, from 0 (not at all) to 1440, e.g. 30").format(value=settings.workbook_wait))
    if settings.web_url and not settings.web_url.startswith(("http://", "https://")):
        raise ConfigError(_("BACKBONE_WEB_URL={value!r}: give the page's address as people open it, e.g. "
                            "https://backbone.example.org").format(value=settings.web_url))


def check_privacy_settings(settings: Settings) -> None:
    """BACKBONE_AUTHORS and BACKBONE_KEEP_SNAPSHOTS: one clear line when they make no sense."""
    from sync.core.privacy import check_mode
    from sync.core.retention import Retention
    check_mode(settings.authors)
    Retention.parse(settings.keep_snapshots)


def _warn_unknown_environment(environ: Mapping[str, str], known: dict, warn: Callable[[str], None]) -> None:
    """A misspelt BACKBONE_* variable would be ignored silently: name it, and the setting meant."""
    names = ["BACKBONE_" + name.upper() for name in known]
    for key in sorted(k for k in environ if k.startswith("BACKBONE_") and k not in names):
        close = closest_setting(key, names)
        # Said on the terminal (a warning), so in the person's language.
        if close:
            warn(_("environment variable {name} is not a backbone setting and is ignored (did you mean {meant}?); "
                   "see settings.example.env for the names").format(name=key, meant=close[0]))
        else:
            warn(_("environment variable {name} is not a backbone setting and is ignored; see "
                   "settings.example.env for the names").format(name=key))


def settings_file_in_use(settings_file: str | Path | None, cwd: Path | None = None) -> Path | None:
    """The settings file load_settings reads: the one given, or ./settings.env when present."""
    if settings_file is not None:
        return Path(settings_file)
    default = (Path.cwd() if cwd is None else cwd) / DEFAULT_SETTINGS_FILE
    return default if default.is_file() else None


def require_settings(settings_file: str | Path | None, environ: Mapping[str, str] | None = None,
                     cwd: Path | None = None) -> None:
    """Commands that touch the sheet or the state need settings: with no file and no BACKBONE_*
    variable the defaults would point at files that are not there, so say where we looked."""
    environ = os.environ if environ is None else environ
    cwd = Path.cwd() if cwd is None else cwd
    if settings_file_in_use(settings_file, cwd) is None and not any(k.startswith("BACKBONE_") for k in environ):
        raise ConfigError(_("no settings found: there is no {file} in {folder} and no BACKBONE_* environment variable; "
                            "pass --settings FILE, or copy settings.example.env to {file} and fill it in").format(
                                file=DEFAULT_SETTINGS_FILE, folder=cwd))
