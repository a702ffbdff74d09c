"""The import's pages after the mapping: the dry run's and the writing's progress, the preview and the go."""

from datetime import date, datetime

from django.shortcuts import redirect, render

from . import services
from .columns import KINDS
from .forms import ConfirmForm
from .messages import worded
from .models import RunStatus
from .plan import Plan
from .views import managed_run

WORKING = (RunStatus.CHECKING, RunStatus.WRITING)


def _percent(done: int, total: int) -> int:
    return min(100, round(100 * done / total)) if total else 0


def run_progress(request, run_id):
    """The dry run or the writing under way, its bar polled by htmx; then where to go next."""
    run = managed_run(request, run_id)
    done, total = services.progress_of(run) if run.status in WORKING else (run.progress_total, run.progress_total)
    context = {
        "run": run,
        "done": done,
        "total": total,
        "percent": 100 if run.status not in WORKING else _percent(done, total),
        "working": run.status in WORKING,
        "error": worded(run.error, {}) if run.error else "",
        "counts": _counts(run.counts),
    }
    template = "imports/_progress.html" if request.htmx else "imports/progress.html"
    return render(request, template, context)


def _counts(counts: dict) -> list[tuple]:
    """(the kind's label, its counts) in the kinds' order, for the result."""
    return [(KINDS[kind].label, counts[kind]) for kind in KINDS if isinstance(counts.get(kind), dict)]


def _problems(problems, mappings: dict[str, dict[str, str]]) -> list[dict]:
    """Each problem in words, with our column's label and the file's own header for it."""
    return [
        {
            "kind": KINDS[problem.kind].label,
            "line": problem.line,
            "column": KINDS[problem.kind].column(problem.column).label if problem.column else "",
            "header": problem.column,
            "file_header": mappings.get(problem.kind, {}).get(problem.column, ""),
            "message": worded(problem.code, _with_labels(problem.kind, problem.params)),
        }
        for problem in problems
    ]


def _with_labels(kind: str, params: dict) -> dict:
    if "column_name" in params:
        return {**params, "column_label": KINDS[kind].column(params["column_name"]).label}
    return params


def run_preview(request, run_id):
    run = managed_run(request, run_id)
    if run.status != RunStatus.PREVIEWED:
        return redirect("imports:progress", run_id=run.pk)
    plan = Plan.from_json(run.plan)
    # A plan with nothing to answer posts an empty form, which is still the manager's go.
    form = ConfirmForm(request.POST if request.method == "POST" else None, plan=plan)
    if request.method == "POST" and not plan.refusals and form.is_valid():
        services.import_run_confirm(run=run, answers=form.answers(), follow=form.follow())
        return redirect("imports:progress", run_id=run.pk)
    mappings = dict(run.files.values_list("kind", "mapping"))
    context = {
        "run": run,
        "plan": plan,
        "form": form,
        "questions": [
            (question, field, date.fromisoformat(question.date_of_birth)) for question, field in form.question_fields()
        ],
        "recoveries": [
            (session, field, datetime.fromisoformat(session.performed_at)) for session, field in form.recovery_fields()
        ],
        "counts": [(KINDS[kind].label, counts) for kind, counts in plan.counts().items()],
        "refusals": _problems(plan.refusals, mappings),
        "warnings": _problems(plan.warnings, mappings),
    }
    return render(request, "imports/preview.html", context)
