"""A province's own framework in the web application: an administrator uploads it as a YAML
file or as the Word/Excel criteria table of its decision; every problem is reported at once
and nothing is saved until the file is clean. Each upload of a code is a new version; a cycle
keeps the version it was opened with. Versions download back as YAML, Excel and Word."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max

from chiso.frameworks import builtin_frameworks, framework_from_text
from chiso.problems import ProblemReport, Refusal
from chiso.tables.criteria_tables import TableMeta, export_table, import_table
from chiso.web.accounts.policy import can_manage
from chiso.web.core.audit import audit
from chiso.web.core.refusals import forbidden
from chiso.web.cycles.models import FrameworkVersion

TABLES = (".docx", ".xlsx")
FORMATS = {
    "yaml": "application/yaml; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


MAX_BYTES = 5 * 2**20
"""The largest framework file accepted: the largest criteria table (a province's, with its
guidance) is a few hundred KB as Word or Excel and far less as YAML."""


def too_large() -> Refusal:
    """The refusal of a framework file above :data:`MAX_BYTES`."""
    return Refusal("cycle.file_too_large", limit=f"{MAX_BYTES / 2**20:g}")


def _read_text(name: str, data: bytes, meta: TableMeta | None) -> str:
    """The framework file's text, checked: YAML as it is, a table through the importer."""
    suffix = Path(name).suffix.lower()
    if suffix in (".yaml", ".yml"):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            report = ProblemReport()
            report.add("file.encoding", name)
            raise Refusal(report) from None
        try:
            framework_from_text(text, name)
        except Refusal as exc:
            raise Refusal(exc.report.for_file(name)) from None
        return text
    if suffix in TABLES:
        if meta is None:
            raise Refusal("framework.table_needs")
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / f"upload{suffix}"
            path.write_bytes(data)
            return import_table(path, meta, name)
    report = ProblemReport()
    report.add("file.format", name, format=suffix or "?")
    raise Refusal(report)


@transaction.atomic
def upload_framework(
    actor: Any, name: str, data: bytes, meta: TableMeta | None = None
) -> FrameworkVersion:
    """A new version of the framework in the uploaded file; nothing is saved on a problem."""
    if not can_manage(actor):
        raise forbidden()
    if len(data) > MAX_BYTES:
        raise too_large()
    text = _read_text(name, data, meta)
    fw = framework_from_text(text, name)
    if fw.code in {b.code for b in builtin_frameworks()}:
        raise Refusal("framework.builtin_code", code=fw.code)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    latest = FrameworkVersion.objects.filter(code=fw.code).order_by("-version").first()
    if latest is not None and latest.sha256 == sha:
        raise Refusal("framework.unchanged", code=fw.code, version=latest.version)
    number = (
        FrameworkVersion.objects.filter(code=fw.code).aggregate(Max("version"))["version__max"] or 0
    ) + 1
    version = FrameworkVersion.objects.create(
        code=fw.code,
        version=number,
        yaml=text,
        sha256=sha,
        file_name=Path(name).name[:255],
        name=fw.name_vi[:500],
        nodes=len(fw.codes),
        complete=fw.is_complete,
        uploaded_by=actor,
    )
    audit(actor, None, version, "framework", None, f"{fw.code} v{number} {sha}")
    return version


def download(version: FrameworkVersion, fmt: str) -> bytes:
    """The version as its YAML, or as a criteria table in Excel or Word."""
    if fmt == "yaml":
        return version.yaml.encode("utf-8")
    fw = framework_from_text(version.yaml, f"{version.code}.yaml")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"framework.{fmt}"
        export_table(fw, path)
        return path.read_bytes()
