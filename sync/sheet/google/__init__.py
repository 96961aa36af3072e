"""The Google Sheets backend: gspread with a service-account key, one read and at most two writes per sync.

read():  1 metadata GET + 1 values:batchGet for every tab the schema knows.
apply(): at most 1 spreadsheets:batchUpdate (new tabs, larger grids) + 1 values:batchUpdate (RAW).
Every request goes through SheetsHTTPClient (transport.py): rewritten to the configured API base, retried
under the RetryPolicy, and counted in `stats`. Failures become one readable BackboneError line.
"""
from .backend import GoogleSheet
from .credentials import GOOGLE_API, load_service_account, spreadsheet_key
from .transport import SheetsHTTPClient

__all__ = ["GOOGLE_API", "GoogleSheet", "SheetsHTTPClient", "load_service_account", "spreadsheet_key"]
