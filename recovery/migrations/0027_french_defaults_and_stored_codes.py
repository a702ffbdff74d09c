"""French labels and sources for the default catalogue; reasons and notifications stored as codes.

What was stored as words before is kept in those words ("as written") until the recovery is assessed
again, which `recovery_reassess` does on deploy, since the rules changed: no reason is lost meanwhile.
"""

from django.db import migrations
from django.db.models import F
from django.db.models.functions import JSONObject

# The defaults' English and French, as of this migration: a label or source a clinic wrote itself is
# left alone (its French stays blank, and staff read the English).
REACTION_LABELS = {
    "redness": ("Redness", "Rougeur"),
    "swelling": ("Swelling", "Œdème (gonflement)"),
    "tenderness": ("Tenderness or pain", "Sensibilité ou douleur"),
    "bruising": ("Small bruises, pinpoint marks", "Ecchymoses, points d'injection"),
    "itch_warmth": ("Itch or warmth", "Prurit ou chaleur"),
    "peeling": ("Peeling or dryness", "Desquamation ou sécheresse"),
    "nodules": ("Nodules or lumps", "Nodules"),
}

RED_FLAG_LABELS = {
    "discharge": ("Pus or discharge", "Pus ou écoulement"),
    "spreading_heat": (
        "Heat with spreading redness and growing pain",
        "Chaleur, rougeur extensive et douleur croissante",
    ),
    "fever": ("Fever", "Fièvre"),
    "widespread_rash": (
        "Rash, hives or redness beyond the treated area",
        "Éruption, urticaire ou rougeur au-delà de la zone traitée",
    ),
    "skin_colour": (
        "Pale, dusky or mottled skin, or blisters",
        "Peau blanche, pâle, grisâtre, violacée ou marbrée, ou phlyctènes",
    ),
    "unusual_heat": (
        "Unusual heat or itch spreading beyond the treated area",
        "Chaleur inhabituelle ou prurit extensif",
    ),
    "painful_lump": ("Painful, red or warm lump", "Nodule douloureux, rouge ou chaud"),
    "vision": ("Change in vision", "Trouble visuel"),
    "airway": (
        "Swelling of lips, tongue or throat, or difficulty breathing",
        "Œdème des lèvres, de la langue ou de la gorge, ou gêne respiratoire",
    ),
}

SOURCES = {
    "redness": (
        "R: fades in 24–48 h; “redness grows day by day instead of shrinking” needs a call.",
        "R\xa0: disparaît en 24 à 48\xa0h\xa0; «\xa0une rougeur qui s'étend de jour en jour au lieu de diminuer\xa0» justifie un appel.",
    ),
    "swelling": (
        "R: 24–48 h; “lasts more than three to four days without easing” is not typical.",
        "R\xa0: 24 à 48\xa0h\xa0; «\xa0plus de trois à quatre jours sans amélioration\xa0» n'est pas habituel.",
    ),
    "tenderness": (
        "R: “tenderness shifts into significant pain”; L: mesotherapy tenderness up to 2 days. Pain 7/10 as the threshold is our reading.",
        "R\xa0: «\xa0la sensibilité devient une douleur importante\xa0»\xa0; L\xa0: sensibilité jusqu'à 2\xa0jours après une mésothérapie. Le seuil d'une douleur à 7/10 est notre lecture.",
    ),
    "bruising": (
        "R: fade naturally; L: bruising usually gone in 10–14 days. Pale, dusky or mottled skin is asked as a red flag.",
        "R\xa0: disparaissent d'elles-mêmes\xa0; L\xa0: ecchymoses habituellement résorbées en 10 à 14\xa0jours. Une peau pâle, violacée ou marbrée est demandée comme signe d'alerte.",
    ),
    "itch_warmth": (
        "R: mild itch or warmth is part of healing; unusual heat or spreading itch are asked as red flags.",
        "R\xa0: un léger prurit ou une légère chaleur font partie de la cicatrisation\xa0; une chaleur inhabituelle ou un prurit extensif sont demandés comme signes d'alerte.",
    ),
    "peeling": (
        "R; L: up to 7 days after microneedling. Never needs attention by time alone.",
        "R\xa0; L\xa0: jusqu'à 7\xa0jours après un microneedling. Le temps seul ne la rend jamais préoccupante.",
    ),
    "nodules": (
        "R: usually soften on their own; L: delayed nodules. 14 days is our reading.",
        "R\xa0: s'assouplissent généralement d'eux-mêmes\xa0; L\xa0: nodules tardifs. Le délai de 14\xa0jours est notre lecture.",
    ),
}

BATCH = 1000


def french_for_defaults(apps, schema_editor):
    ReactionType = apps.get_model("recovery", "ReactionType")
    RedFlagQuestion = apps.get_model("recovery", "RedFlagQuestion")
    for code, (english, french) in REACTION_LABELS.items():
        ReactionType.objects.filter(code=code, staff_label=english, staff_label_fr="").update(staff_label_fr=french)
    for code, (english, french) in SOURCES.items():
        ReactionType.objects.filter(code=code, source=english, source_fr="").update(source_fr=french)
    for code, (english, french) in RED_FLAG_LABELS.items():
        RedFlagQuestion.objects.filter(code=code, staff_label=english, staff_label_fr="").update(staff_label_fr=french)


def notifications_as_written(apps, schema_editor):
    Notification = apps.get_model("recovery", "Notification")
    Notification.objects.update(params=JSONObject(text=F("text")))


def notifications_back_to_words(apps, schema_editor):
    Notification = apps.get_model("recovery", "Notification")
    for notification in Notification.objects.only("pk", "kind", "params").iterator(chunk_size=BATCH):
        text = notification.params.get("text") or notification.kind
        Notification.objects.filter(pk=notification.pk).update(text=text[:300])


def _findings_changed(apps, change):
    Recovery = apps.get_model("recovery", "Recovery")
    changed = []
    for recovery in Recovery.objects.exclude(findings=[]).only("pk", "findings").iterator(chunk_size=BATCH):
        recovery.findings = [change(finding) for finding in recovery.findings]
        changed.append(recovery)
        if len(changed) == BATCH:
            Recovery.objects.bulk_update(changed, ["findings"])
            changed = []
    Recovery.objects.bulk_update(changed, ["findings"])


def _as_written(finding):
    if "code" in finding:
        return finding
    return {
        "level": finding["level"],
        "code": "as_written",
        "params": {"text": finding["reason"]},
        "since": finding["since"],
        "subject": finding.get("subject", ""),
    }


def _in_words(finding):
    if "reason" in finding:
        return finding
    text = finding["params"].get("text") or finding["code"]
    return {"level": finding["level"], "reason": text, "since": finding["since"], "subject": finding["subject"]}


def findings_as_written(apps, schema_editor):
    _findings_changed(apps, _as_written)


def findings_back_to_words(apps, schema_editor):
    _findings_changed(apps, _in_words)


class Migration(migrations.Migration):
    dependencies = [("recovery", "0026_staff_labels_in_french_and_notification_params")]

    operations = [
        migrations.RunPython(french_for_defaults, migrations.RunPython.noop),
        migrations.RunPython(notifications_as_written, notifications_back_to_words),
        migrations.RunPython(findings_as_written, findings_back_to_words),
    ]
