"""The default reaction catalogue and red-flag questions every clinic starts with.

Figures come from the product brief's table. Sources: R is the reference article
on mesotherapy side effects; L is product labelling and reviews of injectable
complications. Managers may change every figure per clinic; these are only the
starting point.
"""

HOURS_PER_DAY = 24

REACTION_TYPES = [
    {
        "code": "redness",
        "staff_label": "Redness",
        "staff_label_fr": "Rougeur",
        "patient_wording": "Redness or pinkness of the skin",
        "patient_wording_fr": "Rougeur ou peau rosée",
        "kind": "expected",
        "fades_by_hours": 48,
        "attention_after_hours": None,
        "new_onset_attention_after_hours": None,
        "attention_when_worse": True,
        "asks_pain_score": False,
        "attention_pain_score": None,
        "source": "R: fades in 24–48 h; “redness grows day by day instead of shrinking” needs a call.",
        "source_fr": (
            "R\u00a0: disparaît en 24 à 48\u00a0h\u00a0; «\u00a0une rougeur qui s'étend de "
            "jour en jour au lieu de diminuer\u00a0» justifie un appel."
        ),
    },
    {
        "code": "swelling",
        "staff_label": "Swelling",
        "staff_label_fr": "Œdème (gonflement)",
        "patient_wording": "Puffiness or swelling",
        "patient_wording_fr": "Gonflement ou peau bouffie",
        "kind": "expected",
        "fades_by_hours": 48,
        "attention_after_hours": 96,
        "new_onset_attention_after_hours": None,
        "attention_when_worse": True,
        "asks_pain_score": False,
        "attention_pain_score": None,
        "source": "R: 24–48 h; “lasts more than three to four days without easing” is not typical.",
        "source_fr": (
            "R\u00a0: 24 à 48\u00a0h\u00a0; «\u00a0plus de trois à quatre jours sans "
            "amélioration\u00a0» n'est pas habituel."
        ),
    },
    {
        "code": "tenderness",
        "staff_label": "Tenderness or pain",
        "staff_label_fr": "Sensibilité ou douleur",
        "patient_wording": "Tenderness, soreness or pain",
        "patient_wording_fr": "Sensibilité, endolorissement ou douleur",
        "kind": "expected",
        "fades_by_hours": 48,
        "attention_after_hours": 96,
        "new_onset_attention_after_hours": None,
        "attention_when_worse": True,
        "asks_pain_score": True,
        "attention_pain_score": 7,
        "source": "R: “tenderness shifts into significant pain”; L: mesotherapy tenderness up to 2 days. "
        "Pain 7/10 as the threshold is our reading.",
        "source_fr": (
            "R\u00a0: «\u00a0la sensibilité devient une douleur importante\u00a0»\u00a0; L\u00a0: "
            "sensibilité jusqu'à 2\u00a0jours après une mésothérapie. Le seuil d'une "
            "douleur à 7/10 est notre lecture."
        ),
    },
    {
        "code": "bruising",
        "staff_label": "Small bruises, pinpoint marks",
        "staff_label_fr": "Ecchymoses, points d'injection",
        "patient_wording": "Small bruises or tiny dots where the needle went in",
        "patient_wording_fr": "Petits bleus ou petits points là où l'aiguille est passée",
        "kind": "expected",
        "fades_by_hours": 10 * HOURS_PER_DAY,
        "attention_after_hours": None,
        "new_onset_attention_after_hours": None,
        "attention_when_worse": True,
        "asks_pain_score": False,
        "attention_pain_score": None,
        "source": "R: fade naturally; L: bruising usually gone in 10–14 days. Pale, dusky or mottled skin "
        "is asked as a red flag.",
        "source_fr": (
            "R\u00a0: disparaissent d'elles-mêmes\u00a0; L\u00a0: ecchymoses habituellement "
            "résorbées en 10 à 14\u00a0jours. Une peau pâle, violacée ou marbrée "
            "est demandée comme signe d'alerte."
        ),
    },
    {
        "code": "itch_warmth",
        "staff_label": "Itch or warmth",
        "staff_label_fr": "Prurit ou chaleur",
        "patient_wording": "Itching or a warm feeling of the skin",
        "patient_wording_fr": "Démangeaisons ou sensation de chaleur de la peau",
        "kind": "expected",
        "fades_by_hours": 48,
        "attention_after_hours": None,
        "new_onset_attention_after_hours": None,
        "attention_when_worse": True,
        "asks_pain_score": False,
        "attention_pain_score": None,
        "source": "R: mild itch or warmth is part of healing; unusual heat or spreading itch are asked as red flags.",
        "source_fr": (
            "R\u00a0: un léger prurit ou une légère chaleur font partie de la "
            "cicatrisation\u00a0; une chaleur inhabituelle ou un prurit extensif sont demandés "
            "comme signes d'alerte."
        ),
    },
    {
        "code": "peeling",
        "staff_label": "Peeling or dryness",
        "staff_label_fr": "Desquamation ou sécheresse",
        "patient_wording": "Flaking, peeling or dry skin",
        "patient_wording_fr": "Peau sèche, qui pèle ou desquame",
        "kind": "expected",
        "fades_by_hours": 7 * HOURS_PER_DAY,
        "attention_after_hours": None,
        "new_onset_attention_after_hours": None,
        "attention_when_worse": False,
        "asks_pain_score": False,
        "attention_pain_score": None,
        "source": "R; L: up to 7 days after microneedling. Never needs attention by time alone.",
        "source_fr": (
            "R\u00a0; L\u00a0: jusqu'à 7\u00a0jours après un microneedling. Le temps seul ne la "
            "rend jamais préoccupante."
        ),
    },
    {
        "code": "nodules",
        "staff_label": "Nodules or lumps",
        "staff_label_fr": "Nodules",
        "patient_wording": "Small lumps or bumps under the skin",
        "patient_wording_fr": "Petites boules ou bosses sous la peau",
        "kind": "concerning",
        "fades_by_hours": 14 * HOURS_PER_DAY,
        "attention_after_hours": None,
        "new_onset_attention_after_hours": 14 * HOURS_PER_DAY,
        "attention_when_worse": True,
        "asks_pain_score": False,
        "attention_pain_score": None,
        "source": "R: usually soften on their own; L: delayed nodules. 14 days is our reading.",
        "source_fr": (
            "R\u00a0: s'assouplissent généralement d'eux-mêmes\u00a0; L\u00a0: nodules tardifs. "
            "Le délai de 14\u00a0jours est notre lecture."
        ),
    },
]

RED_FLAG_QUESTIONS = [
    {
        "code": "discharge",
        "staff_label": "Pus or discharge",
        "staff_label_fr": "Pus ou écoulement",
        "patient_question": "Is there any pus or fluid coming from the skin?",
        "patient_question_fr": "Y a-t-il du pus ou un écoulement de liquide sur la peau ?",
        "emergency": False,
    },
    {
        "code": "spreading_heat",
        "staff_label": "Heat with spreading redness and growing pain",
        "staff_label_fr": "Chaleur, rougeur extensive et douleur croissante",
        "patient_question": "Is the area hot, with redness that is spreading and pain that is getting worse?",
        "patient_question_fr": "La zone est-elle chaude, avec une rougeur qui s'étend et une douleur qui augmente ?",
        "emergency": False,
    },
    {
        "code": "fever",
        "staff_label": "Fever",
        "staff_label_fr": "Fièvre",
        "patient_question": "Do you have a fever or feel feverish and unwell?",
        "patient_question_fr": (
            "Avez-vous de la fièvre, ou l'impression d'avoir de la fièvre et de ne pas vous sentir bien ?"
        ),
        "emergency": False,
        "asks_where": False,
    },
    {
        "code": "widespread_rash",
        "staff_label": "Rash, hives or redness beyond the treated area",
        "staff_label_fr": "Éruption, urticaire ou rougeur au-delà de la zone traitée",
        "patient_question": "Do you have a rash, hives, itching or redness spreading beyond the treated area?",
        "patient_question_fr": (
            "Avez-vous une éruption, de l'urticaire, des démangeaisons ou une rougeur qui s'étend "
            "au-delà de la zone traitée ?"
        ),
        "emergency": False,
    },
    {
        "code": "skin_colour",
        "staff_label": "Pale, dusky or mottled skin, or blisters",
        "staff_label_fr": "Peau blanche, pâle, grisâtre, violacée ou marbrée, ou phlyctènes",
        # White comes first: blanching is the earliest sign that a vessel is blocked, and patients
        # recognise "white" sooner than "pale".
        "patient_question": "Has the skin turned white or pale, grey-blue, dusky or blotchy, or formed blisters?",
        "patient_question_fr": (
            "La peau est-elle devenue blanche ou pâle, grisâtre ou bleutée, violacée ou marbrée, ou des cloques "
            "(bulles) sont-elles apparues ?"
        ),
        "emergency": False,
    },
    {
        "code": "unusual_heat",
        "staff_label": "Unusual heat or itch spreading beyond the treated area",
        "staff_label_fr": "Chaleur inhabituelle ou prurit extensif",
        "patient_question": "Does the treated area feel unusually hot, or is the itch spreading beyond it?",
        "patient_question_fr": (
            "La zone traitée est-elle anormalement chaude, ou les démangeaisons s'étendent-elles au-delà ?"
        ),
        "emergency": False,
    },
    {
        "code": "painful_lump",
        "staff_label": "Painful, red or warm lump",
        "staff_label_fr": "Nodule douloureux, rouge ou chaud",
        "patient_question": "Is there a lump that is painful, red or warm?",
        "patient_question_fr": "Avez-vous une boule douloureuse, rouge ou chaude ?",
        "emergency": False,
    },
    {
        "code": "vision",
        "staff_label": "Change in vision",
        "staff_label_fr": "Trouble visuel",
        "patient_question": (
            "Has your eyesight changed in any way, even slightly (blurred or double vision, dark patches, "
            "loss of vision)?"
        ),
        "patient_question_fr": (
            "Avez-vous un trouble de la vue, même léger (vision floue ou double, taches sombres, baisse ou perte "
            "de la vue) ?"
        ),
        "emergency": True,
        "asks_where": False,
    },
    {
        "code": "airway",
        "staff_label": "Swelling of lips, tongue or throat, or difficulty breathing",
        "staff_label_fr": "Œdème des lèvres, de la langue ou de la gorge, ou gêne respiratoire",
        "patient_question": "Are your lips, tongue or throat swelling, or is it hard to breathe or swallow?",
        "patient_question_fr": (
            "Vos lèvres, votre langue ou votre gorge gonflent-elles, ou avez-vous du mal à respirer ou à avaler ?"
        ),
        "emergency": True,
        "asks_where": False,
    },
]
