"""Miro boards: a read-only REST API v2 client and the board source built on it (sync/core/board/miro.py normalises)."""
