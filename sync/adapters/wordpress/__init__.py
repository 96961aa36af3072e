"""WordPress's REST API, for `backbone publish` (sync/adapters/wordpress/client.py)."""
from sync.adapters.wordpress.client import WordPressClient

__all__ = ["WordPressClient"]
