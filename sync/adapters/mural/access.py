"""MURAL's own commands: `backbone mural login` (OAuth 2.0 with PKCE) and `backbone mural pull` (a board saved as an
export file). They belong to the adapter: signing in and saving a vendor's raw export are what the vendor's adapter
knows; the sync and the recaps reach MURAL only through the BoardSource port. The CLI only parses and prints.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from sync.adapters.files import replaced_atomically
from sync.adapters.mural.auth import TokenEndpoint, authorize_url, callback_address, new_pkce, redirect_for, require_client_id
from sync.adapters.mural.board_refs import mural_id_from_ref
from sync.adapters.mural.client import MuralClient
from sync.adapters.mural.export_files import count_sticky_notes, export_to_json
from sync.adapters.mural.mural_config import MURAL, MuralConfig
from sync.adapters.mural.mural_http import Throttle
from sync.adapters.mural.source import MuralBoardSource
from sync.adapters.pull_progress import items_read
from sync.adapters.signin.callback import CallbackServer, open_sign_in_page
from sync.adapters.signin.tokens import TokenStore
from sync.core import jsonio
from sync.core.errors import BackboneError, InputError
from sync.core.i18n import _, ngettext
from sync.core.suppression import NOBODY, Suppression
from sync.ports import SnapshotArchive

LOGIN_TIMEOUT = 300.0  # seconds the person has to finish signing in in the browser


def login(config: MuralConfig, announce: Callable[[str], object] = print, open_browser: Callable[[str], object] | None = None,
          *, session: requests.Session | None = None, timeout: float = LOGIN_TIMEOUT) -> str:
    """Sign in to MURAL in the browser (authorization code + PKCE) and save the tokens; answers one line without them.

    `open_browser(url)` defaults to the system browser; the URL is announced either way, for a browser elsewhere.
    A callback port of 0 listens on any free port (tests; MURAL only accepts the registered redirect URL).
    """
    require_client_id(config)
    verifier, challenge = new_pkce()
    state = secrets.token_urlsafe(24)
    with CallbackServer(callback_address(config)[1], state, MURAL) as server:
        redirect = redirect_for(config, server.port)
        url = authorize_url(config, redirect, state, challenge)
        announce(_("Open this address in a browser and allow backbone to read your MURAL boards:"))
        announce(url)
        open_sign_in_page(url, open_browser)
        code = server.wait(timeout)
    session = session or requests.Session()
    tokens = TokenEndpoint(config, session, config.retry, Throttle()).exchange_code(code, verifier, redirect)
    store = TokenStore(config.token_file, MURAL)
    store.save(tokens)
    name = _account(config, store, session)
    if name:
        return _("Signed in to MURAL as {name}; the sign-in is saved in {path} (readable by you only).").format(
            name=name, path=store.path)
    return _("Signed in to MURAL; the sign-in is saved in {path} (readable by you only).").format(path=store.path)


def pull(config: MuralConfig, ref: str, out_path: str | Path | None = None, archive: SnapshotArchive | None = None,
         *, client: MuralClient | None = None, hide: Suppression = NOBODY,
         progress: Callable[[str], object] | None = None) -> tuple[Path, str]:
    """Download a board to a JSON export; answers (the file, one summary line: title, widgets, sticky notes).

    `out_path` may be a `.json` file or a folder (anything else); by default the export goes to the BACKBONE_BOARDS=files:DIR folder as
    `<mural id>.json`, where `backbone board` and the file board source look for it.
    """
    mural_id = mural_id_from_ref(ref)
    client = client or MuralClient(config)
    client.on_widgets = items_read(progress, "MURAL")  # a line every few hundred widgets: big boards take a while
    source = MuralBoardSource(client, archive, max_reuse_hours=config.max_reuse_hours)
    export = hide.export(source.fetch(mural_id))  # forgotten people never reach the file (the archive cuts them too)
    path = _out_path(config, mural_id, out_path)
    _write_json(path, export_to_json(export))
    widgets, notes = len(export.widgets), count_sticky_notes(export)
    counts = dict(title=repr(export.title) if export.title else _("Untitled board"), id=mural_id, path=path,
                  widgets=ngettext("{count} widget", "{count} widgets", widgets).format(count=widgets),
                  notes=ngettext("{count} sticky note", "{count} sticky notes", notes).format(count=notes))
    if source.reused_snapshot:
        return path, _("{title} ({id}): {widgets}, {notes} (unchanged since the last pull) -> {path}").format(**counts)
    return path, _("{title} ({id}): {widgets}, {notes} -> {path}").format(**counts)


def _account(config: MuralConfig, store: TokenStore, session: requests.Session) -> str:
    """'Ada Lovelace' when MURAL says who signed in, else ""; best effort, the sign-in is saved either way."""
    try:
        me = MuralClient(config, store, session=session).me()
    except BackboneError:
        return ""
    name = " ".join(str(me.get(key) or "") for key in ("firstName", "lastName")).strip() or str(me.get("email") or "")
    return name


def _out_path(config: MuralConfig, mural_id: str, out_path: str | Path | None) -> Path:
    if out_path is not None:
        path = Path(out_path)
        is_folder = path.is_dir() or path.suffix.lower() != ".json"  # "out/" or "boards": a folder, made if need be
        return path / f"{mural_id}.json" if is_folder else path
    return config.exports_folder / f"{mural_id}.json"


def _write_json(path: Path, data: dict[str, Any]) -> None:
    try:
        with replaced_atomically(path) as temporary:  # readers never see half an export
            temporary.write_bytes(jsonio.dumps(data, indent=True))
    except OSError as exc:
        raise InputError(_("{path}: cannot write the board export ({reason})").format(path=path, reason=exc.strerror)) from None
