from django.db import migrations

# The default wording before and after, for the clinics that still have it: a question a clinic
# wrote itself is kept.
CHANGES = {
    "skin_colour": (
        "Has the skin turned pale, grey-blue, dusky or blotchy, or formed blisters?",
        "Has the skin turned white or pale, grey-blue, dusky or blotchy, or formed blisters?",
        "La peau est-elle devenue pâle, gris-bleu, violacée ou marbrée, ou des cloques sont-elles apparues ?",
        "La peau est-elle devenue blanche ou pâle, grisâtre ou bleutée, violacée ou marbrée, ou des cloques "
        "(bulles) sont-elles apparues ?",
    ),
    "vision": (
        "Has your eyesight changed in any way (blurred, dark patches, loss of vision)?",
        "Has your eyesight changed in any way, even slightly (blurred or double vision, dark patches, "
        "loss of vision)?",
        "Votre vue a-t-elle changé d'une quelconque façon (vision floue, taches sombres, perte de la vue) ?",
        "Avez-vous un trouble de la vue, même léger (vision floue ou double, taches sombres, baisse ou perte "
        "de la vue) ?",
    ),
}


FRENCH = {
    "discharge": (
        "Du pus ou un liquide s'écoule-t-il de la zone traitée ?",
        "Y a-t-il du pus ou un écoulement de liquide sur la zone traitée ?",
    ),
    "fever": (
        "Avez-vous de la fièvre, ou vous sentez-vous fiévreux et mal en point ?",
        "Avez-vous de la fièvre, ou l'impression d'avoir de la fièvre et de ne pas vous sentir bien ?",
    ),
}


def reword(apps, schema_editor):
    RedFlagQuestion = apps.get_model("recovery", "RedFlagQuestion")
    for code, (english_before, english, french_before, french) in CHANGES.items():
        RedFlagQuestion.objects.filter(code=code, patient_question=english_before).update(patient_question=english)
        RedFlagQuestion.objects.filter(code=code, patient_question_fr=french_before).update(
            patient_question_fr=french
        )
    for code, (french_before, french) in FRENCH.items():
        RedFlagQuestion.objects.filter(code=code, patient_question_fr=french_before).update(
            patient_question_fr=french
        )


class Migration(migrations.Migration):
    dependencies = [("recovery", "0022_report_unanswered")]

    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
