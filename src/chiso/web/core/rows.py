"""Model instances from one hand-written query, for the few lookups every signed-in request
makes (the person and their roles, the sheet with its cycle, unit and deadline).

Django builds the SQL of a queryset afresh each time it runs one: for a lookup by id that
building costs several times what the database does (0.3 to 0.8 ms of the server's CPU each,
measured with benchmarks/bench_cpu_per_request.py), and a signed-in page made four of them.
The few lookups made on every request write their SQL once per database from the models'
own metadata (:func:`columns`, :func:`table`, :func:`column`), join what they need in one
query, and build each instance as the ORM does (:func:`instance`: ``Model.from_db`` after
the same converters the ORM applies, so a date on SQLite or a JSON field reads the same).
What they return is what the equivalent queryset returns; tests compare the two.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

M = TypeVar("M", bound=models.Model)
Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


@dataclass(frozen=True)
class _Shape:
    names: list[str]
    pk_at: int
    converters: list[list[tuple[Converter, Any]]]


_shapes: dict[tuple[type[models.Model], str], _Shape] = {}


def table(model: type[models.Model], connection: BaseDatabaseWrapper) -> str:
    """The model's table name, quoted for ``connection``."""
    return str(connection.ops.quote_name(model._meta.db_table))


def column(
    model: type[models.Model], name: str, alias: str, connection: BaseDatabaseWrapper
) -> str:
    """``alias.column`` of the model's field ``name`` (its attribute name: ``unit_id``)."""
    field = model._meta.get_field(name.removesuffix("_id"))
    return f"{alias}.{connection.ops.quote_name(field.column)}"


def width(model: type[models.Model]) -> int:
    """How many columns :func:`columns` selects for ``model``."""
    return len(model._meta.concrete_fields)


def columns(model: type[models.Model], alias: str, connection: BaseDatabaseWrapper) -> str:
    """Every concrete column of ``model`` in the table aliased ``alias``, in the order
    :func:`instance` reads them."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields)


def _shape(model: type[models.Model], connection: BaseDatabaseWrapper) -> _Shape:
    """The model's attribute names, where its primary key is among them, and for each
    concrete field the converters the ORM applies to its column's value (the backend's, then
    the field's ``from_db_value``), as ``SQLCompiler.get_converters`` finds them."""
    key = (model, connection.vendor)
    found = _shapes.get(key)
    if found is None:
        fields = model._meta.concrete_fields
        converters = []
        for field in fields:
            expression = field.get_col(model._meta.db_table)
            converters.append(
                [
                    (converter, expression)
                    for converter in connection.ops.get_db_converters(expression)
                    + expression.get_db_converters(connection)
                ]
            )
        found = _Shape(
            [f.attname for f in fields],
            [f.attname for f in fields].index(model._meta.pk.attname),
            converters,
        )
        _shapes[key] = found
    return found


def instance(
    model: type[M], row: Sequence[Any], start: int, connection: BaseDatabaseWrapper
) -> M | None:
    """The ``model`` whose columns (as :func:`columns` selected them) begin at ``row[start]``;
    None when its primary key is NULL (a LEFT JOIN that found nothing)."""
    shape = _shape(model, connection)
    values = list(row[start : start + len(shape.names)])
    if values[shape.pk_at] is None:
        return None
    for i, converters in enumerate(shape.converters):
        for converter, expression in converters:
            values[i] = converter(values[i], expression, connection)
    return model.from_db(connection.alias, shape.names, values)


class Reader:
    """The instances of a row that selected several models' :func:`columns` one after another,
    read in the same order: keeps the count of columns already read, so a lookup names only
    its models."""

    def __init__(self, row: Sequence[Any], connection: BaseDatabaseWrapper) -> None:
        self.row, self.connection, self.at = row, connection, 0

    def next(self, model: type[M]) -> M | None:
        """The next model's instance (None when its primary key is NULL), as :func:`instance`."""
        found = instance(model, self.row, self.at, self.connection)
        self.at += width(model)
        return found
