"""The customers already kept go to their store's tills: one change-log row each (the tills
pull them with the next sync). Customers of no store stay in the cloud."""

from django.db import migrations
from django.utils import timezone


def record_changes(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    Change = apps.get_model("sync", "Change")
    now = timezone.now()
    rows = Customer.objects.filter(store__isnull=False).values_list(
        "organisation_id", "store_id", "uuid"
    )
    Change.objects.bulk_create(
        [
            Change(
                organisation_id=organisation,
                store_id=store,
                entity="customer",
                entity_id=uuid,
                op="upsert",
                created_at=now,
            )
            for organisation, store, uuid in rows.iterator(chunk_size=2000)
        ],
        batch_size=2000,
    )


def forget_changes(apps, schema_editor):
    Change = apps.get_model("sync", "Change")
    Change.objects.filter(entity="customer").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0001_customers_and_messages"),
        ("sync", "0007_till_audit_entry"),
    ]

    operations = [migrations.RunPython(record_changes, forget_changes)]
