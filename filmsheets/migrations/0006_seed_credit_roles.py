from django.db import migrations

# The roles an Italian "scheda tecnica" or a festival catalogue lists, in their usual order.
ROLES = [
    "Screenplay",
    "Producer",
    "Director of photography",
    "Editor",
    "Production designer",
    "Costume designer",
    "Make-up",
    "Sound",
    "Sound design",
    "Visual effects",
    "Casting",
    "First assistant director",
    "Line producer",
    "Production company",
    "Co-production",
]


def seed_credit_roles(apps, schema_editor):
    CreditRole = apps.get_model("filmsheets", "CreditRole")
    for order, name in enumerate(ROLES, 1):
        CreditRole.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("filmsheets", "0005_credits_and_cast")]

    operations = [migrations.RunPython(seed_credit_roles, migrations.RunPython.noop)]
