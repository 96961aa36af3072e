"""Every Google or network failure as one readable BackboneError line. A mixin of GoogleSheet."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import requests
from google.auth import exceptions as auth_errors
from gspread.exceptions import APIError

from sync.adapters.gsheets.transport import AmbiguousWrite
from sync.adapters.retry import RETRYABLE_STATUS, RetryPolicy
from sync.core.errors import AccessError, BackboneError, ConfigError, ServiceError
from sync.core.i18n import _
from sync.core.text import one_line as _one_line


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
            raise AccessError(_("Google refused the sign-in of the service account {account} at {endpoint}: {detail}; "
                                "check that the key in {file} is current (not deleted or disabled)").format(
                account=self._client_email or "(?)", endpoint=self._token_uri, detail=_one_line(detail),
                file=self._credentials_file or "BACKBONE_GOOGLE_CREDENTIALS")) from None
        except auth_errors.TransportError:
            raise ConfigError(_("cannot reach the Google sign-in endpoint {endpoint} after {tries} tries: check the "
                                "network and the token_uri in the service-account key file").format(
                endpoint=self._token_uri, tries=self._retry.tries)) from None
        except AmbiguousWrite:
            raise ServiceError(_("Google Sheets at {url} did not answer a write; the next sync checks where it "
                                 "landed").format(url=self._api_url)) from None
        except requests.exceptions.Timeout:
            raise ServiceError(_("Google Sheets at {url} did not answer in time ({tries} tries)").format(
                url=self._api_url, tries=self._retry.tries)) from None
        except requests.exceptions.RequestException as exc:
            raise ServiceError(_("cannot reach Google Sheets at {url} ({tries} tries): {kind}").format(
                url=self._api_url, tries=self._retry.tries, kind=type(exc).__name__)) from None

    def _api_error(self, exc: APIError) -> BackboneError:
        status = exc.response.status_code
        message = _one_line(str(exc.error.get("message", "")))
        if status == 403:
            return AccessError(_("the spreadsheet {key} is not shared with the service account {account}; share it "
                                 "with that address as Editor").format(key=self.key, account=self._client_email or "(?)"))
        if status == 404:
            return ConfigError(_("the spreadsheet {key} does not exist (Google Sheets answered 404); check "
                                 "BACKBONE_SHEET: the key is the part after /d/ in the spreadsheet's address").format(key=self.key))
        if status == 401:
            return AccessError(_("Google Sheets did not accept the sign-in of the service account {account} (401): "
                                 "{message}").format(account=self._client_email or "(?)", message=message))
        if status in RETRYABLE_STATUS:
            return ServiceError(_("Google Sheets answered {status} {name} after {tries} tries: {message}").format(
                status=status, name=exc.error.get("status", ""), tries=self._retry.tries, message=message), status=status)
        return ServiceError(_("Google Sheets refused a request for {key} ({status}): {message}").format(
            key=self.key, status=status, message=message), status=status)
