"""What the MURAL adapter needs, as plain values; sync/bootstrap.py builds it from the settings."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sync.adapters.retry import RetryPolicy
from sync.adapters.signin.tokens import Vendor

MURAL = Vendor("MURAL", "mural")


@dataclass(frozen=True)
class MuralConfig:
    api_url: str = "https://app.mural.co/api/public/v1"
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    client_auth: str = "basic"  # basic | body: how the client authenticates to the token endpoint
    token_file: Path = Path("var/mural-token.json")
    callback_port: int = 8765
    redirect_url: str = ""  # empty: http://localhost:<callback_port>/callback
    timeout: float = 30.0  # seconds per HTTP request
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_reuse_hours: float = 6.0  # an unchanged board's snapshot is reused this long before it is read again
    voting_session: str = "newest"
    exports_folder: Path = Path(".")  # where `backbone mural pull` writes by default
