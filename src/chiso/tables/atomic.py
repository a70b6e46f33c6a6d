"""Write a file completely or not at all."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SHARED = 0o666
"""The mode asked for an ordinary output file: the user's umask takes away what it takes away
(usually 0o644), as for a file any other program writes."""
PRIVATE = 0o600
"""For a file only its owner may read whatever the umask (a backup holds every account)."""


def _create_beside(target: Path, mode: int) -> str:
    """A new, empty file beside ``target`` under a random name, created with ``mode`` less the
    umask. Not :func:`tempfile.mkstemp`: it always creates 0600, and a table made for
    colleagues would stay readable by its maker alone."""
    directory = target.parent if str(target.parent) else Path(".")
    for _ in range(100):
        tmp = directory / f".{target.name}.{secrets.token_hex(4)}.part"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue
        os.close(fd)
        return str(tmp)
    raise FileExistsError(f"{directory}/.{target.name}.*.part")


@contextmanager
def atomic_target(path: str | Path, mode: int = SHARED) -> Iterator[str]:
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds.
    The file gets ``mode`` less the umask (:data:`PRIVATE` is kept whatever the umask)."""
    target = Path(path)
    tmp = _create_beside(target, mode)
    try:
        yield tmp
        if mode == PRIVATE:
            os.chmod(tmp, PRIVATE)  # a writer that recreated the file made it with the umask's
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
