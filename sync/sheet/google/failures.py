"""Every Google or network failure as one readable BackboneError line. A mixin of GoogleSheet."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import requests
from google.auth import exceptions as auth_errors
from gspread.exceptions import APIError

from ...errors import AccessError, BackboneError, ConfigError, ServiceError
from ...retry import RETRYABLE_STATUS, RetryPolicy
from ...text import one_line as _one_line


class GoogleFailures:
    key: str
    _api_url: str
    _retry: RetryPolicy
    _client_email: str | None
    _token_uri: str | None
    _credentials_file: str | None

    @contextmanager
    def _google_errors(self) -> Iterator[None]:
        """Every failure as one BackboneError line; `from None` keeps tracebacks (and request details) out."""
        try:
            yield
        except BackboneError:
            raise
        except APIError as exc:
            raise self._api_error(exc) from None
        except auth_errors.RefreshError as exc:
            detail = exc.args[0] if exc.args and isinstance(exc.args[0], str) else "sign-in refused"
            raise AccessError(f"Google refused the sign-in of the service account {self._client_email or '(unknown)'} "
                              f"at {self._token_uri}: {_one_line(detail)}; check that the key in "
                              f"{self._credentials_file or 'the credentials file'} is current (not deleted or disabled)") from None
        except auth_errors.TransportError:
            raise ConfigError(f"cannot reach the Google sign-in endpoint {self._token_uri} after {self._retry.tries} tries: "
                              "check the network and the token_uri in the service-account key file") from None
        except requests.exceptions.Timeout:
            raise ServiceError(f"Google Sheets at {self._api_url} did not answer in time ({self._retry.tries} tries)") from None
        except requests.exceptions.RequestException as exc:
            raise ServiceError(f"cannot reach Google Sheets at {self._api_url} ({self._retry.tries} tries): "
                               f"{type(exc).__name__}") from None

    def _api_error(self, exc: APIError) -> BackboneError:
        status = exc.response.status_code
        message = _one_line(str(exc.error.get("message", "")))
        if status == 403:
            return AccessError(f"the spreadsheet {self.key} is not shared with the service account "
                               f"{self._client_email or '(unknown)'}; share it with that address as Editor")
        if status == 404:
            return ConfigError(f"the spreadsheet {self.key} does not exist (Google Sheets answered 404); "
                               "check BACKBONE_SHEET: the key is the part after /d/ in the spreadsheet's address")
        if status == 401:
            return AccessError(f"Google Sheets did not accept the sign-in of the service account "
                               f"{self._client_email or '(unknown)'} (401): {message}")
        if status in RETRYABLE_STATUS:
            return ServiceError(f"Google Sheets answered {status} {exc.error.get('status', '')} after "
                                f"{self._retry.tries} tries: {message}", status=status)
        return ServiceError(f"Google Sheets refused a request for {self.key} ({status}): {message}", status=status)
