from django.db import migrations

# The default catalogue's words for patients, in French, for the clinics that have it already; a
# French text a clinic wrote itself is kept.
REACTIONS = {
    "redness": "Rougeur ou peau rosée sur la zone traitée",
    "swelling": "Gonflement ou peau bouffie",
    "tenderness": "Sensibilité, endolorissement ou douleur",
    "bruising": "Petits bleus ou petits points là où l'aiguille est passée",
    "itch_warmth": "Démangeaisons ou sensation de chaleur sur la zone traitée",
    "peeling": "Peau sèche, qui pèle ou desquame",
    "nodules": "Petites boules ou bosses sous la peau"
}
RED_FLAGS = {
    "discharge": "Du pus ou un liquide s'écoule-t-il de la zone traitée ?",
    "spreading_heat": "La zone est-elle chaude, avec une rougeur qui s'étend et une douleur qui augmente ?",
    "fever": "Avez-vous de la fièvre, ou vous sentez-vous fiévreux et mal en point ?",
    "widespread_rash": "Avez-vous une éruption, de l'urticaire, des démangeaisons ou une rougeur qui s'étend au-delà de la zone traitée ?",
    "skin_colour": "La peau est-elle devenue pâle, gris-bleu, violacée ou marbrée, ou des cloques sont-elles apparues ?",
    "unusual_heat": "La zone traitée est-elle anormalement chaude, ou les démangeaisons s'étendent-elles au-delà ?",
    "painful_lump": "Avez-vous une boule douloureuse, rouge ou chaude ?",
    "vision": "Votre vue a-t-elle changé d'une quelconque façon (vision floue, taches sombres, perte de la vue) ?",
    "airway": "Vos lèvres, votre langue ou votre gorge gonflent-elles, ou avez-vous du mal à respirer ou à avaler ?"
}


def fill(apps, schema_editor):
    ReactionType = apps.get_model("recovery", "ReactionType")
    RedFlagQuestion = apps.get_model("recovery", "RedFlagQuestion")
    for code, words in REACTIONS.items():
        ReactionType.objects.filter(code=code, patient_wording_fr="").update(patient_wording_fr=words)
    for code, question in RED_FLAGS.items():
        RedFlagQuestion.objects.filter(code=code, patient_question_fr="").update(patient_question_fr=question)


class Migration(migrations.Migration):
    dependencies = [("recovery", "0019_catalogue_in_french")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
