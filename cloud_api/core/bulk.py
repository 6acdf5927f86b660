"""Multi-row INSERTs without model instances, for the sync push's hot path.

``bulk_create`` spends most of its time building model objects and compiling one placeholder
per value (about 60 % of a 500-sale push); here rows are plain tuples and only the columns
that need it (UUIDs, times, JSON) go through the field's own conversion, so the result is
what ``bulk_create`` would have written. No primary keys come back: use it for rows nothing
refers to in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any
from uuid import UUID

from django.db import connection, models
from django.utils import timezone

_CONVERTED = (models.UUIDField, models.DateTimeField, models.DateField, models.JSONField)


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
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


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """INSERT ``rows`` (tuples in the order of ``fields``, Python values); returns the count."""
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    converters = [_converter(field) for field in columns]
    prepared = [
        tuple(
            value if convert is None or value is None else convert(value)
            for value, convert in zip(row, converters, strict=True)
        )
        for row in rows
    ]
    if not prepared:
        return 0
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)
    return len(prepared)


def insert_objects(
    model: type[models.Model], objects: Sequence[models.Model], *, keys: bool = True
) -> None:
    """INSERT unsaved model objects (every concrete field but the key; ``auto_now`` times set
    here), then (``keys``) give them their primary keys with one look-up by ``uuid``."""
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
    insert_rows(
        model,
        [field.name for field in fields],
        ([getattr(obj, field.attname) for field in fields] for obj in objects),
    )
    if not keys:
        return
    keys = dict(
        model._default_manager.filter(uuid__in=[obj.uuid for obj in objects]).values_list(
            "uuid", "pk"
        )
    )
    for obj in objects:
        obj.pk = keys[obj.uuid]
        obj._state.adding = False
