"""Build hook: compile the gettext catalogues (.po → .mo) whenever chiso is built or installed.

Everything else is declared in pyproject.toml. Babel writes the .mo files (pure Python, so an
install needs no GNU gettext); the .mo files sit beside their .po files and are not committed.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent


def compile_catalogues() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted((HERE / "src" / "chiso").glob("**/locale/*/LC_MESSAGES/*.po")):
        with po.open("rb") as fh:
            catalogue = read_po(fh, locale=po.parts[-3])
        mo = po.with_suffix(".mo")
        tmp = mo.with_suffix(".mo.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, catalogue, use_fuzzy=False)
        tmp.replace(mo)


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        compile_catalogues()
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogues})
