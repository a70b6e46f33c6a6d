"""What a published cycle's public pages are made from, read in one round trip to the database.

A public page kept whole (:mod:`chiso.web.core.kept`) is served by its key alone, and the key
must name everything the page shows that can change: the cycle's newest publication (its
SHA-256), the cycle's name and whether it is simulated, for a unit's page the newest
publication of any cycle (its history reads them all) and the successor links, for the
ranking the boundary maps. Read through the ORM, these were two or three queries whose
building cost more CPU than serving the kept page itself (1.5 to 2 ms of the profile's
2.6 ms); here they are one fixed statement, built once per process, and the publication
itself is read only when a page has to be made."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.http import Http404

from chiso.web.cycles.models import Cycle, Publication, UnitSuccession
from chiso.web.portal.models import BoundaryMap


@dataclass(frozen=True)
class State:
    """A published cycle as its public pages depend on it."""

    cycle: int
    publication: int
    sha256: str
    cycle_version: str
    """A digest of what the pages show of the cycle row itself (its name, whether simulated)."""
    newest: int
    """The newest publication of any cycle (as :func:`chiso.web.cycles.publications.newest_id`)."""
    lineage: str
    """As :func:`chiso.web.cycles.lineage.stamp`: changes whenever a link is added or removed;
    "" when not asked for."""
    maps: str
    """Changes whenever a boundary map is added or removed (a digest of their ids); "" when
    not asked for."""

    def read(self) -> Publication:
        """The publication itself (without its snapshot, read once per SHA-256 elsewhere), as
        :func:`chiso.web.cycles.publications.latest` returns it; read only to make a page."""
        publication = (
            Publication.objects.select_related("cycle").defer("content").get(pk=self.publication)
        )
        publication.newest_of_all = self.newest
        return publication


def state(cycle_id: int, *, lineage: bool = False, maps: bool = False) -> State:
    """The state of a published cycle (404 when it has no publication): its newest revision,
    the newest publication of all, and the successor links' and boundary maps' versions when
    asked for."""
    with connection.cursor() as cursor:
        cursor.execute(_statement(lineage, maps), [cycle_id])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    pk, sha256, name, simulated, newest, links, last_link, map_ids = row
    version = hashlib.sha256(f"{name}\x00{bool(simulated)}".encode()).hexdigest()[:16]
    return State(
        cycle=cycle_id,
        publication=pk,
        sha256=sha256,
        cycle_version=version,
        newest=newest,
        lineage=f"{links}-{last_link or 0}" if lineage else "",
        maps=hashlib.sha256((map_ids or "").encode()).hexdigest()[:16] if maps else "",
    )


@cache
def _statement(lineage: bool, maps: bool) -> str:
    """The one SELECT, per database (the boundary maps' ids joined in order differ in SQL)."""
    q = connection.ops.quote_name
    publications = q(Publication._meta.db_table)
    cycles = q(Cycle._meta.db_table)
    links = q(UnitSuccession._meta.db_table)
    boundaries = q(BoundaryMap._meta.db_table)
    if not maps:
        map_ids = "NULL"
    elif connection.vendor == "postgresql":
        map_ids = f"(SELECT string_agg(id::text, ',' ORDER BY id) FROM {boundaries})"
    else:  # SQLite: joined in the order the inner query gives
        map_ids = f"(SELECT group_concat(id, ',') FROM (SELECT id FROM {boundaries} ORDER BY id))"
    counted = (
        f"(SELECT COUNT(*) FROM {links}), (SELECT MAX(id) FROM {links})"
        if lineage
        else "NULL, NULL"
    )
    return (
        f"SELECT p.id, p.sha256, c.name, c.simulated, (SELECT MAX(id) FROM {publications}), "
        f"{counted}, {map_ids} "
        f"FROM {publications} p JOIN {cycles} c ON c.id = p.cycle_id "
        "WHERE p.cycle_id = %s ORDER BY p.revision DESC LIMIT 1"
    )
