"""A saved sign-in (MURAL's, Miro's): `{"access_token", "refresh_token", "expires_at"}` in a private JSON file.

The file is as good as a password to every board the coordinator can see, so it is created with
mode 0600 before anything is written to it, and replaced atomically so a crash never leaves half a file.
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.adapters.files import replaced_atomically
from sync.core.errors import ConfigError
from sync.core.i18n import _


@dataclass(frozen=True)
class Vendor:
    """Who the sign-in is with, for messages: `name` as people know it, `command` the CLI group (`backbone mural login`)."""

    name: str
    command: str


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str = ""
    expires_at: float | None = None  # epoch seconds; None when the vendor did not say (then only a 401 triggers a refresh)

    def expires_within(self, seconds: float, now: float) -> bool:
        return self.expires_at is not None and now + seconds >= self.expires_at

    def __repr__(self) -> str:  # never show the secrets, not even in a traceback's locals
        return f"Tokens(access_token='***', refresh_token={'***' if self.refresh_token else ''!r}, expires_at={self.expires_at!r})"

    __str__ = __repr__


def jwt_expiry(token: str) -> float | None:
    """The `exp` claim (epoch seconds) of a JWT access token, read without verifying it (only to know when to
    refresh); None when the token is not a JWT or carries no `exp`."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return None
    exp = payload.get("exp") if isinstance(payload, dict) else None
    return float(exp) if isinstance(exp, (int, float)) and not isinstance(exp, bool) and exp > 0 else None


def tokens_from_answer(data: Any, previous_refresh: str, now: float) -> Tokens:
    """A token endpoint's JSON answer as Tokens; ValueError when it holds no access token. No new refresh token
    means the old one stays valid; no `expires_in` means the access token's own `exp` when it is a JWT, else unknown
    (then only a refusal triggers a refresh)."""
    if not isinstance(data, dict) or not isinstance(data.get("access_token"), str) or not data["access_token"]:
        raise ValueError("no access token")
    access = data["access_token"]
    refresh = data.get("refresh_token") or previous_refresh
    expires_in = data.get("expires_in")
    expires_at = now + float(expires_in) if expires_in not in (None, "") else jwt_expiry(access)
    return Tokens(access, str(refresh), expires_at)


class TokenStore:
    """Reads and writes one vendor's token file."""

    def __init__(self, path: str | Path, vendor: Vendor):
        self.path = Path(path)
        self.vendor = vendor

    def __repr__(self) -> str:
        return f"TokenStore({str(self.path)!r}, {self.vendor.name!r})"

    def load(self) -> Tokens:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(_("no {vendor} sign-in yet: run `backbone {command} login` (looked for {path})").format(
                vendor=self.vendor.name, command=self.vendor.command, path=self.path)) from None
        except OSError as exc:
            raise ConfigError(_("{path}: cannot read the {vendor} sign-in file ({reason}); fix its permissions or run "
                                "`backbone {command} login` again").format(
                                    path=self.path, reason=exc.strerror, vendor=self.vendor.name,
                                    command=self.vendor.command)) from None
        try:
            data = json.loads(text)
            access, refresh, expires = data["access_token"], data.get("refresh_token") or "", data.get("expires_at")
            if not isinstance(access, str) or not access or not isinstance(refresh, str):
                raise ValueError("tokens are not text")
            if expires is not None and (isinstance(expires, bool) or not isinstance(expires, (int, float))):
                raise ValueError("expires_at is not a number")
        except (ValueError, KeyError, TypeError, AttributeError):
            # Never quote the content: it holds the tokens.
            raise ConfigError(_("{path}: the {vendor} sign-in file is damaged; delete it and run `backbone {command} "
                                "login` again").format(path=self.path, vendor=self.vendor.name,
                                                        command=self.vendor.command)) from None
        return Tokens(access, refresh, None if expires is None else float(expires))

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Held around a refresh: MURAL and Miro rotate refresh tokens, so `serve` and a CLI command refreshing at once
        would each spend the same refresh token and one of them would lose the sign-in. An OS lock on a file
        beside the token file: a crashed process never leaves it held."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            lock_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle = open(lock_path, "a", encoding="utf-8")
        except OSError as exc:
            raise ConfigError(_("{path}: cannot lock the {vendor} sign-in ({reason}); check that the folder is "
                                "writable").format(path=lock_path, reason=exc.strerror, vendor=self.vendor.name)) from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            handle.close()  # closing releases the lock

    def check_writable(self) -> None:
        """ConfigError unless a new token file could be saved now. Asked before a refresh that rotates the refresh
        token: once the vendor has answered, a save that fails would lose the sign-in."""
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, probe = tempfile.mkstemp(dir=self.path.parent, prefix=".probe-")
            os.close(handle)
            os.unlink(probe)
        except OSError as exc:
            raise ConfigError(_("{path}: cannot save the {vendor} sign-in ({reason}); check that the folder exists and "
                                "is writable").format(path=self.path, reason=exc.strerror, vendor=self.vendor.name)) from None

    def save(self, tokens: Tokens) -> None:
        payload = json.dumps({"access_token": tokens.access_token, "refresh_token": tokens.refresh_token,
                              "expires_at": tokens.expires_at})
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            # mkstemp creates the file 0600 before a byte of the tokens is in it (O_EXCL, a fresh random name).
            with replaced_atomically(self.path, mode=0o600) as temporary:
                temporary.write_bytes(payload.encode("utf-8"))
        except OSError as exc:
            raise ConfigError(_("{path}: cannot save the {vendor} sign-in ({reason}); check that the folder exists and "
                                "is writable").format(path=self.path, reason=exc.strerror, vendor=self.vendor.name)) from None
