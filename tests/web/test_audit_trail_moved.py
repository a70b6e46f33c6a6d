"""The audit trail moved from the cycles app to core without touching its table: a database
made before the move keeps every entry, read by the new model, and goes on writing them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cycles", "0007_evidence_sha256"), ("accounts", "0002_api_tokens")]
AFTER = [("core", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_entries_written_before_the_move_are_read_after_it() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="truoc-khi-chuyen")
    cycle = old.get_model("cycles", "Cycle").objects.create(
        name="Kỳ cũ", year=2023, framework_code="x", framework_yaml=""
    )
    old.get_model("cycles", "AuditEntry").objects.create(
        actor=user, cycle=cycle, object_type="Cycle", object_id=str(cycle.pk), field="state"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    entries = new.get_model("core", "AuditEntry").objects.all()
    assert [(e.field, e.cycle_id, e.actor_id) for e in entries] == [("state", cycle.pk, user.pk)]
    assert "cycles_auditentry" in connection.introspection.table_names()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the newest for the others
