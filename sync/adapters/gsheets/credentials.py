"""Which spreadsheet, which account, which API address: checked before any request is made."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sync.core.errors import ConfigError
from sync.core.i18n import _

GOOGLE_API = "https://sheets.googleapis.com"
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)  # no Drive: open_by_key and values.* need only this
_KEY_IN_URL = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
_KEY = re.compile(r"[A-Za-z0-9_-]+")


def spreadsheet_key(text: str) -> str:
    """The key from a key, a gsheet:KEY setting or a spreadsheet's address."""
    text = text.strip().removeprefix("gsheet:")
    match = _KEY_IN_URL.search(text)
    if match:
        return match.group(1)
    if _KEY.fullmatch(text):
        return text
    raise ConfigError(_("BACKBONE_SHEET: {value!r} is neither a spreadsheet key nor a spreadsheet address "
                        "(https://docs.google.com/spreadsheets/d/KEY/edit)").format(value=text))


def load_service_account(path: str | os.PathLike | None) -> dict[str, Any]:
    """The service-account key file's contents; ConfigError naming the file when it is not usable."""
    if not path:
        raise ConfigError(_("BACKBONE_GOOGLE_CREDENTIALS is not set: give the path of the service account's JSON key "
                            "file"))
    file = Path(path).expanduser()
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(_("{path}: the Google service-account key file does not exist (BACKBONE_GOOGLE_CREDENTIALS)").format(
            path=file)) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or _("not a text file")
        raise ConfigError(_("{path}: cannot read the Google service-account key file ({reason})").format(
            path=file, reason=reason)) from None
    try:
        info = json.loads(text)
    except ValueError:
        raise ConfigError(_("{path}: the Google service-account key file is not JSON; download the key again as JSON "
                            "from the Google Cloud console").format(path=file)) from None
    missing = [k for k in ("client_email", "private_key", "token_uri") if not isinstance(info, dict) or not info.get(k)]
    if not isinstance(info, dict) or info.get("type") != "service_account" or missing:
        if missing:
            raise ConfigError(_("{path}: not a Google service-account key file (expected \"type\": \"service_account\" "
                                "with client_email, private_key and token_uri; missing {fields})").format(
                                    path=file, fields=", ".join(missing)))
        raise ConfigError(_("{path}: not a Google service-account key file (expected \"type\": \"service_account\" "
                            "with client_email, private_key and token_uri)").format(path=file))
    return info


def _check_api_url(url: str) -> str:
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(_("BACKBONE_SHEETS_API_URL={value!r}: expected an address like {example}").format(
            value=url, example=GOOGLE_API))
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ConfigError(_("BACKBONE_SHEETS_API_URL={value!r}: plain http is allowed only on this machine "
                            "(access tokens would travel unencrypted)").format(value=url))
    return url.rstrip("/")
