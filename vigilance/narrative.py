"""The event told in plain words from the timeline, as the forms' description box asks: the session,
each report with its signs in order, what staff did, the confirmation, the resolution. The patient is
"the patient"; staff notes are quoted with the patient's names put as initials. Worded in the active
language, so each form is written in its own."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from recovery.models import SERIOUSNESS, Grade, ReportSource
from recovery.rules import Severity

from .pack import Facts


def _when(facts: Facts, moment, date_format: str) -> str:
    day = timezone.localtime(moment, facts.clinic.zone).date()
    after = (day - facts.session_on).days
    return _("On %(date)s (day %(day)s after the session)") % {"date": day.strftime(date_format), "day": after}


def _session(facts: Facts, date_format: str) -> str:
    session = facts.session
    products = "; ".join(
        _("%(brand)s (%(common)s), lot %(lot)s, %(volume)s mL, %(route)s")
        % {
            "brand": line.brand,
            "common": line.common_name or line.manufacturer,
            "lot": line.lot,
            "volume": line.volume_ml,
            "route": line.route_label.lower(),
        }
        for line in facts.lines
    )
    return _("On %(date)s the patient was treated (%(technique)s) on the %(areas)s with %(products)s.") % {
        "date": facts.session_on.strftime(date_format),
        "technique": session.technique_label.lower(),
        "areas": ", ".join(area.lower() for area in facts.areas) or _("area not recorded"),
        "products": products or _("no product recorded"),
    }


def _signs(report) -> list[str]:
    signs = []
    for reaction in report.reactions.all():
        if reaction.severity <= Severity.NONE:
            continue
        sign = f"{reaction.reaction_type.staff_text.lower()} ({Severity(reaction.severity).label.lower()}"
        if reaction.pain_score is not None:
            sign += ", " + _("pain %(score)s/10") % {"score": reaction.pain_score}
        signs.append(sign + ")")
    signs += [answer.question.staff_text.lower() for answer in report.red_flags_present]
    return signs


def _report(facts: Facts, report, date_format: str) -> str:
    when = _when(facts, report.reported_at, date_format)
    signs = _signs(report)
    if report.source == ReportSource.STAFF:
        said = _("staff recorded on the patient's behalf")
    else:
        said = _("the patient reported at a check-in")
    text = (
        _("%(when)s %(said)s: %(signs)s.") % {"when": when, "said": said, "signs": ", ".join(signs)}
        if signs
        else _("%(when)s %(said)s no sign.") % {"when": when, "said": said}
    )
    if report.wants_call:
        text += " " + _("The patient asked to be called.")
    if report.note.strip():
        text += " " + _("Note: “%(note)s”") % {"note": facts.without_names(report.note.strip())}
    return text


def _follow_up(facts: Facts, follow_up, date_format: str) -> str:
    text = _("%(when)s: %(action)s.") % {
        "when": _when(facts, follow_up.recorded_at, date_format),
        "action": follow_up.get_action_display(),
    }
    if follow_up.note.strip():
        text += " " + _("Note: “%(note)s”") % {"note": facts.without_names(follow_up.note.strip())}
    return text


def _confirmation(facts: Facts, date_format: str) -> list[str]:
    complication = facts.complication
    grade = Grade(complication.grade).label if complication.grade else _("grade not recorded")
    sentences = [
        _("A clinician confirmed %(type)s, with onset on %(onset)s, %(onset_class)s; %(grade)s.")
        % {
            "type": complication.get_complication_type_display().lower(),
            "onset": facts.onset_on.strftime(date_format),
            "onset_class": complication.get_onset_class_display().lower(),
            "grade": grade,
        }
    ]
    if complication.is_serious:
        sentences.append(
            _("Serious: %(criteria)s.")
            % {"criteria": ", ".join(str(SERIOUSNESS[code]).lower() for code in complication.seriousness)}
        )
    sentences.append(_("Ischaemic: yes.") if complication.ischaemic else _("Ischaemic: no."))
    for line in facts.suspects:
        sentences.append(
            _("Suspect product: %(brand)s, lot %(lot)s (causality: %(causality)s).")
            % {"brand": line.brand, "lot": line.lot, "causality": line.causality_label.lower()}
        )
    treatments = complication.treatments_given_display()
    sentences.append(
        _("Treatment given: %(treatments)s.") % {"treatments": ", ".join(t.lower() for t in treatments)}
        if treatments
        else _("No treatment given.")
    )
    if complication.note.strip():
        sentences.append(_("Clinician's note: “%(note)s”") % {"note": facts.without_names(complication.note.strip())})
    outcome = _("Outcome: %(outcome)s") % {"outcome": complication.get_outcome_display().lower()}
    if complication.resolved_on:
        outcome += ", " + _("resolved on %(date)s (%(days)s)") % {
            "date": complication.resolved_on.strftime(date_format),
            "days": ngettext("%(days)s day after the onset", "%(days)s days after the onset", _days(facts))
            % {"days": _days(facts)},
        }
    sentences.append(outcome + ".")
    return sentences


def _days(facts: Facts) -> int:
    return (facts.complication.resolved_on - facts.onset_on).days


def narrative_of(facts: Facts, *, date_format: str) -> str:
    """The event as paragraphs: the session, the timeline in order, the confirmation."""
    timeline = [(report.reported_at, _report(facts, report, date_format)) for report in facts.reports]
    timeline += [(follow_up.recorded_at, _follow_up(facts, follow_up, date_format)) for follow_up in facts.follow_ups]
    paragraphs = [_session(facts, date_format)]
    paragraphs += [text for _moment, text in sorted(timeline, key=lambda entry: entry[0])]
    paragraphs.append(" ".join(_confirmation(facts, date_format)))
    return "\n\n".join(paragraphs)
