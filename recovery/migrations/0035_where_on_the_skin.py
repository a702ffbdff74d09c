"""A red flag's yes asks where it is, except where the skin has no place for it; and the default
questions stop presuming the reaction is on the treated skin, now that the patient marks where.
A clinic's own wording is left as it wrote it: only the defaults it never changed are updated."""

from django.db import migrations, models

FELT_NOWHERE_ON_THE_SKIN = ("fever", "vision", "airway")

REWORDED = [
    (
        "ReactionType",
        "redness",
        "patient_wording",
        ("Redness or pinkness of the treated skin", "Redness or pinkness of the skin"),
        ("Rougeur ou peau rosée sur la zone traitée", "Rougeur ou peau rosée"),
    ),
    (
        "ReactionType",
        "itch_warmth",
        "patient_wording",
        ("Itching or a warm feeling in the treated area", "Itching or a warm feeling of the skin"),
        (
            "Démangeaisons ou sensation de chaleur sur la zone traitée",
            "Démangeaisons ou sensation de chaleur de la peau",
        ),
    ),
    (
        "RedFlagQuestion",
        "discharge",
        "patient_question",
        ("Is there any pus or fluid coming from the treated skin?", "Is there any pus or fluid coming from the skin?"),
        (
            "Y a-t-il du pus ou un écoulement de liquide sur la zone traitée ?",
            "Y a-t-il du pus ou un écoulement de liquide sur la peau ?",
        ),
    ),
]


def forward(apps, schema_editor):
    apps.get_model("recovery", "RedFlagQuestion").objects.filter(code__in=FELT_NOWHERE_ON_THE_SKIN).update(
        asks_where=False
    )
    _reword(apps, new=1)


def _reword(apps, *, new: int):
    old = 1 - new
    for model_name, code, field, english, french in REWORDED:
        rows = apps.get_model("recovery", model_name).objects.filter(code=code)
        rows.filter(**{field: english[old]}).update(**{field: english[new]})
        rows.filter(**{f"{field}_fr": french[old]}).update(**{f"{field}_fr": french[new]})


class Migration(migrations.Migration):
    dependencies = [
        ("recovery", "0034_reaction_marks"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalredflagquestion",
            name="asks_where",
            field=models.BooleanField(
                default=True,
                help_text="A yes asks where it is, on the face chart (not for a fever, or a change in eyesight).",
                verbose_name="asks where",
            ),
        ),
        migrations.AddField(
            model_name="redflagquestion",
            name="asks_where",
            field=models.BooleanField(
                default=True,
                help_text="A yes asks where it is, on the face chart (not for a fever, or a change in eyesight).",
                verbose_name="asks where",
            ),
        ),
        # Going back keeps the new words, which ask the same: rewriting rows there would leave
        # PostgreSQL's deferred checks pending as the column is dropped in the same transaction.
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
