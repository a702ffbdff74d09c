from django.db import migrations
from django.utils.timezone import now

# The reaction is swelling of any strength: calling it "mild" told staff a severe
# swelling was a contradiction. Only rows still worded as installed are renamed;
# a clinic's own wording is its choice.
RENAMES = {
    "staff_label": ("Mild swelling", "Swelling"),
    "patient_wording": ("Puffiness or mild swelling", "Puffiness or swelling"),
}
FIELDS = [
    "id",
    "clinic_id",
    "code",
    "staff_label",
    "patient_wording",
    "kind",
    "fades_by_hours",
    "attention_after_hours",
    "new_onset_attention_after_hours",
    "attention_when_worse",
    "asks_pain_score",
    "attention_pain_score",
    "source",
    "position",
]


def rename(apps, schema_editor, *, forward=True):
    ReactionType = apps.get_model("recovery", "ReactionType")
    HistoricalReactionType = apps.get_model("recovery", "HistoricalReactionType")
    changed = []
    for reaction in ReactionType.objects.filter(code="swelling"):
        touched = False
        for field, (old, new) in RENAMES.items():
            before, after = (old, new) if forward else (new, old)
            if getattr(reaction, field) == before:
                setattr(reaction, field, after)
                touched = True
        if touched:
            reaction.save(update_fields=list(RENAMES))
            changed.append(reaction)
    # The catalogue's change history shows the rename, with no one's name on it.
    HistoricalReactionType.objects.bulk_create(
        HistoricalReactionType(
            history_date=now(),
            history_type="~",
            history_change_reason="Renamed by an upgrade of Recovery Desk",
            **{field: getattr(reaction, field) for field in FIELDS},
        )
        for reaction in changed
    )


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("recovery", "0005_report_needs_clinician")]

    operations = [migrations.RunPython(rename, rename_back)]
