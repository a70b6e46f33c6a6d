"""What every app of the web layer may use, and which uses none of them: the one refusal and
how a page tells it, the audit trail, a cycle's framework, canonical JSON, the page cache, the
forms whose errors are rules, and the registry through which an app adds a panel to another
app's page.

The apps stand on it in one order, each importing only those below it (tests/web/test_layers.py
checks it, imports inside functions included)::

    core → accounts → cycles → plans, portal, archive, service_index → api
"""
