"""Write rows with statements built once per model and column list.

Django builds the SQL of every ``save()`` and ``bulk_create()`` afresh, and on
the two hottest paths, a start (an execution and its audit entry) and an
advance (its events and the execution's new state), building the statements
cost more CPU than PostgreSQL spent running them. ``rows_insert`` and
``row_update`` build an ``INSERT`` or ``UPDATE`` once per model and columns
(and number of rows), then only prepare the values, with the field methods
``save()`` itself uses: ``pre_save`` (defaults already set by the model,
``auto_now``/``auto_now_add``) and ``get_db_prep_save`` (JSON text, UUIDs,
aware datetimes). Errors are Django's (an ``IntegrityError`` for a unique
constraint). They send no ``pre_save``/``post_save`` signals and do not
return database-made values (an auto-increment id stays unset): they are for
models nobody listens to and whose ids are made in Python or never read.

``rows_insert_together`` writes rows of several models in one statement (the
first ones in data-modifying ``WITH`` clauses): one round trip, and outside a
transaction a transaction of its own, all rows or none, with no ``BEGIN`` and
``COMMIT`` round trips around it (a start with its first slice, its history
and its audit entry). On SQLite (embedded mode), which has no ``INSERT`` in
``WITH``, it is one ``INSERT`` per model in a transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Model

_statements: dict[tuple[Any, ...], str] = {}
_lock = threading.Lock()
MAX_CACHED_ROWS = 64
"""INSERTs of more rows than this are built for each call (and not kept)."""


def _insert_fields(model: type[Model], with_pk: bool) -> list[Any]:
    meta = model._meta
    return [
        field
        for field in meta.local_concrete_fields
        if not field.generated and (with_pk or field is not meta.auto_field)
    ]


def _plain(fields: Sequence[Any]) -> None:
    for field in fields:
        # a field with SQL of its own, or a default the database makes: not for here
        if hasattr(field, "get_placeholder") or field.has_db_default():
            raise TypeError(f"{field} needs the ORM to be written")


def _statement(key: tuple[Any, ...], build: Any) -> str:
    found = _statements.get(key)
    if found is None:
        found = build()
        if key[-1] is None or key[-1] <= MAX_CACHED_ROWS:
            with _lock:
                _statements[key] = found
    return found


def _insert_sql(model: type[Model], fields: Sequence[Any], count: int, connection: Any) -> str:
    _plain(fields)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    rows = ", ".join([row] * count)
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {rows}"


def _params(
    objs: Sequence[Model], fields: Sequence[Any], connection: Any, keep: Collection[str]
) -> list[Any]:
    return [
        field.get_db_prep_save(
            getattr(obj, field.attname) if field.name in keep else field.pre_save(obj, True),
            connection,
        )
        for obj in objs
        for field in fields
    ]


def rows_insert(objs: Sequence[Model], keep: Collection[str] = ()) -> None:
    """INSERT ``objs`` (one model) in one statement, as ``bulk_create`` would."""
    if not objs:
        return
    model = type(objs[0])
    using = router.db_for_write(model)
    connection = connections[using]
    with_pk = objs[0].pk is not None
    fields = _insert_fields(model, with_pk)
    sql = _statement(
        (using, "insert", model, with_pk, len(objs)),
        lambda: _insert_sql(model, fields, len(objs), connection),
    )
    params = _params(objs, fields, connection, keep)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def rows_insert_together(groups: Sequence[Sequence[Model]], keep: Collection[str] = ()) -> None:
    """INSERT every group's rows (each group one model) in one statement, in this order.

    ``keep`` names fields whose value on the objects is final: an ``auto_now_add``
    field set by the caller (``row_stamp``) is not stamped again.
    """
    groups = [group for group in groups if group]
    if not groups:
        return
    using = router.db_for_write(type(groups[0][0]))
    connection = connections[using]
    if connection.vendor != "postgresql":  # SQLite has no INSERT inside WITH
        with transaction.atomic(using=using):
            for group in groups:
                rows_insert(group, keep)
        return
    shapes = []
    params: list[Any] = []
    for group in groups:
        model, with_pk = type(group[0]), group[0].pk is not None
        fields = _insert_fields(model, with_pk)
        shapes.append((model, with_pk, len(group), fields))
        params.extend(_params(group, fields, connection, keep))

    def build() -> str:
        parts = [_insert_sql(model, fields, n, connection) for model, _, n, fields in shapes]
        ctes = ", ".join(f"w{index} AS ({part})" for index, part in enumerate(parts[:-1]))
        return f"WITH {ctes} {parts[-1]}" if ctes else parts[-1]

    key = (using, "together", *((m, pk, n) for m, pk, n, _ in shapes))
    largest = max(n for _, _, n, _ in shapes)
    sql = _statement((*key, largest), build)
    with _prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)


def _prepared_cursor(connection: Any) -> Any:
    """A cursor that sends the values apart from the statement (server-side binding).

    Django's PostgreSQL cursors bind on the client: every execution quotes each
    value into the statement's text (for a start's 60 values, psycopg does not
    cache even how to split the text) and PostgreSQL parses and plans it again.
    A server-binding cursor lets psycopg prepare a statement it sees repeatedly
    on a connection (its ``prepare_threshold``) and PostgreSQL plan it once. It
    is Django's own cursor class and wrapper: errors are Django's, and query
    capture (tests, the debug log) sees the statement.
    """
    from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]  # not in the stubs
        ServerBindingCursor,
    )

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))


def row_stamp(obj: Model) -> None:
    """Set ``obj``'s ``auto_now``/``auto_now_add`` fields now, as an INSERT would."""
    for field in obj._meta.local_concrete_fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            field.pre_save(obj, True)


def row_update(obj: Model, names: Sequence[str]) -> int:
    """UPDATE the columns ``names`` of ``obj``'s row; the number of rows updated (0 or 1)."""
    model = type(obj)
    meta = model._meta
    using = router.db_for_write(model)
    connection = connections[using]
    fields: list[Any] = [meta.get_field(name) for name in names]
    quote = connection.ops.quote_name

    def build() -> str:
        _plain(fields)
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
        table, pk = quote(meta.db_table), quote(str(meta.pk.column))
        return f"UPDATE {table} SET {assignments} WHERE {pk} = %s"

    sql = _statement((using, "update", model, tuple(names), None), build)
    params = [field.get_db_prep_save(field.pre_save(obj, False), connection) for field in fields]
    params.append(meta.pk.get_db_prep_value(obj.pk, connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)
