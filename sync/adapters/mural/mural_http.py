"""HTTP plumbing shared by the MURAL client and the token endpoint: errors, throttle, retried send.

Nothing here ever formats a request's headers or body into a message or a log line: they carry
bearer tokens, refresh tokens and the client secret.
"""
from __future__ import annotations

import collections
import logging
import time
from collections.abc import Callable

import requests

from sync.adapters.http_answers import should_retry
from sync.adapters.retry import RetryPolicy
from sync.core.errors import AccessError, ConfigError, NotFoundError, ServiceError
from sync.core.i18n import _, ngettext

log = logging.getLogger("sync.adapters.mural")

# MURAL allows 25 requests/second per user, shared by every app acting for that user (reference §5);
# staying at 20 leaves room for the coordinator's browser tabs and other integrations.
DEFAULT_MAX_PER_SECOND = 20


class MuralErrorDetails:
    """What MURAL said about a failure: the HTTP status, its error `code` and the X-Request-Id to quote."""

    status: int | None
    code: str
    request_id: str

    def _details(self, status: int | None, code: str, request_id: str) -> None:
        self.status, self.code, self.request_id = status, code, request_id


class MuralAPIError(ServiceError, MuralErrorDetails):
    """MURAL failed (after the retries) or answered something unexpected."""

    def __init__(self, message: str, status: int | None = None, code: str = "", request_id: str = ""):
        super().__init__(message, status)
        self._details(status, code, request_id)


class MuralAccessError(AccessError, MuralErrorDetails):
    def __init__(self, message: str, status: int | None = 403, code: str = "", request_id: str = ""):
        super().__init__(message)
        self._details(status, code, request_id)


class MuralNotFoundError(NotFoundError, MuralErrorDetails):
    def __init__(self, message: str, status: int | None = 404, code: str = "", request_id: str = ""):
        super().__init__(message)
        self._details(status, code, request_id)


class MuralSignInError(ConfigError, MuralErrorDetails):
    """The sign-in is gone (revoked refresh token) or the app's client id/secret is refused."""

    def __init__(self, message: str, status: int | None = None, code: str = "", request_id: str = ""):
        super().__init__(message)
        self._details(status, code, request_id)


def error_details(response: requests.Response) -> tuple[str, str, str]:
    """(code, message, request id) from MURAL's `{"code","message"}` or OAuth's `{"error","error_description"}`."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    code = str(body.get("code") or body.get("error") or "")
    message = str(body.get("message") or body.get("error_description") or response.reason or "")[:200]
    return code, message, response.headers.get("X-Request-Id", "")


def request_id_note(request_id: str) -> str:
    """' (MURAL request id …)', to quote to MURAL's support; appended to a message, so it starts with a space."""
    return _(" (MURAL request id {id})").format(id=request_id) if request_id else ""


class Throttle:
    """Client-side rate limit: at most `max_per_second` sends in any one-second window (sliding)."""

    def __init__(self, max_per_second: int = DEFAULT_MAX_PER_SECOND, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.max_per_second, self.clock, self.sleep = max_per_second, clock, sleep
        self._sent: collections.deque[float] = collections.deque(maxlen=max_per_second)

    def wait(self) -> None:
        if len(self._sent) == self.max_per_second:
            # The send max_per_second ago must be at least one second old before another may go.
            pause = self._sent[0] + 1.0 - self.clock()
            if pause > 0:
                self.sleep(pause)
        self._sent.append(self.clock())


def send(session: requests.Session, method: str, url: str, *, policy: RetryPolicy, throttle: Throttle,
         timeout: float, what: str, **kwargs) -> requests.Response:
    """One HTTP call, throttled and retried (429, 5xx, timeouts, dropped connections) within `policy`.

    Returns the last response, whatever its status; raises MuralAPIError when MURAL could not be reached.
    `what` names the call for messages and logs ("GET /murals/{id}"), never with tokens in it.
    """

    def attempt() -> requests.Response:
        throttle.wait()
        response = session.request(method, url, timeout=timeout, **kwargs)
        log.debug("%s -> %s (X-Request-Id %s)", what, response.status_code, response.headers.get("X-Request-Id", "") or "-")
        return response

    try:
        return policy.run(attempt, should_retry)
    except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema):
        raise ConfigError(_("BACKBONE_MURAL_API_URL: {url!r} is not a usable address "
                            "(expected https://app.mural.co/api/public/v1)").format(url=url.split("?")[0])) from None
    except requests.Timeout:
        reason = _("no answer within {seconds} s").format(seconds=f"{timeout:g}")
    except requests.RequestException as exc:
        reason = _("connection failed") if isinstance(exc, requests.ConnectionError) else type(exc).__name__
    raise MuralAPIError(ngettext("MURAL could not be reached ({request}: {reason}, {count} try); "
                                 "check the network connection or try again later",
                                 "MURAL could not be reached ({request}: {reason}, {count} tries); "
                                 "check the network connection or try again later", policy.tries).format(
                                     request=what, reason=reason, count=policy.tries)) from None


def unavailable(response: requests.Response, what: str, tries: int) -> MuralAPIError:
    """The error for a 429/5xx that outlasted the retries."""
    code, message, request_id = error_details(response)
    details = dict(request=what, status=response.status_code, code=code or message, count=tries)
    if response.status_code == 429:
        line = ngettext("MURAL kept asking backbone to slow down ({request}: {status} {code} after {count} try); "
                        "try again later",
                        "MURAL kept asking backbone to slow down ({request}: {status} {code} after {count} tries); "
                        "try again later", tries).format(**details)
    else:
        line = ngettext("MURAL is not answering properly ({request}: {status} {code} after {count} try); try again later",
                        "MURAL is not answering properly ({request}: {status} {code} after {count} tries); try again later",
                        tries).format(**details)
    return MuralAPIError(line + request_id_note(request_id), response.status_code, code, request_id)
