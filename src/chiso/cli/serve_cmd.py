"""``chiso serve``: the web application on this machine (SQLite by default)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from chiso.cli.output import err, out


def serve_command(
    port: Annotated[int, typer.Option("--port", help="port on 127.0.0.1")] = 8000,
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    demo: Annotated[bool, typer.Option("--demo", help="load the simulated demo first")] = False,
    threads: Annotated[int, typer.Option("--threads", help="threads per worker")] = 8,
    workers: Annotated[
        int, typer.Option("--workers", help="worker processes (>1: gunicorn, on Linux/macOS)")
    ] = 1,
) -> None:
    """Start the application (DATABASE_URL for PostgreSQL); --demo loads a simulated province
    with an account for every role, printed below."""
    if demo:
        os.environ["CHISO_DEMO"] = "1"
        # the demo runs over plain http on this machine: cookies cannot require https
        os.environ.setdefault("CHISO_INSECURE_COOKIES", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.web.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    if demo:
        from chiso.web.demo import DEMO_PASSWORD, load_demo

        out.print("[bold yellow]DEMO — DỮ LIỆU MÔ PHỎNG / SIMULATED DATA[/bold yellow]")
        for account in load_demo():
            out.print(f"  {account.username:<14} {DEMO_PASSWORD}   {account.role}: {account.scope}")
    err.print(f"chiso: http://{host}:{port}/")
    if workers > 1:
        _gunicorn(host, port, workers, threads)
        return
    from waitress import serve

    from chiso.web.wsgi import application

    serve(application, host=host, port=port, threads=threads, ident="chiso")


def _gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    """Several processes, so that a server uses all its cores (Python runs one thread at a
    time per process)."""
    from gunicorn.app.base import BaseApplication

    from chiso.web.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", None)

        def load(self) -> object:
            return application

    Server().run()
