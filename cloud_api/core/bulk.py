"""Multi-row INSERTs without model instances, for the sync push's hot path.

``bulk_create`` spends most of its time building model objects and compiling one placeholder
per value (about 60 % of a 500-sale push). Here rows are plain tuples; on MariaDB/MySQL each
chunk of rows becomes one ``INSERT ... VALUES (...), (...)`` whose literals are written with
PyMySQL's own escaping, but by column (a UUID column is its hex, an int its digits) instead of
PyMySQL's per-value dispatch through ``executemany``, which alone was a quarter of a push.
The values stored are what ``bulk_create`` would have stored (``tests/cloud/test_bulk_insert``).

Primary keys: one multi-row INSERT takes consecutive auto-increment values when InnoDB's
``innodb_autoinc_lock_mode`` is 0 or 1 (a "simple insert": the row count is known up front), and
the server reports the first one, so the keys of a chunk are ``first + i * increment`` with no
read-back. With mode 2 (interleaved) that does not hold and the keys are read back by ``uuid``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any
from uuid import UUID

from django.db import connection, models
from django.utils import timezone
from pymysql.constants import SERVER_STATUS
from pymysql.converters import escape_string as _untyped_escape_string

from cloud_api.core.django_internals import mark_saved

# PyMySQL ships no types: its string escaper, as it behaves.
escape_string: Callable[[str], str] = _untyped_escape_string

_CONVERTED = (models.UUIDField, models.DateTimeField, models.DateField, models.JSONField)
# One statement stays far below max_allowed_packet (16 MB by default, 4 MB on old servers).
_STATEMENT_BYTES = 1_000_000

Literal = Callable[[Any], str]


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    """Python value -> database value, for the columns that need it (elsewhere as is)."""
    if isinstance(field, models.UUIDField):
        # What UUIDField.get_db_prep_value gives, without its per-value detour through to_python.
        if connection.features.has_native_uuid_field:
            return str
        return lambda value: value.hex if isinstance(value, UUID) else UUID(str(value)).hex
    if isinstance(field, _CONVERTED):
        last: list[Any] = [object(), None]  # rows of one batch mostly share one timestamp

        def convert(value: Any) -> Any:
            if value is not last[0]:
                last[0], last[1] = value, field.get_db_prep_save(value, connection)
            return last[1]

        return convert
    return None


def _literal_writer(raw: Any) -> Literal:
    """SQL literal of a database value, as PyMySQL's cursor writes it (``Connection.escape``),
    with the common types (int, str, None, bool) first, without its per-value dispatch."""
    fallback: Literal = raw.escape
    if raw.server_status & SERVER_STATUS.SERVER_STATUS_NO_BACKSLASH_ESCAPES:
        return fallback  # a server mode we never set: PyMySQL's own path for every value

    def write(value: Any) -> str:
        kind = type(value)
        if kind is int:
            return str(value)
        if kind is str:
            return "'" + escape_string(value) + "'"
        if value is None:
            return "NULL"
        if kind is bool:
            return "1" if value else "0"
        return str(fallback(value))

    return write


def _column_writer(field: models.Field, write: Literal) -> Literal:
    convert = _converter(field)
    if isinstance(field, models.UUIDField) and not connection.features.has_native_uuid_field:
        # A UUID column is CHAR(32) of hex digits: nothing to escape.
        return lambda value: (
            "NULL"
            if value is None
            else "'" + (value.hex if isinstance(value, UUID) else UUID(str(value)).hex) + "'"
        )
    if convert is None:
        return write
    return lambda value: "NULL" if value is None else write(convert(value))


def _statement_head(model: type[models.Model], columns: Sequence[models.Field]) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(field.column)) for field in columns)  # concrete: never None
    # Not injectable: the model's own table and column names, quoted by the backend.
    return f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES "  # nosec B608


def _mysql_chunks(columns: Sequence[models.Field], rows: Iterable[Sequence]) -> Iterable[list[str]]:
    """Rows as ``(...)`` literal groups, in chunks of about ``_STATEMENT_BYTES``."""
    connection.ensure_connection()
    write = _literal_writer(connection.connection)
    writers = [_column_writer(field, write) for field in columns]
    chunk: list[str] = []
    size = 0
    for row in rows:
        text = "(" + ",".join([w(v) for w, v in zip(writers, row, strict=True)]) + ")"
        chunk.append(text)
        size += len(text) + 1
        if size >= _STATEMENT_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _mysql_insert(
    model: type[models.Model], columns: Sequence[models.Field], rows: Iterable[Sequence]
) -> tuple[int, list[tuple[int, int]]]:
    """Run the INSERTs; returns the row count and, per statement, (first key, row count)."""
    head = _statement_head(model, columns)
    count, firsts = 0, []
    with connection.cursor() as cursor:
        for chunk in _mysql_chunks(columns, rows):
            # No parameters: PyMySQL sends the text as is (a '%' in a value stays a '%').
            cursor.execute(head + ",".join(chunk))
            firsts.append((cursor.lastrowid, len(chunk)))
            count += len(chunk)
    return count, firsts


def _generic_insert(
    model: type[models.Model], columns: Sequence[models.Field], rows: Iterable[Sequence]
) -> int:
    """Other databases (the demo's SQLite): ``executemany`` with the fields' conversions."""
    converters = [_converter(field) for field in columns]
    prepared = [
        tuple(
            value if convert is None or value is None else convert(value)
            for value, convert in zip(row, converters, strict=True)
        )
        for row in rows
    ]
    if prepared:
        sql = _statement_head(model, columns) + f"({', '.join(['%s'] * len(columns))})"
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)
    return len(prepared)


def _concrete_field(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a relation's reverse side, not a column")
    return field


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """INSERT ``rows`` (tuples in the order of ``fields``, Python values); returns the count."""
    columns = [_concrete_field(model, name) for name in fields]
    if connection.vendor == "mysql":
        return _mysql_insert(model, columns, rows)[0]
    return _generic_insert(model, columns, rows)


def _consecutive_key_step() -> int | None:
    """The step between the keys one multi-row INSERT takes, or None when they may interleave
    with another session's (``innodb_autoinc_lock_mode = 2``). Asked once per connection."""
    raw = connection.connection
    if not hasattr(raw, "asiria_key_step"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT @@innodb_autoinc_lock_mode, @@session.auto_increment_increment")
            mode, step = cursor.fetchone()
        raw.asiria_key_step = int(step) if int(mode) in (0, 1) else None
    key_step: int | None = raw.asiria_key_step
    return key_step


def insert_objects(
    model: type[models.Model], objects: Sequence[models.Model], *, keys: bool = True
) -> None:
    """INSERT unsaved model objects (every concrete field but the key; ``auto_now`` times set
    here), then (``keys``) give them their primary keys."""
    if not objects:
        return
    now = timezone.now()
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    stamped = [
        field.attname
        for field in fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    for obj in objects:
        for name in stamped:
            setattr(obj, name, now)
    attnames = [field.attname for field in fields]
    rows = ([getattr(obj, name) for name in attnames] for obj in objects)
    if connection.vendor == "mysql":
        _, firsts = _mysql_insert(model, fields, rows)
        step = _consecutive_key_step() if keys else None
        if step is not None:
            position = 0
            for first, count in firsts:
                for offset in range(count):
                    obj = objects[position + offset]
                    obj.pk = first + offset * step
                    mark_saved(obj)
                position += count
            return
    else:
        _generic_insert(model, fields, rows)
    if keys:
        _read_back_keys(model, objects)


def _read_back_keys(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    found = dict(
        # Every model written this way has a uuid (its id on the wire).
        model._default_manager.filter(uuid__in=[obj.uuid for obj in objects]).values_list(  # type: ignore[attr-defined]
            "uuid", "pk"
        )
    )
    for obj in objects:
        obj.pk = found[obj.uuid]  # type: ignore[attr-defined]
        mark_saved(obj)
