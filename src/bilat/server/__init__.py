"""The web server: the FastAPI app over one store, on top of the REST API (``api/``) and the dashboard
pages (``web/``), which never import it.

    create_app(db_path, token=None, index_path=None, allowed_hosts=None) -> FastAPI
"""
from .app import create_app

__all__ = ["create_app"]
