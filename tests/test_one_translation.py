"""One English for one Vietnamese text: the project's catalogues (every
``src/chiso/**/locale/en/LC_MESSAGES/*.po``, read with Babel) never translate the same msgid in
the same context two ways. Django merges the catalogues into one at run time, so a msgid held
twice shows one translation on a page and the other in a file or another page, whichever
catalogue wins, and a reader meets two names for one thing."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

SRC = Path(__file__).resolve().parents[1] / "src" / "chiso"

Key = tuple[str | None, str]
"""(context, msgid)."""


def translations(root: Path) -> dict[Key, dict[str, list[str]]]:
    """Every (context, msgid) of the English catalogues under ``root``: its translations, each
    with the catalogues that hold it (a plural's forms joined; untranslated entries left out)."""
    found: dict[Key, dict[str, list[str]]] = {}
    for po in sorted(root.glob("**/locale/en/LC_MESSAGES/*.po")):
        with po.open("rb") as f:
            catalogue = read_po(f)
        for message in catalogue:
            if not message.id:
                continue  # the header
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            text = message.string if isinstance(message.string, str) else " | ".join(message.string)
            if not text.strip(" |"):
                continue
            where = po.relative_to(root).as_posix()
            found.setdefault((message.context, msgid), {}).setdefault(text, []).append(where)
    return found


def disagreements(root: Path) -> list[str]:
    return [
        f"{context or ''}|{msgid!r}: "
        + "; ".join(f"{text!r} in {', '.join(files)}" for text, files in texts.items())
        for (context, msgid), texts in translations(root).items()
        if len(texts) > 1
    ]


def test_a_msgid_in_a_context_has_one_translation_across_the_catalogues() -> None:
    found = disagreements(SRC)
    assert not found, "one English for each text:\n" + "\n".join(found)


def test_the_scan_finds_two_translations_of_one_msgid(tmp_path: Path) -> None:
    """The scan itself: the same msgid and context translated two ways in two catalogues is
    found; the same msgid in another context, or translated alike, is not."""
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
    entries = {
        "a": 'msgid "Kế hoạch"\nmsgstr "Plan"\n\nmsgid "Nhóm"\nmsgstr "Group"\n\n'
        'msgctxt "column"\nmsgid "Xếp hạng"\nmsgstr "Rank"\n',
        "b": 'msgid "Kế hoạch"\nmsgstr "Plans"\n\nmsgid "Nhóm"\nmsgstr "Group"\n\n'
        'msgctxt "state"\nmsgid "Xếp hạng"\nmsgstr "Ranked"\n',
    }
    for app, text in entries.items():
        folder = tmp_path / app / "locale" / "en" / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "django.po").write_text(header + text, encoding="utf-8")
    found = disagreements(tmp_path)
    assert len(found) == 1 and found[0].startswith("|'Kế hoạch'"), found


def test_the_plans_have_one_english_name_in_every_context() -> None:
    """The label of the improvement plans (the app's name, the pages' heading and link, the
    plan's document) was "Index improvement plans" in one catalogue and "Plan to improve the
    index" in another."""
    names = {
        text
        for (_, msgid), texts in translations(SRC).items()
        if msgid == "Kế hoạch nâng cao chỉ số"
        for text in texts
    }
    assert names == {"Index improvement plan"}
