"""The Google Sheets backend: gspread with a service-account key.

read_workshops(): 1 metadata GET carrying the Workshops tab (includeGridData for that range).
read():  1 values:batchGet of every tab (reusing that metadata).
apply(): at most 1 spreadsheets:batchUpdate (new tabs, larger grids, guides) + 1 values:batchUpdate (RAW, one
block per tab, checked by its answer) + 1 repair values:batchUpdate when people moved rows under the write.
Every request goes through SheetsHTTPClient (transport.py): rewritten to the configured API base, retried
under the RetryPolicy, and counted in `stats`. Failures become one readable BackboneError line.
"""
from sync.adapters.gsheets.credentials import GOOGLE_API, load_service_account, spreadsheet_key
from sync.adapters.gsheets.google_sheet import GoogleSheet
from sync.adapters.gsheets.transport import SheetsHTTPClient

__all__ = ["GOOGLE_API", "GoogleSheet", "SheetsHTTPClient", "load_service_account", "spreadsheet_key"]
