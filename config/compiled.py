"""A QuerySet compiled to SQL once and run many times, for hot paths.

Compiling a QuerySet (building its ``Query``, resolving expressions and
joins, rendering SQL) costs Python time on every evaluation: ~1 ms for a
plain filter, several for one with subqueries — often more than the database
takes to run it. ``CompiledQuery`` compiles a QuerySet built with *stand-in*
values once; each call swaps each stand-in's parameter for the call's value,
runs the SQL, and builds the results the way QuerySet iteration does (field
converters; model instances with their ``select_related`` objects and
annotations, as ``ModelIterable`` does).

On PostgreSQL the statement runs with server-side binding as a prepared
statement (planned once per connection; ``DATABASE_PREPARED_STATEMENTS``).

Rules: a stand-in must be bound in the compiled SQL (checked; every place it
is bound takes the call's value) — choose values no real call uses, within the field's range (Django compiles a
lookup with an out-of-range integer to an empty result); anything that depends on time must come from
the database's clock (``Now()``), not from Python at compile time; a
statement with ``select_for_update`` must be compiled inside a transaction.
Instances are shared between threads: calls only read them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators


def _native_placeholders(sql: str) -> str:
    """Django's ``%s`` placeholders as PostgreSQL's ``$1, $2, …`` (``%%`` is a
    literal ``%``)."""
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        if match.group() == "%%":
            return "%"
        count += 1
        return f"${count}"

    return re.sub(r"%%|%s", swap, sql)


class CompiledQuery[M: Model]:
    def __init__(self, queryset: QuerySet[M, Any], stand_ins: Mapping[str, object]):
        self.model = queryset.model
        self.db = queryset.db
        # As QuerySet iteration passes it on (Django 6.1 fetch modes; no stub).
        self.fetch_mode = queryset._fetch_mode  # type: ignore[attr-defined]
        self.compiler = queryset.query.get_compiler(using=self.db)
        sql, params = self.compiler.as_sql()
        self.sql = sql
        self.native_sql = _native_placeholders(sql)
        self.params = list(params)
        self.positions = {
            name: self._position(name, value) for name, value in stand_ins.items()
        }

    def _position(self, name: str, stand_in: object) -> list[int]:
        found = [
            i
            for i, p in enumerate(self.params)
            if isinstance(p, type(stand_in)) and p == stand_in
        ]
        if not found:
            raise ValueError(f"stand-in {name}={stand_in!r} is not bound")
        return found

    def _fetch(self, values: Mapping[str, object]) -> list[Any]:
        if values.keys() != self.positions.keys():
            raise TypeError(f"values for {sorted(self.positions)} expected")
        params = list(self.params)
        for name, value in values.items():
            for at in self.positions[name]:
                bound = params[at]
                if type(bound) is not type(value) and isinstance(bound, type(value)):
                    # Keep the wrapper Django bound it in (psycopg's Int4, …).
                    params[at] = cast(Any, type(bound))(value)
                else:
                    params[at] = value
        raw = run_sql(self.sql, params, using=self.db, native_sql=self.native_sql)
        # Field converters (JSON, time zones, …), as iteration applies them.
        return list(self.compiler.results_iter([raw]))

    def rows(self, **values: object) -> list[tuple[Any, ...]]:
        """The rows of a ``values_list()`` QuerySet (its fields, in order)."""
        return [tuple(row) for row in self._fetch(values)]

    def objects(self, **values: object) -> list[M]:
        """Model instances, with ``select_related`` objects and annotations."""
        rows = self._fetch(values)
        compiler = self.compiler
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        names = [f[0].target.attname for f in select[start:end]]
        out: list[M] = []
        for row in rows:
            obj = self.model.from_db(
                self.db, names, row[start:end], fetch_mode=self.fetch_mode
            )
            for populator in get_related_populators(
                klass_info, select, self.db, self.fetch_mode
            ):
                populator.populate(row, obj)
            for name, position in compiler.annotation_col_map.items():
                setattr(obj, name, row[position])
            out.append(obj)
        return out


def run_sql(
    sql: str,
    params: list[Any],
    *,
    using: str = "default",
    native_sql: str | None = None,
) -> list[tuple[Any, ...]]:
    """Run one statement written with Django's ``%s`` placeholders and return
    its rows. On PostgreSQL with ``DATABASE_PREPARED_STATEMENTS``: server-side
    binding, so PostgreSQL can keep the plan (prepared on first use per
    connection, then only executed), with the SQL in PostgreSQL's own $n form
    (``native_sql``, when the caller converted it once: psycopg would
    otherwise re-parse a long statement's placeholders on every call; it
    caches only statements under 4 KB). Through Django's cursor wrapper, so
    the query is logged and counted as any other."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        if connection.connection.prepare_threshold is not None:
            import psycopg

            bound = psycopg.RawCursor(connection.connection)
            with connection._prepare_cursor(bound) as cursor:  # type: ignore[attr-defined]
                cursor.execute(native_sql or _native_placeholders(sql), params)
                return cursor.fetchall() if cursor.description else []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def insert_row(
    obj: Model, computed: Mapping[str, tuple[str, list[Any]]] | None = None
) -> tuple[list[str], list[str], list[Any]]:
    """The columns, placeholders and parameters of an INSERT of ``obj`` as
    ``QuerySet.bulk_create`` would write it (``pre_save``: ``auto_now``
    times are set on ``obj``; database-ready values), to put in a statement of
    one's own. The primary key is left to the database. ``computed``: an
    attname's SQL expression and its parameters instead of its value (a
    foreign key read from an earlier part of the statement, say)."""
    connection = connections["default"]
    quote = connection.ops.quote_name
    columns: list[str] = []
    placeholders: list[str] = []
    params: list[Any] = []
    for field in obj._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(quote(cast(str, field.column)))
        if computed and field.attname in computed:
            expression, extra = computed[field.attname]
            placeholders.append(expression)
            params.extend(extra)
            continue
        value = field.pre_save(obj, add=True)
        placeholders.append("%s")
        params.append(field.get_db_prep_save(value, connection=connection))
    return columns, placeholders, params
