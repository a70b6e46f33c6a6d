"""Every environment variable chiso reads, in one table: its default, what it means and what
reads it, and the one way each is read and checked.

The settings reference (``docs/settings.md``) is made from this table
(``python -m chiso.environment > docs/settings.md``), and a test reads chiso's code to check that
every variable read anywhere is in the table, that every variable in the table is read, and
that the reference is the table's. A variable that cannot be used (a flag that is neither 1 nor
0, a number that is not one, a weak secret key) stops the server from starting with a
:class:`SettingError` naming the variable and the rule, in the reader's language on the command
line; nothing falls back silently to a default.

Light on purpose: the command line reads its variables here without importing Django."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from chiso.problems import ProblemReport, Refusal


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    """The value when the variable is not set ("" for none)."""
    meaning: str
    read_by: str
    shown_default: str = ""
    """How the reference shows the default, when the value itself would mislead."""


SERVER = "server"
COMMANDS = "commands"
VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in (
        Variable(
            "CHISO_SECRET_KEY",
            "",
            "Signs sessions, CSRF tokens and password-reset links. Required to serve (except in "
            "demo mode); at least 50 characters, at least 12 different ones, none more than a "
            "quarter of them, not one piece repeated, or the server refuses to start. Make one "
            "with `python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`. `chiso "
            "backup`, `restore` and `verify` sign nothing and use a throwaway key if it is unset.",
            SERVER,
            "(required)",
        ),
        Variable(
            "CHISO_DEMO",
            "0",
            "`1`: demo mode, with a random secret key when none is set. Set by `chiso serve "
            "--demo`.",
            SERVER,
        ),
        Variable(
            "CHISO_DATA_DIR",
            "chiso-data",
            "The installation's folder: the SQLite database (unless `DATABASE_URL`), the evidence "
            "and task files (`evidence/`), the open-data archive's files. Outside any web root.",
            f"{SERVER}, `chiso backup`, `restore`, `verify`, `archive load`",
            "`./chiso-data`",
        ),
        Variable(
            "DATABASE_URL",
            "",
            "The database: `postgresql://user:password@host:5432/name` for a real server; "
            "unset, SQLite in `CHISO_DATA_DIR/chiso.sqlite3`.",
            f"{SERVER}, `chiso backup`, `restore`, `verify`, `archive load`",
            "SQLite in `CHISO_DATA_DIR`",
        ),
        Variable(
            "CHISO_ALLOWED_HOSTS",
            "127.0.0.1,localhost,testserver",
            "The host names the server answers to, separated by commas (Django's `ALLOWED_HOSTS`).",
            SERVER,
        ),
        Variable(
            "CHISO_DEBUG",
            "0",
            "`1`: Django's debug mode: error pages with tracebacks and settings for every "
            "visitor, every query kept in memory. Never on a server others can reach. (A "
            "command's traceback is `CHISO_TRACEBACK`.)",
            SERVER,
        ),
        Variable(
            "CHISO_SERVER_TIMING",
            "0",
            "`1`: every answer carries `Server-Timing: app;dur=…`, the CPU milliseconds the "
            "server's thread spent making it (PostgreSQL's own time not included), which the "
            "load test (`benchmarks/bench_soak.py`) reads to say which pages cost most under "
            "load. Off in production: it tells every visitor how long a page took.",
            SERVER,
        ),
        Variable(
            "CHISO_TRACEBACK",
            "0",
            "`1`: a command that meets an unexpected error lets its Python traceback through "
            "(exit code 1) instead of printing one line (exit code 70).",
            COMMANDS,
        ),
        Variable(
            "CHISO_INSECURE_COOKIES",
            "0",
            "`1`: plain http on one machine: cookies without the https-only flag, no redirect to "
            "https, no HSTS. Set by `chiso serve --demo`.",
            SERVER,
        ),
        Variable(
            "CHISO_TLS_PROXY",
            "0",
            "`1`: a proxy in front ends TLS; its `X-Forwarded-Proto` header says whether the "
            "visitor used https. Set it only behind such a proxy.",
            SERVER,
        ),
        Variable(
            "CHISO_HSTS_SECONDS",
            str(365 * 24 * 3600),
            "How long browsers are told to use https only (HSTS), in seconds.",
            SERVER,
            "31536000 (one year)",
        ),
        Variable(
            "CHISO_EVIDENCE_MAX_BYTES",
            str(20 * 2**20),
            "The largest evidence or task file, in bytes. A request whose body is larger than "
            "this plus 1 MiB (the form around the file) is refused (413) before it is read.",
            SERVER,
            "20971520 (20 MiB)",
        ),
        Variable(
            "CHISO_API_RATE",
            "600/m",
            "Requests each API token may make: a number per second (`/s`), minute (`/m`) or "
            "hour (`/h`). Sessions (people at a page) are not limited.",
            SERVER,
        ),
        Variable(
            "CHISO_REDIS_URL",
            "",
            "`redis://host:6379/0`: a cache shared by the server's processes, so a publication, "
            "a token's rate and a lockout reach all of them at once. Unset, each process keeps "
            "its own.",
            SERVER,
            "(none)",
        ),
        Variable(
            "CHISO_MICROCACHE",
            "1",
            "`0`: turns off the five-second cache of public pages in front of Django (to "
            "measure without it).",
            SERVER,
        ),
        Variable(
            "CHISO_EMAIL_HOST",
            "",
            "The SMTP server chiso sends its mail through (password resets, notifications). "
            "Unset, every message is printed on the server's standard output instead (the "
            "demo); nothing is sent.",
            f"{SERVER}, `chiso remind`",
            "(none: printed)",
        ),
        Variable(
            "CHISO_EMAIL_PORT",
            "587",
            "The SMTP server's port.",
            f"{SERVER}, `chiso remind`",
        ),
        Variable(
            "CHISO_EMAIL_USER",
            "",
            "The user name chiso signs in to the SMTP server with; unset, it does not sign in.",
            f"{SERVER}, `chiso remind`",
        ),
        Variable(
            "CHISO_EMAIL_PASSWORD",
            "",
            "The SMTP server's password for `CHISO_EMAIL_USER` (a secret: kept in the "
            "environment only).",
            f"{SERVER}, `chiso remind`",
        ),
        Variable(
            "CHISO_EMAIL_TLS",
            "1",
            "`1`: STARTTLS on the SMTP connection (port 587); `0`: plain SMTP, only to a relay "
            "on the same machine or network.",
            f"{SERVER}, `chiso remind`",
        ),
        Variable(
            "CHISO_EMAIL_FROM",
            "chiso <noreply@localhost>",
            "The sender of chiso's mail.",
            f"{SERVER}, `chiso remind`",
        ),
        Variable(
            "CHISO_SITE_URL",
            "http://127.0.0.1:8000",
            "The site's address as people reach it, for the links in notifications sent by "
            "`chiso remind` (which answers no request to learn it from). Password-reset links "
            "use the address of the request.",
            "`chiso remind`",
        ),
        Variable(
            "CHISO_SPARK_MASTER",
            "local[*]",
            "The Spark master for `chiso dossiers index --engine spark` when `--spark-master` is "
            "not given.",
            "`chiso dossiers index`",
        ),
        Variable(
            "CHISO_LANG",
            "vi",
            "The default of every command's `--lang` (`vi` or `en`).",
            COMMANDS,
        ),
        Variable(
            "OPENBLAS_NUM_THREADS",
            "1",
            "NumPy's own (its OpenBLAS's threads); chiso's commands set it to `1` when it is "
            "unset: their arrays are too short to share among threads, and the idle threads "
            "spin for a while, taking processor time on a shared machine.",
            COMMANDS,
        ),
        Variable(
            "COLUMNS",
            "",
            "The width at which the command line's tables and messages wrap when they do not go "
            "to a terminal (Rich's own, which chiso reads to write a plain line as Rich would).",
            COMMANDS,
            "(the terminal's, else 80)",
        ),
        Variable(
            "FORCE_COLOR",
            "",
            "Rich's own: set to anything but empty, the command line writes colours and styles "
            "even to a file or a pipe.",
            COMMANDS,
        ),
        Variable(
            "TTY_COMPATIBLE",
            "",
            "Rich's own: `1` writes colours and styles even to a file or a pipe, `0` never.",
            COMMANDS,
        ),
        Variable(
            "DJANGO_SETTINGS_MODULE",
            "chiso.web.settings",
            "Django's own; chiso's commands set it when it is unset. Needed to run Django's "
            "tools (`python -m django check --deploy`) on the installation.",
            f"{SERVER}, {COMMANDS}",
        ),
    )
}

_YES = {"1", "true", "yes", "on"}
_NO = {"", "0", "false", "no", "off"}


class SettingError(Refusal):
    """A variable of the environment that cannot be used. Raised while the settings load, so
    the server does not start on it; the command line shows it like any input problem (exit 1,
    in the user's language), and anywhere else its text is the English message."""

    def __init__(self, name: str, rule: str, **params: Any) -> None:
        from chiso.messages import render

        report = ProblemReport()
        report.add(rule, name, **params)
        super().__init__(report)
        self.args = (f"{name}: {render(rule, 'en', **params)} [{rule}]",)


def value(name: str) -> str:
    """The variable's text, or its default when it is unset."""
    return os.environ.get(name, VARIABLES[name].default)


def flag(name: str) -> bool:
    """A switch: ``1`` (or true, yes, on) or ``0`` (or false, no, off, empty)."""
    text = value(name).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise SettingError(name, "setting.bad_flag", value=text[:40])


def integer(name: str, minimum: int = 0) -> int:
    text = value(name).strip()
    try:
        number = int(text)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise SettingError(name, "setting.bad_integer", value=text[:40], minimum=minimum)
    return number


_RATE = re.compile(r"([1-9][0-9]{0,8})/([smh])")


def rate(name: str) -> str:
    """A rate such as ``600/m``: a positive number of requests per second, minute or hour."""
    text = value(name).strip()
    if not _RATE.fullmatch(text):
        raise SettingError(name, "setting.bad_rate", value=text[:40])
    return text


SECRET_KEY_LENGTH = 50
SECRET_KEY_DISTINCT = 12


def secret_key_is_weak(key: str) -> bool:
    """Django's test of a weak key (security.W009: fewer than 50 characters or 5 different
    ones), made stricter: "abcde" ten times passes Django's and is guessed at once. A key must
    have at least 12 different characters, none making up more than a quarter of it, and not
    be one piece repeated. Hexadecimal keys (16 symbols) and Django's own generated keys pass
    these with certainty for all practical purposes."""
    if len(key) < SECRET_KEY_LENGTH or key.startswith("django-insecure-"):
        return True
    if len(set(key)) < SECRET_KEY_DISTINCT:
        return True
    if max(key.count(c) for c in set(key)) * 4 > len(key):
        return True
    return (key + key).find(key, 1) < len(key)  # a piece repeated: key is a rotation of itself


def secret_key(demo: bool) -> str:
    """The server's secret key: required and strong, or (demo mode only) a random one."""
    import secrets

    key = os.environ.get("CHISO_SECRET_KEY", "")
    if not key:
        if not demo:
            raise SettingError("CHISO_SECRET_KEY", "setting.secret_key_missing")
        return secrets.token_urlsafe(SECRET_KEY_LENGTH)
    if secret_key_is_weak(key):
        raise SettingError(
            "CHISO_SECRET_KEY",
            "setting.weak_secret_key",
            length=SECRET_KEY_LENGTH,
            distinct=SECRET_KEY_DISTINCT,
        )
    return key


def reference() -> str:
    """The settings reference (docs/settings.md), from the table above."""
    lines = [
        "# Settings",
        "",
        "chiso reads these environment variables and no others. This page is generated from",
        "`src/chiso/environment.py` (`python -m chiso.environment > docs/settings.md`); a test",
        "checks that it lists every variable the code reads and only those. A value that",
        "cannot be used (a switch that is neither `1` nor `0`, a number that is not one, a",
        "weak secret key) stops the server from starting, with a message naming the variable.",
        "Switches take `1` or `0` (also `true`/`false`, `yes`/`no`, `on`/`off`).",
        "",
        "| Variable | Default | Read by | Meaning |",
        "|---|---|---|---|",
    ]
    for v in VARIABLES.values():
        default = v.shown_default or (f"`{v.default}`" if v.default else "(none)")
        lines.append(f"| `{v.name}` | {default} | {v.read_by} | {v.meaning} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(reference(), end="")
