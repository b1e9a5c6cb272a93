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
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from django.db import connections, router
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


def rows_insert(objs: Sequence[Model]) -> None:
    """INSERT ``objs`` (one model) in one statement, as ``bulk_create`` would."""
    if not objs:
        return
    model = type(objs[0])
    using = router.db_for_write(model)
    connection = connections[using]
    with_pk = objs[0].pk is not None
    fields = _insert_fields(model, with_pk)
    quote = connection.ops.quote_name

    def build() -> str:
        _plain(fields)
        columns = ", ".join(quote(field.column) for field in fields)
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        rows = ", ".join([row] * len(objs))
        return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {rows}"

    sql = _statement((using, "insert", model, with_pk, len(objs)), build)
    params = [
        field.get_db_prep_save(field.pre_save(obj, True), connection)
        for obj in objs
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


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
