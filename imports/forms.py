"""The import's forms: a file and where it comes from, its columns' mapping, and the manager's go."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .columns import KINDS
from .models import SOURCE_MAX_LENGTH
from .plan import Answer, Plan

KIND_CHOICES = [(kind.code, kind.label) for kind in KINDS.values()]
NOT_IN_FILE = ""
FOLLOW = "follow"
CLOSE = "close"
FILE_TOO_LARGE = _("This file is larger than %(megabytes)s MB: split it into several files of one kind each.")
REQUIRED_COLUMN = _("This column is required: choose the file's column that holds it.")
CONFIRM_WARNINGS = _("Confirm that the lines with a warning are imported as they are.")
ANSWER_EACH = _("Choose for each patient: the same person, or a new patient.")


class ImportFileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of file"), choices=KIND_CHOICES)
    upload = forms.FileField(
        label=_("File"),
        max_length=200,
        help_text=_("CSV (comma, semicolon or tab; any encoding a spreadsheet saves) or Excel workbook (.xlsx)."),
    )

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(FILE_TOO_LARGE % {"megabytes": settings.IMPORT_MAX_BYTES // (1024 * 1024)})
        return upload


class ImportStartForm(ImportFileForm):
    source = forms.CharField(
        label=_("Where the files come from"),
        max_length=SOURCE_MAX_LENGTH,
        help_text=_(
            "The name of the software they were exported from: the columns you match are kept for its next file."
        ),
    )

    field_order = ["source", "kind", "upload"]


class MappingForm(forms.Form):
    """For each file, each of our columns ← one of the file's columns."""

    def __init__(self, *args, files, guessed: dict[str, dict[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.files = files
        for import_file in files:
            choices = [(NOT_IN_FILE, _("— not in this file —")), *((header, header) for header in import_file.headers)]
            for column in KINDS[import_file.kind].columns:
                self.fields[self.field_name(import_file.kind, column.name)] = forms.ChoiceField(
                    label=column.label,
                    choices=choices,
                    required=False,
                    initial=guessed.get(import_file.kind, {}).get(column.name, NOT_IN_FILE),
                    help_text=column.help,
                )

    @staticmethod
    def field_name(kind: str, column: str) -> str:
        return f"{kind}__{column}"

    def sections(self):
        """Each file with its fields, for the page."""
        for import_file in self.files:
            names = [self.field_name(import_file.kind, column.name) for column in KINDS[import_file.kind].columns]
            yield import_file, [self[name] for name in names]

    def clean(self):
        cleaned = super().clean()
        for import_file in self.files:
            for name in KINDS[import_file.kind].required:
                field_name = self.field_name(import_file.kind, name)
                if field_name in cleaned and not cleaned[field_name]:
                    self.add_error(field_name, REQUIRED_COLUMN)
        return cleaned

    def mappings(self) -> dict[str, dict[str, str]]:
        return {
            import_file.kind: {
                column.name: self.cleaned_data[self.field_name(import_file.kind, column.name)]
                for column in KINDS[import_file.kind].columns
                if self.cleaned_data.get(self.field_name(import_file.kind, column.name))
            }
            for import_file in self.files
        }


class ConfirmForm(forms.Form):
    """The manager's go: warnings confirmed, same-person questions answered, recoveries followed or closed."""

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        if plan.warnings:
            self.fields["warnings_confirmed"] = forms.BooleanField(
                label=_("Import the lines with a warning as they are"),
                error_messages={"required": CONFIRM_WARNINGS},
            )
        for question in plan.questions:
            self.fields[f"same__{question.external_id}"] = forms.ChoiceField(
                label=f"{question.first_name} {question.last_name}",
                choices=[(Answer.SAME, _("The same person")), (Answer.NEW, _("A new patient"))],
                widget=forms.RadioSelect,
                error_messages={"required": ANSWER_EACH},
            )
        recovery_choices = [(FOLLOW, _("Follow it here")), (CLOSE, _("Close it as imported"))]
        if plan.in_recovery:
            self.fields["all_recoveries"] = forms.ChoiceField(
                label=_("For every session still in recovery"),
                choices=[("", _("Choose for each")), *recovery_choices],
                required=False,
            )
        for session in plan.in_recovery:
            self.fields[f"recovery__{session.session_external_id}"] = forms.ChoiceField(
                label=session.session_external_id, choices=recovery_choices, widget=forms.RadioSelect, required=False
            )

    def question_fields(self):
        return [(question, self[f"same__{question.external_id}"]) for question in self.plan.questions]

    def recovery_fields(self):
        return [(session, self[f"recovery__{session.session_external_id}"]) for session in self.plan.in_recovery]

    def clean(self):
        cleaned = super().clean()
        every = cleaned.get("all_recoveries")
        for session in self.plan.in_recovery:
            name = f"recovery__{session.session_external_id}"
            if not every and not cleaned.get(name):
                self.add_error(name, _("Choose: follow it here, or close it as imported."))
        return cleaned

    def answers(self) -> dict[str, str]:
        return {
            question.external_id: self.cleaned_data[f"same__{question.external_id}"] for question in self.plan.questions
        }

    def follow(self) -> list[str]:
        every = self.cleaned_data.get("all_recoveries")
        return [
            session.session_external_id
            for session in self.plan.in_recovery
            if (every or self.cleaned_data.get(f"recovery__{session.session_external_id}")) == FOLLOW
        ]
