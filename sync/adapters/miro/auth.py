"""Miro OAuth 2.0 (authorization code): the token endpoint, and the access tokens a client sends.

Miro's facts (developers.miro.com, "OAuth 2.0 and Miro"): the sign-in page is `https://miro.com/oauth/authorize`;
codes and refresh tokens go to `POST https://api.miro.com/v1/oauth/token`, with the parameters in a form body as
Miro recommends (its reference shows them in the query only for its try-it console). With expiring tokens the
access token lasts an hour and **every refresh rotates both tokens**: the old refresh token is dead the moment
Miro answers, so the new pair is saved at once, atomically, under a lock that other processes respect. An app
made with non-expiring tokens gets no refresh token and no `expires_in`; its token is used until Miro refuses it.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import requests

from sync.adapters.http_answers import should_retry
from sync.adapters.miro.miro_config import MIRO, MiroConfig
from sync.adapters.retry import RETRYABLE_STATUS, RetryPolicy
from sync.adapters.signin.tokens import Tokens, TokenStore, tokens_from_answer
from sync.core.errors import ConfigError, ServiceError
from sync.core.i18n import _, ngettext

log = logging.getLogger("sync.adapters.miro")

SCOPES = "boards:read"  # read-only: backbone never writes to a board
REFRESH_MARGIN = 60.0  # seconds: refresh this long before the hour is up, so a token never dies in flight


def require_client(config: MiroConfig) -> None:
    if not config.client_id or not config.client_secret:
        raise ConfigError(_("BACKBONE_MIRO_CLIENT_ID and BACKBONE_MIRO_CLIENT_SECRET must both be set: create an app at "
                            "https://miro.com/app/settings/user-profile/apps with the redirect URL {url} and the scope "
                            "boards:read, and copy its client id and secret").format(url=redirect_uri(config.callback_port)))


def redirect_uri(port: int) -> str:
    return f"http://localhost:{port}/callback"


class MiroTokenEndpoint:
    """POST {api}/v1/oauth/token: a code or a refresh token in, Tokens out; never logs or reports their values."""

    def __init__(self, config: MiroConfig, session: requests.Session, policy: RetryPolicy,
                 now: Callable[[], float] = time.time):
        require_client(config)
        self._config, self._session, self._policy, self._now = config, session, policy, now
        self.url = config.api_url.rstrip("/") + "/v1/oauth/token"

    def __repr__(self) -> str:
        return f"MiroTokenEndpoint({self.url!r})"  # never the secret

    def exchange_code(self, code: str, redirect: str) -> Tokens:
        return self._post({"grant_type": "authorization_code", "code": code, "redirect_uri": redirect}, "")

    def refresh(self, tokens: Tokens) -> Tokens:
        if not tokens.refresh_token:
            raise ConfigError(_("the Miro sign-in has no refresh token and Miro no longer accepts it: run `backbone miro "
                                "login` again"))
        return self._post({"grant_type": "refresh_token", "refresh_token": tokens.refresh_token}, tokens.refresh_token)

    def _post(self, form: dict[str, str], previous_refresh: str) -> Tokens:
        grant = form["grant_type"]
        body = dict(form, client_id=self._config.client_id, client_secret=self._config.client_secret)

        def attempt() -> requests.Response:
            return self._session.post(self.url, data=body, headers={"Accept": "application/json"},
                                      timeout=self._config.timeout)

        try:
            # A dropped answer is retried too: if Miro had not yet rotated the tokens the retry succeeds, and if it
            # had, the old refresh token is dead either way and the retry's refusal says so.
            response = self._policy.run(attempt, should_retry)
        except requests.RequestException:
            raise ServiceError(ngettext("Miro's sign-in service could not be reached (POST token, {count} try); check "
                                        "the network connection or try again later",
                                        "Miro's sign-in service could not be reached (POST token, {count} tries); "
                                        "check the network connection or try again later",
                                        self._policy.tries).format(count=self._policy.tries)) from None
        if response.ok:
            return self._tokens(response, previous_refresh)
        code, message = _error_details(response)
        status = response.status_code
        if code == "invalid_client" or status == 401:
            raise ConfigError(_("Miro refused backbone's client id/secret: check BACKBONE_MIRO_CLIENT_ID and "
                                "BACKBONE_MIRO_CLIENT_SECRET"))
        if status in (400, 403) and grant == "refresh_token":
            raise ConfigError(_("Miro sign-in expired or revoked: run `backbone miro login` again"))
        if status in (400, 403):
            raise ConfigError(_("Miro did not accept the sign-in code (expired, used already or not from this login): "
                                "run `backbone miro login` again"))
        if status in RETRYABLE_STATUS:
            raise ServiceError(_("Miro's sign-in service is not answering properly (POST token: {status}); try again "
                                 "later").format(status=status), status)
        raise ServiceError(_("Miro sign-in failed (POST token: {status} {code} {message})").format(
            status=status, code=code, message=message), status)

    def _tokens(self, response: requests.Response, previous_refresh: str) -> Tokens:
        try:
            return tokens_from_answer(response.json(), previous_refresh, self._now())
        except (ValueError, TypeError):
            raise ServiceError(_("Miro's token endpoint gave an answer backbone cannot read (POST token)"),
                               response.status_code) from None


def _error_details(response: requests.Response) -> tuple[str, str]:
    """(code, message) from either shape Miro answers: OAuth's {error, error_description} or its REST
    {status, code, message, type: error}; never more than 200 characters of the message."""
    try:
        body: Any = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        return "", ""
    code = str(body.get("error") or body.get("code") or "")
    message = str(body.get("error_description") or body.get("message") or response.reason or "")[:200]
    return code, message


class FixedToken:
    """BACKBONE_MIRO_TOKEN: a non-expiring access token, sent as it is."""

    def __init__(self, token: str):
        self._token = token

    def __repr__(self) -> str:
        return "FixedToken('***')"

    def current(self) -> str:
        if not self._token:
            raise ConfigError(_("no Miro access token: run `backbone miro login`, or set BACKBONE_MIRO_TOKEN (Miro: "
                                "your app's settings, Install app and get OAuth token)"))
        return self._token

    def renewed(self, refused: str) -> str | None:
        return None  # nothing to renew it with

    def refused_error(self) -> ConfigError:
        return ConfigError(_("Miro did not accept the access token (401): check BACKBONE_MIRO_TOKEN"))


class SavedSignIn:
    """The tokens `backbone miro login` saved, refreshed before they expire and once after a 401.

    The refresh happens under the token file's lock and re-reads the file first: `serve` and a CLI command share
    the file, and whichever refreshes second must use the first one's tokens, not spend a dead refresh token.
    """

    def __init__(self, store: TokenStore, endpoint: Callable[[], MiroTokenEndpoint], now: Callable[[], float] = time.time):
        self.store, self._endpoint, self.now = store, endpoint, now
        self._tokens: Tokens | None = None

    def __repr__(self) -> str:
        return f"SavedSignIn({self.store!r})"

    def current(self) -> str:
        if self._tokens is None:
            self._tokens = self.store.load()
        if self._tokens.expires_within(REFRESH_MARGIN, self.now()):
            self._refresh(self._tokens.access_token)
        assert self._tokens is not None
        return self._tokens.access_token

    def renewed(self, refused: str) -> str | None:
        self._refresh(refused)
        assert self._tokens is not None
        return self._tokens.access_token

    def refused_error(self) -> ConfigError:
        return ConfigError(_("Miro did not accept the sign-in even after refreshing it (401): run `backbone miro login` "
                             "again"))

    def _refresh(self, spent_access: str) -> None:
        with self.store.locked():
            saved = self.store.load()
            if saved.access_token != spent_access and not saved.expires_within(REFRESH_MARGIN, self.now()):
                self._tokens = saved  # another process refreshed while this one waited
                return
            # Check the file can be written before Miro rotates the tokens: after that, a failed save loses the sign-in.
            self.store.check_writable()
            fresh = self._endpoint().refresh(saved)
            self.store.save(fresh)
            self._tokens = fresh
            log.info("Miro sign-in refreshed")


def signed_in(config: MiroConfig, session: requests.Session, policy: RetryPolicy) -> FixedToken | SavedSignIn:
    """The token a client sends: BACKBONE_MIRO_TOKEN when set, else the sign-in `backbone miro login` saved."""
    if config.token:
        return FixedToken(config.token)
    return SavedSignIn(TokenStore(config.token_file, MIRO), lambda: MiroTokenEndpoint(config, session, policy))
