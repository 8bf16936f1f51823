from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from porchlight.places.imports.csvfile import max_bytes


class ImportUploadForm(forms.Form):
    """One CSV file to import; its rows are checked by the import job, not here."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Save the spreadsheet as “CSV UTF-8”. The first line must name the columns."),
        allow_empty_file=True,  # the import reports an empty file the same way for the view and the command
        widget=forms.ClearableFileInput(attrs={"class": "usa-file-input", "accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Choose a .csv file (in Excel: File › Save As › CSV UTF-8)."))
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB. Split it into smaller files.")
                % {"limit": round(max_bytes() / 1024 / 1024)}
            )
        return upload
