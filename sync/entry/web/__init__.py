"""backbone's web service: the page for coordinators, the JSON for monitors, and the nightly schedule.

`create_app(backbone, scheduler=...)` builds the Flask app; `serve.serve(...)` runs it with waitress.
"""
from sync.entry.web.web_app import create_app

__all__ = ["create_app"]
