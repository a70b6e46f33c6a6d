"""The documentation site (mkdocs.yml, docs/): it builds with no broken link and no missing
picture, every role has its guide in Vietnamese and in English, every committed picture is one
a guide shows, and the README stays short: what chiso is, its two commands, and where the
guides are.

The pictures themselves are taken by tests/web/test_browser_guide.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GUIDES = DOCS / "guide"
ROLES = ("administrator", "officer", "appraiser", "chair", "leader", "public", "analyst")
PICTURE = re.compile(r"\]\(img/(vi|en)/([a-z0-9-]+\.png)\)")
README_COMMANDS = [
    "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/chiso serve --demo",
    "bash scripts/test.sh",
]


def _nav_files(nav: object) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [f for item in nav for f in _nav_files(item)]
    if isinstance(nav, dict):
        return [f for value in nav.values() for f in _nav_files(value)]
    return []


def _config() -> dict[str, object]:
    # mkdocs.yml is plain YAML (no !!python tags): the safe loader reads it
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert isinstance(config, dict)
    return config


def test_the_site_builds_strictly_with_no_broken_link_or_missing_picture(tmp_path: Path) -> None:
    site = tmp_path / "site"
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    for role in ROLES:
        vi = (site / "guide" / role / "index.html").read_text(encoding="utf-8")
        en = (site / "en" / "guide" / role / "index.html").read_text(encoding="utf-8")
        assert 'lang="vi"' in vi and 'lang="en"' in en, role
    # the reference pages, written in English, are reachable in both languages
    assert (site / "units" / "index.html").exists()
    assert (site / "en" / "units" / "index.html").exists()


def test_every_role_has_a_guide_in_vietnamese_and_in_english_in_the_navigation() -> None:
    nav = _nav_files(_config()["nav"])
    for role in ROLES:
        assert f"guide/{role}.md" in nav, role
        vi = (GUIDES / f"{role}.md").read_text(encoding="utf-8")
        en = (GUIDES / f"{role}.en.md").read_text(encoding="utf-8")
        # each guide is written in its own language, and shows its own language's pictures
        assert re.search(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", vi), role
        assert "](img/en/" not in vi and "](img/vi/" not in en, role
    for page in sorted(DOCS.glob("*.md")):
        if not page.name.endswith(".en.md") and page.name != "index.md":
            assert page.name in nav, f"{page.name}: a reference page left out of the site"


def test_every_committed_picture_is_shown_by_a_guide_and_the_pictures_stay_small() -> None:
    shown: set[str] = set()
    for guide in GUIDES.glob("*.md"):
        shown |= {f"{lang}/{name}" for lang, name in PICTURE.findall(guide.read_text("utf-8"))}
    committed = {f"{p.parent.name}/{p.name}" for p in (GUIDES / "img").glob("*/*.png")}
    assert committed == shown
    # the same pictures in both languages
    assert {n for n in shown if n.startswith("vi/")} == {
        "vi/" + n[3:] for n in shown if n.startswith("en/")
    }
    total = sum(p.stat().st_size for p in (GUIDES / "img").glob("*/*.png"))
    assert total < 4_000_000, f"{total:,} bytes of pictures"


def test_the_readme_keeps_its_two_commands_and_points_to_the_guides() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = readme.split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", first, flags=re.S)
    assert [line for b in blocks for line in b.splitlines() if line.strip()] == README_COMMANDS
    assert "(docs/index.md)" in first and "mkdocs serve" in first
