"""MURAL OAuth 2.0: authorization code + PKCE (S256) sign-in pieces, and the token endpoint (code exchange, refresh).

Reference quirks followed here (mural-api.md §2): the client may have to authenticate to the token
endpoint with HTTP Basic or with form fields (sources disagree), so the configured way is tried first and
the other once on `invalid_client`; a refresh answer may or may not carry a new refresh token; `expires_in`
is always read, never assumed, and when it is missing the access token's own `exp` (it is a JWT) is used.
MURAL's docs and official samples refresh at `/authorization/oauth2/refresh` (JSON body), other clients at
`/authorization/oauth2/token` (form body): the documented one is tried first, the other when it is not there,
and what worked is remembered for the rest of the process.
"""
from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

import requests

from sync.adapters.mural.mural_config import MuralConfig
from sync.adapters.mural.mural_http import MuralAPIError, MuralSignInError, Throttle, error_details, request_id_note, send, unavailable
from sync.adapters.retry import RetryPolicy
from sync.adapters.signin.tokens import Tokens, tokens_from_answer
from sync.core.errors import ConfigError
from sync.core.i18n import N_, _

log = logging.getLogger("sync.adapters.mural")

SCOPES = "murals:read workspaces:read rooms:read identity:read"  # read-only: backbone never writes to a board
REVOKED = N_("MURAL sign-in expired or revoked: run `backbone mural login` again")  # said with _(REVOKED)


def new_pkce() -> tuple[str, str]:
    """(code_verifier, code_challenge) per RFC 7636, S256."""
    verifier = secrets.token_urlsafe(64)  # 86 characters, within the 43..128 allowed
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def redirect_uri(port: int) -> str:
    """The default redirect URL. MURAL's app portal refuses raw IP addresses, so `localhost` (the callback
    server still listens on 127.0.0.1 only)."""
    return f"http://localhost:{port}/callback"


_LOOPBACK = ("localhost", "127.0.0.1")


def callback_address(config: MuralConfig) -> tuple[str, int]:
    """(the redirect URL to register and send, the loopback port to listen on). BACKBONE_MURAL_REDIRECT_URL
    overrides the default `http://localhost:<BACKBONE_MURAL_CALLBACK_PORT>/callback`; port 0 (tests) means
    any free port, filled in by `redirect_for`."""
    configured = config.redirect_url.strip()
    if not configured:
        return "", config.callback_port
    parts = urlsplit(configured)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme != "http" or parts.hostname not in _LOOPBACK or not port or parts.path.rstrip("/") != "/callback":
        raise ConfigError(_("BACKBONE_MURAL_REDIRECT_URL={value!r}: use http://localhost:PORT/callback (backbone "
                            "receives the sign-in on this computer; register the same URL in the MURAL app)").format(
                                value=configured))
    return configured, port


def redirect_for(config: MuralConfig, listening_port: int) -> str:
    configured, _ = callback_address(config)
    return configured or redirect_uri(listening_port)


def authorize_url(config: MuralConfig, redirect: str, state: str, code_challenge: str) -> str:
    query = {"client_id": config.client_id, "redirect_uri": redirect, "scope": SCOPES, "response_type": "code",
             "state": state, "code_challenge": code_challenge, "code_challenge_method": "S256"}
    return f"{config.api_url.rstrip('/')}/authorization/oauth2/?{urlencode(query)}"


def require_client_id(config: MuralConfig) -> None:
    if not config.client_id:
        raise ConfigError(_("BACKBONE_MURAL_CLIENT_ID is not set: register backbone as an app at "
                            "https://developers.mural.co with the redirect URL {url} and set its client id and secret").format(
                                url=callback_address(config)[0] or redirect_uri(config.callback_port)))
    if config.client_auth not in ("basic", "body"):
        raise ConfigError(_("BACKBONE_MURAL_CLIENT_AUTH={value!r}: use basic or body").format(value=config.client_auth))


REFRESH_PATHS = ("/authorization/oauth2/refresh", "/authorization/oauth2/token")  # documented first
_refresh_path_that_worked: dict[str, str] = {}  # API base -> path, for the life of the process


class TokenEndpoint:
    """POSTs to `{base}/authorization/oauth2/token` (and `/refresh`); answers Tokens, never logs or reports their values."""

    def __init__(self, config: MuralConfig, session: requests.Session, policy: RetryPolicy, throttle: Throttle,
                 now: Callable[[], float] = time.time):
        require_client_id(config)
        self._config, self._session, self._policy, self._throttle, self._now = config, session, policy, throttle, now
        self._auth_order = ["basic", "body"] if config.client_auth == "basic" else ["body", "basic"]
        self.base = config.api_url.rstrip("/")
        self.url = f"{self.base}/authorization/oauth2/token"

    def __repr__(self) -> str:
        return f"TokenEndpoint({self.url!r}, client_auth={self._auth_order[0]!r})"

    def exchange_code(self, code: str, verifier: str, redirect: str) -> Tokens:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect, "code_verifier": verifier}
        return self._request(form, previous_refresh="")

    def refresh(self, tokens: Tokens) -> Tokens:
        if not tokens.refresh_token:
            raise MuralSignInError(_(REVOKED))
        form = {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token}
        known = _refresh_path_that_worked.get(self.base)
        paths = (known, *(p for p in REFRESH_PATHS if p != known)) if known else REFRESH_PATHS  # what worked first
        for number, path in enumerate(paths, 1):
            response = self._exchange(form, path)
            if response.status_code not in (404, 405) or number == len(paths):
                break
            log.info("MURAL has no refresh endpoint at %s; trying %s", path, paths[number])
        if response.status_code not in (404, 405):
            _refresh_path_that_worked[self.base] = path
        return self._answer(response, form, previous_refresh=tokens.refresh_token)

    def _request(self, form: dict[str, str], previous_refresh: str) -> Tokens:
        return self._answer(self._exchange(form, "/authorization/oauth2/token"), form, previous_refresh)

    def _exchange(self, form: dict[str, str], path: str) -> requests.Response:
        what = f"POST {path.rsplit('/', 1)[-1]} ({form['grant_type']})"
        first, second = self._auth_order
        response = self._post(first, form, what, path)
        if _client_refused(response):
            # The sources disagree on where client credentials go: try the other place once, and keep it if it works.
            log.info("MURAL token endpoint refused %s client authentication; trying %s", first, second)
            response = self._post(second, form, what, path)
            if not _client_refused(response):
                self._auth_order = [second, first]
        return response

    def _answer(self, response: requests.Response, form: dict[str, str], previous_refresh: str) -> Tokens:
        what = f"POST token ({form['grant_type']})"
        code, message, request_id = error_details(response)
        if response.ok:
            return self._tokens(response, previous_refresh, what)
        if code == "invalid_grant":
            line = _(REVOKED) if form["grant_type"] == "refresh_token" else \
                _("MURAL did not accept the sign-in code (expired, used already or not from this login): run "
                  "`backbone mural login` again")
            raise MuralSignInError(line + request_id_note(request_id), response.status_code, code, request_id)
        if code == "invalid_client" or response.status_code == 401:
            raise MuralSignInError(_("MURAL refused backbone's client id/secret: check BACKBONE_MURAL_CLIENT_ID and "
                                     "BACKBONE_MURAL_CLIENT_SECRET") + request_id_note(request_id),
                                   response.status_code, code, request_id)
        if response.status_code == 429 or response.status_code >= 500:
            raise unavailable(response, what, self._policy.tries)
        raise MuralAPIError(_("MURAL sign-in failed ({request}: {status} {code} {message})").format(
                                request=what, status=response.status_code, code=code, message=message)
                            + request_id_note(request_id),
                            response.status_code, code, request_id)

    def _post(self, way: str, form: dict[str, str], what: str, path: str) -> requests.Response:
        headers, body = self._client_auth(way, form)
        # The refresh endpoint takes JSON, as MURAL's official samples send it; the token endpoint a form.
        payload = {"json": body} if path.endswith("/refresh") else {"data": body}
        return send(self._session, "POST", self.base + path, headers=headers, policy=self._policy,
                    throttle=self._throttle, timeout=self._config.timeout, what=what, **payload)

    def _client_auth(self, way: str, form: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        config = self._config
        headers = {"Accept": "application/json"}
        if way == "basic" and config.client_secret:
            pair = f"{config.client_id}:{config.client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
            return headers, dict(form)
        body = dict(form, client_id=config.client_id)
        if config.client_secret:
            body["client_secret"] = config.client_secret
        return headers, body

    def _tokens(self, response: requests.Response, previous_refresh: str, what: str) -> Tokens:
        try:
            return tokens_from_answer(response.json(), previous_refresh, self._now())
        except (ValueError, TypeError):
            request_id = response.headers.get("X-Request-Id", "")
            raise MuralAPIError(_("MURAL's token endpoint gave an answer backbone cannot read ({request})").format(
                                    request=what) + request_id_note(request_id),
                                response.status_code, "", request_id) from None


def _client_refused(response: requests.Response) -> bool:
    return response.status_code == 401 or error_details(response)[0] == "invalid_client"
