from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sales', '0002_sale_rounding_cents'),
    ]

    operations = [
        migrations.AddField(
            model_name='refund',
            name='refund_no',
            field=models.CharField(blank=True, default='', max_length=40),
        ),
    ]
