"""`backbone miro login`: sign in to Miro in the browser (OAuth 2.0 authorization code) and keep the tokens.

The person allows backbone's app on Miro's page; Miro sends the browser back to `http://localhost:PORT/callback`,
where a one-shot loopback server (shared with MURAL's sign-in) checks `state` and takes the code; the code is
exchanged with the app's secret and the tokens are saved 0600, atomically. Nothing printed holds a token.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from urllib.parse import urlencode

import requests

from sync.adapters.miro.auth import SCOPES, MiroTokenEndpoint, SavedSignIn, redirect_uri, require_client
from sync.adapters.miro.client import MiroClient
from sync.adapters.miro.miro_config import MIRO, MiroConfig
from sync.adapters.signin.callback import CallbackServer, open_sign_in_page
from sync.adapters.signin.tokens import TokenStore
from sync.core.errors import BackboneError
from sync.core.i18n import _

LOGIN_TIMEOUT = 300.0  # seconds the person has to finish signing in in the browser


def authorize_url(config: MiroConfig, redirect: str, state: str) -> str:
    query = {"response_type": "code", "client_id": config.client_id, "redirect_uri": redirect, "state": state,
             "scope": SCOPES}
    return f"{config.authorize_url}?{urlencode(query)}"


def login(config: MiroConfig, announce: Callable[[str], object] = print, open_browser: Callable[[str], object] | None = None,
          *, session: requests.Session | None = None, timeout: float = LOGIN_TIMEOUT) -> str:
    """Sign in and save the tokens; answers one line without them. A callback port of 0 (tests) is any free port."""
    require_client(config)
    state = secrets.token_urlsafe(24)
    with CallbackServer(config.callback_port, state, MIRO) as server:
        redirect = redirect_uri(server.port)
        url = authorize_url(config, redirect, state)
        announce(_("Open this address in a browser and allow backbone to read your Miro boards:"))
        announce(url)
        open_sign_in_page(url, open_browser)
        code = server.wait(timeout)
    session = session or requests.Session()
    endpoint = MiroTokenEndpoint(config, session, config.retry)
    tokens = endpoint.exchange_code(code, redirect)
    store = TokenStore(config.token_file, MIRO)
    store.save(tokens)
    who = _account(config, store, endpoint, session)
    lasts = (_("the access token lasts an hour and is renewed by itself") if tokens.refresh_token
             else _("the app's token does not expire"))
    if who:
        return _("Signed in to Miro as {name}; the sign-in is saved in {path} (readable by you only; {lasts}).").format(
            name=who, path=store.path, lasts=lasts)
    return _("Signed in to Miro; the sign-in is saved in {path} (readable by you only; {lasts}).").format(
        path=store.path, lasts=lasts)


def _account(config: MiroConfig, store: TokenStore, endpoint: MiroTokenEndpoint, session: requests.Session) -> str:
    """'Ada Lovelace (team Biskopsgården)' when Miro says whose token it is, else ""; the sign-in is saved either way."""
    client = MiroClient(SavedSignIn(store, lambda: endpoint), config.api_url, timeout=config.timeout,
                        policy=config.retry, session=session)
    try:
        context = client.token_context()
    except BackboneError:
        return ""
    user, team = context.get("user"), context.get("team")
    name = str(user.get("name") or "") if isinstance(user, dict) else ""
    team_name = str(team.get("name") or "") if isinstance(team, dict) else ""
    if name and team_name:
        return _("{name} (team {team})").format(name=name, team=team_name)
    return name
