"""La déclaration de matériovigilance à l'ANSM (Cerfa n° 10246), remplie depuis le dossier. Its
sections and labels are the ANSM form's own French words whatever the reader's language, quoted
rather than translated; what the record says is worded in French (the narrative through the
project's translations). Dates are jj/mm/aaaa."""

from django.utils import translation

from recovery.models import Outcome

from .models import Recipient
from .narrative import narrative_of
from .pack import Facts, ReportForm, Section, Writer

DATE_FORMAT = "%d/%m/%Y"
VERSION = "Cerfa n° 10246*05 – signalement d'un incident ou risque d'incident (matériovigilance)"
MISSING = "Non renseigné"
SEX = {"female": "Féminin", "male": "Masculin", "other": "Autre"}
ROUTES = {"intradermal": "Intradermique", "subcutaneous": "Sous-cutanée", "topical": "Cutanée", "other": "Autre"}
OUTCOMES = {
    Outcome.RECOVERED: "Guérison sans séquelle",
    Outcome.RECOVERING: "En cours de guérison",
    Outcome.NOT_RECOVERED: "Non guéri",
    Outcome.RECOVERED_WITH_SEQUELAE: "Guérison avec séquelles",
    Outcome.FATAL: "Décès",
    Outcome.UNKNOWN: "Évolution inconnue",
}


def _french_number(number) -> str:
    return str(number).replace(".", ",") if number is not None else ""


def _reporter(facts: Facts, w: Writer) -> Section:
    reporter, clinic = facts.reporter, facts.clinic
    return Section(
        "1",
        "Émetteur du signalement",
        (
            w.item("", "Nom et prénom", reporter.get_full_name() or reporter.username),
            w.item("", "Qualité / fonction", ""),
            w.item("", "Établissement", clinic.name),
            w.item("", "Adresse", clinic.address),
            w.item("", "Téléphone", clinic.phone),
            w.item("", "Courriel", reporter.email),
        ),
    )


def _device(facts: Facts, w: Writer) -> Section:
    items = []
    for number, line in enumerate(facts.suspects, start=1):
        mark = f"#{number}" if len(facts.suspects) > 1 else ""
        items += [
            w.item(mark, "Dénomination commune du dispositif", line.common_name),
            w.item(mark, "Dénomination commerciale (marque)", line.brand),
            w.item(mark, "Référence catalogue / modèle", line.catalogue_reference),
            w.item(mark, "N° de lot", line.lot),
            w.item(mark, "Date de péremption", w.date(line.expiry)),
            w.item(mark, "IUD-ID (GTIN)", line.gtin),
            w.item(mark, "Voie d'administration", ROUTES.get(line.route, "")),
            w.item(mark, "Quantité utilisée", f"{line.volume_ml} mL".replace(".", ",")),
            w.item(mark, "Imputabilité (avis du déclarant)", line.causality_label),
        ]
    if not items:
        items.append(w.item("", "Dispositif mis en cause", ""))
    return Section("2", "Dispositif mis en cause", tuple(items))


def _makers(facts: Facts, w: Writer) -> Section:
    items = []
    for number, line in enumerate(facts.suspects, start=1):
        mark = f"#{number}" if len(facts.suspects) > 1 else ""
        items += [
            w.item(mark, "Fabricant", line.manufacturer),
            w.item(mark, "Adresse du fabricant", line.manufacturer_address),
            w.item(mark, "Distributeur / fournisseur", line.supplier),
        ]
    return Section("3", "Fabricant et distributeur", tuple(items) or (w.item("", "Fabricant", ""),))


def _circumstances(facts: Facts, w: Writer) -> Section:
    complication = facts.complication
    told = Recipient.MANUFACTURER in facts.reported_to
    return Section(
        "4",
        "Circonstances de survenue",
        (
            w.item("", "Date de survenue de l'incident", w.date(facts.onset_on)),
            w.item("", "Date de l'acte (utilisation du dispositif)", w.date(facts.session_on)),
            w.item("", "Lieu de survenue", facts.clinic.name),
            w.item("", "Patient : initiales et identifiant local", f"{facts.initials} {facts.local_id}"),
            w.item("", "Sexe", SEX.get(facts.sex, "")),
            w.item("", "Âge au moment de l'incident", f"{facts.age_at_reaction} ans"),
            w.item(
                "",
                "Poids (kg)",
                str(facts.details.weight_kg).replace(".", ",") if facts.details and facts.details.weight_kg else "",
            ),
            w.item("", "Indication / zone traitée", facts.indication()),
            w.item("", "Description de l'incident", narrative_of(facts, date_format=DATE_FORMAT), long=True),
            w.item(
                "",
                "Antécédents et allergies",
                "\n".join(
                    filter(
                        None,
                        [
                            facts.details.relevant_history.strip() if facts.details else "",
                            f"Allergies : {facts.allergies}" if facts.allergies else "",
                        ],
                    )
                ),
                long=True,
            ),
            w.item(
                "",
                "Autres produits de santé utilisés",
                "\n".join(
                    filter(
                        None,
                        [f"{line.brand}, lot {line.lot}" for line in facts.others]
                        + [facts.details.concomitant_medicines.strip() if facts.details else ""],
                    )
                ),
                long=True,
            ),
            w.item(
                "",
                "Mesures prises (traitement)",
                ", ".join(str(given) for given in complication.treatments_given_display()),
            ),
            w.item("", "Le dispositif est-il disponible pour expertise ?", ""),
            # Only a report recorded here says the maker was told; without one, nobody knows.
            w.item("", "Le fabricant a-t-il été informé ?", ticks=w.ticks([("Oui", True), ("Non", False)]))
            if told
            else w.item("", "Le fabricant a-t-il été informé ?", ""),
        ),
    )


def _consequences(facts: Facts, w: Writer) -> Section:
    complication = facts.complication
    serious = set(complication.seriousness)
    return Section(
        "5",
        "Conséquences cliniques constatées",
        (
            w.item(
                "",
                "Gravité",
                ticks=w.ticks(
                    [
                        ("Décès", "serious_death" in serious),
                        ("Mise en jeu du pronostic vital", "serious_life_threatening" in serious),
                        ("Hospitalisation ou prolongation d'hospitalisation", "serious_hospitalisation" in serious),
                        ("Incapacité ou invalidité permanente ou importante", "serious_disability" in serious),
                        ("Nécessité d'une intervention médicale ou chirurgicale", "serious_intervention" in serious),
                        ("Autre situation médicale grave", "serious_medically_significant" in serious),
                        ("Sans conséquence grave", not serious),
                    ]
                ),
            ),
            w.item("", "Grade CTCAE v5", f"Grade {complication.grade}" if complication.grade else ""),
            w.item("", "Évolution", OUTCOMES.get(complication.outcome, "")),
            w.item("", "Date de guérison", w.date(complication.resolved_on)),
        ),
    )


def ansm(facts: Facts) -> ReportForm:
    with translation.override("fr"):
        w = Writer(missing=MISSING, date_format=DATE_FORMAT)
        sections = (
            _reporter(facts, w),
            _device(facts, w),
            _makers(facts, w),
            _circumstances(facts, w),
            _consequences(facts, w),
        )
    return ReportForm(
        code="ansm",
        title="Matériovigilance",
        version=VERSION,
        language="fr",
        date_format=DATE_FORMAT,
        date_format_label="jj/mm/aaaa",
        sections=sections,
    )
