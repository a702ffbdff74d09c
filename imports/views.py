"""The import's pages before the dry run: the start with a first file, more files, the columns' mapping,
and each kind's template. Managers of the clinic only."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinics.scoping import managed_clinic, managed_clinic_ids_of, require_manager

from . import services
from .columns import KINDS
from .downloads import template_response
from .forms import ImportFileForm, ImportStartForm, MappingForm
from .models import ImportRun, RunStatus
from .reading import FileRefused
from .selectors import runs_of

RECENT_RUNS = 20
TEMPLATE_FORMATS = ("csv", "xlsx")


def managed_run(request, run_id) -> ImportRun:
    require_manager(request.user)
    runs = ImportRun.objects.filter(clinic_id__in=managed_clinic_ids_of(request.user)).select_related("clinic")
    # The plan of a large file weighs megabytes: only the preview reads it, the polled bar never.
    return get_object_or_404(runs.defer("plan"), pk=run_id)


def _file_added(form, add, **arguments):
    """What `add` returns for the form's file, or None with the reason on the form."""
    upload = form.cleaned_data["upload"]
    try:
        return add(kind=form.cleaned_data["kind"], name=upload.name, content=upload.read(), **arguments)
    except FileRefused as refused:
        form.add_error("upload", refused.message)
        return None


def import_index(request, clinic_id):
    clinic = managed_clinic(request.user, clinic_id)
    form = ImportStartForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data["source"]
        run = _file_added(form, services.import_run_start, clinic=clinic, created_by=request.user, source=source)
        if run is not None:
            return redirect("imports:files", run_id=run.pk)
    runs = runs_of(clinic=clinic)[:RECENT_RUNS]
    context = {"clinic": clinic, "form": form, "runs": runs, "kinds": KINDS.values(), "formats": TEMPLATE_FORMATS}
    return render(request, "imports/index.html", context)


def run_files(request, run_id):
    run = managed_run(request, run_id)
    if run.status not in (RunStatus.COLLECTING, RunStatus.PREVIEWED):
        return redirect("imports:progress", run_id=run.pk)
    form = ImportFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and _file_added(form, services.import_file_add, run=run):
        messages.success(request, _("File added."))
        return redirect("imports:files", run_id=run.pk)
    files = run.files.defer("content")
    return render(request, "imports/files.html", {"run": run, "files": files, "form": form, "kinds": KINDS})


def run_mapping(request, run_id):
    run = managed_run(request, run_id)
    if run.status not in (RunStatus.COLLECTING, RunStatus.PREVIEWED):
        return redirect("imports:progress", run_id=run.pk)
    files = sorted(run.files.defer("content"), key=lambda import_file: list(KINDS).index(import_file.kind))
    if not files:
        return redirect("imports:files", run_id=run.pk)
    guessed = {
        import_file.kind: import_file.mapping or services.mapping_guessed(run=run, import_file=import_file)
        for import_file in files
    }
    form = MappingForm(request.POST or None, files=files, guessed=guessed)
    if request.method == "POST" and form.is_valid():
        services.import_mapping_save(run=run, mappings=form.mappings())
        return redirect("imports:progress", run_id=run.pk)
    return render(request, "imports/mapping.html", {"run": run, "form": form, "kinds": KINDS})


@require_POST
def run_cancel(request, run_id):
    run = managed_run(request, run_id)
    services.import_run_cancel(run=run)
    messages.info(request, _("Import cancelled: nothing was written."))
    return redirect("imports:index", clinic_id=run.clinic_id)


def template_download(request, clinic_id, kind, file_format):
    clinic = managed_clinic(request.user, clinic_id)
    if kind not in KINDS or file_format not in TEMPLATE_FORMATS:
        raise Http404
    return template_response(KINDS[kind], clinic, file_format=file_format)
