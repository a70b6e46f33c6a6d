"""The database's rows kept aside once and put back before each test of a module.

For data that takes long to make (the demo: some twenty seconds on SQLite, a minute and more
on PostgreSQL) used by tests that must run in ``transactional_db`` (a live server only sees
what they commit), which empties every table after each test: the module makes the data once,
keeps a copy of every table inside the database (``CREATE TABLE … AS SELECT``), and each test
starts from the copy (``INSERT … SELECT``, a second or two) instead of making it again. The
ids are the ones made, so the rows are exactly the data made.
"""

from __future__ import annotations

PREFIX = "kept__"


def _tables() -> list[str]:
    from django.db import connection

    return sorted(
        t
        for t in connection.introspection.django_table_names(only_existing=True)
        if not t.startswith(PREFIX)
    )


def keep() -> None:
    """Copy every table of the models into a table of its own (not a model's: the flush
    between tests leaves it alone)."""
    from django.db import connection

    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"DROP TABLE IF EXISTS {q(PREFIX + table)}")
            cursor.execute(f"CREATE TABLE {q(PREFIX + table)} AS SELECT * FROM {q(table)}")


def put_back() -> None:
    """Every table as it was kept, in one transaction (the foreign keys are checked at its
    end, when every table is whole again)."""
    from django.db import connection, transaction

    q = connection.ops.quote_name
    tables = _tables()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {q(table)}")
        for table in tables:
            cursor.execute(f"INSERT INTO {q(table)} SELECT * FROM {q(PREFIX + table)}")


def forget() -> None:
    """Drop the copies and empty the tables, as a transactional test leaves them."""
    from django.core.management import call_command
    from django.db import connection

    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"DROP TABLE IF EXISTS {q(PREFIX + table)}")
    call_command("flush", verbosity=0, interactive=False)
