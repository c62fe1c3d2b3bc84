"""``bilat serve``: the dashboard and REST API over one store (read-only, or open for corrections with ``--review``)."""
from __future__ import annotations

import logging
import os
import webbrowser

import typer
from rich.console import Console

from ..errors import BilatError
from ..store.writer import DEFAULT_DB
from .args import check_port

logger = logging.getLogger(__name__)
console = Console(stderr=True)


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the ``bilat`` CLI."""

    @app.command()
    def serve(
        db: str = typer.Option(DEFAULT_DB, "--db", help="DuckDB database file (opened read-only)."),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; other than loopback needs BILAT_TOKEN."),
        port: int = typer.Option(8000, "--port", callback=check_port, help="Port to listen on (1 to 65535)."),
        open_browser: bool = typer.Option(False, "--open/--no-open", help="Open the dashboard in a browser."),
        review: bool = typer.Option(False, "--review", help="Take corrections in the dashboard and POST "
                                    "/api/corrections: opens the store for writing (set BILAT_TOKEN to "
                                    "require the token for them too)."),
    ) -> None:
        """Serve the web dashboard and the REST API (OpenAPI at /openapi.json)."""
        import uvicorn

        from ..api.security import LOOPBACK_NAMES, TOKEN_ENV, host_name, is_loopback, token_problem
        from ..server import create_app

        token = os.environ.get(TOKEN_ENV) or None
        if not is_loopback(host) and not token:
            console.print(f"[red]error:[/red] binding {host} needs a token: set {TOKEN_ENV} "
                          "(clients send 'Authorization: Bearer …' or ?token=…)")
            raise typer.Exit(2)
        if token and (problem := token_problem(token)):
            console.print(f"[red]error:[/red] {problem}")
            raise typer.Exit(2)
        try:
            # on loopback only loopback names are answered (DNS rebinding); elsewhere the token guards
            hosts = LOOPBACK_NAMES | {host_name(host)} if is_loopback(host) else None
            web = create_app(db, token=token, allowed_hosts=hosts, review=review)
            web.state.bilat.search.ensure(web.state.bilat.con)  # build the search index before the first query
        except BilatError as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from None
        url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
        mode = "corrections on" if review else "read-only"
        console.print(f"bilat dashboard on {url} (database {db}, {mode}){' — token required' if token else ''}")
        if open_browser:
            webbrowser.open(url)
        uvicorn.run(web, host=host, port=port, log_level="warning", server_header=False)
