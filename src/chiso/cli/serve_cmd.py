"""``chiso serve``: the web application on this machine (SQLite by default)."""

import os
from typing import Annotated

import typer

from chiso.cli.output import check_lang, err, guarded, out


def serve_command(
    port: Annotated[int, typer.Option("--port", help="port on 127.0.0.1")] = 8000,
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    demo: Annotated[bool, typer.Option("--demo", help="load the simulated demo first")] = False,
    threads: Annotated[int, typer.Option("--threads", help="threads per worker")] = 4,
    workers: Annotated[int, typer.Option("--workers", help="worker processes (one per core)")] = 1,
    lang: Annotated[str, typer.Option("--lang", help="vi | en", envvar="CHISO_LANG")] = "vi",
) -> None:
    """Start the application (DATABASE_URL for PostgreSQL); --demo loads a simulated province
    with an account for every role, printed below. A setting that cannot be used (a missing
    or weak CHISO_SECRET_KEY…) is told in a message naming it, before anything starts."""
    check_lang(lang)
    if demo:
        os.environ["CHISO_DEMO"] = "1"
        # the demo runs over plain http on this machine: cookies cannot require https
        os.environ.setdefault("CHISO_INSECURE_COOKIES", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.web.settings")

    def start() -> None:
        import django
        from django.conf import settings
        from django.core.management import call_command

        django.setup()
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", verbosity=0, interactive=False)
        if demo:
            from chiso.web.demo import account_lines, load_demo

            out.print("[bold yellow]DEMO — DỮ LIỆU MÔ PHỎNG / SIMULATED DATA[/bold yellow]")
            for line in account_lines(load_demo(), lang):
                out.print(line, markup=False, highlight=False)

    guarded(lang, start)
    err.print(f"chiso: http://{host}:{port}/")
    _serve(host, port, workers, threads)


def _serve(host: str, port: int, workers: int, threads: int) -> None:
    """Granian: HTTP handled in Rust, the application in ``workers`` processes (Python runs
    one thread at a time per process, so one per core) with ``threads`` threads each.

    No ``backpressure`` below the number of open connections: granian then stops reading the
    connections beyond it, and a visitor on a kept-alive connection waited for as long as the
    others kept theirs (measured: 15 s with 50 visitors and a limit of 4; granian's default,
    its backlog per worker, serves all of them in turn)."""
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    Granian(
        "chiso.web.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        websockets=False,
        log_level=LogLevels.warning,
        log_access=False,
    ).serve()


def run_in_django(command: str, *args: str) -> str:
    """Run one of the web application's management commands (``chiso archive load`` runs
    ``load_archive``) with the settings ``chiso serve`` uses, the database migrated first;
    returns what the command returns."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.web.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    return str(call_command(command, *args) or "")
