"""What every app of the web layer may use, and which uses none of them: the one refusal and
how a page tells it, the audit trail, a cycle's framework, the page cache, the forms whose
errors are rules and the bounds of their fields, and the registry through which an app adds a
panel to another app's page. (Canonical JSON, the bytes a publication's SHA-256 is taken of,
is the library's: :func:`chiso.tables.writing.canonical_text`.)

The apps stand on it in one order, each importing only those below it (tests/web/test_layers.py
checks it, imports inside functions included)::

    core → accounts → cycles → plans, portal, archive, service_index → api
"""
