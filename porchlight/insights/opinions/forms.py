"""The import form: a Pol.is export (zip, or its CSV files) or our own statements + votes CSV pair."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from porchlight.insights.opinions.parsing import (
    MAX_FILE_BYTES,
    ParsedVotes,
    files_from_zip,
    parse_polis,
    parse_simple,
)
from porchlight.outreach.models import Campaign
from porchlight.ui.forms import USWDSFormMixin

POLIS, SIMPLE = "polis", "csv"
FILE_FIELDS = ("export_zip", "comments", "participants_votes", "votes", "statements", "statement_votes")


class StatementSetImportForm(USWDSFormMixin, forms.Form):
    name = forms.CharField(label=_l("Name"), max_length=200)
    campaign = forms.ModelChoiceField(
        label=_l("Campaign (optional)"), queryset=Campaign.objects.order_by("name"), required=False
    )
    kind = forms.ChoiceField(
        label=_l("File format"),
        choices=[(POLIS, _l("A Pol.is export")), (SIMPLE, _l("Our CSV files: statements and votes"))],
        widget=forms.RadioSelect,
        initial=POLIS,
    )
    export_zip = forms.FileField(
        label=_l("Pol.is export as a .zip"), required=False,
        help_text=_l("Or give its CSV files one by one below."),
    )
    comments = forms.FileField(label=_l("Pol.is comments.csv"), required=False)
    participants_votes = forms.FileField(label=_l("Pol.is participants-votes.csv"), required=False)
    votes = forms.FileField(label=_l("Pol.is votes.csv (if the export has it)"), required=False)
    statements = forms.FileField(
        label=_l("Statements CSV"), required=False, help_text=_l("Columns: statement_id, text")
    )
    statement_votes = forms.FileField(
        label=_l("Votes CSV"), required=False,
        help_text=_l("Columns: participant_id, statement_id, vote (agree, disagree or pass; or 1, -1, 0)"),
    )

    parsed: ParsedVotes | None = None

    def _read(self, name: str) -> bytes | None:
        upload: UploadedFile | None = self.cleaned_data.get(name)
        if not upload:
            return None
        if upload.size and upload.size > MAX_FILE_BYTES:
            self.add_error(name, _("This file is too large (at most 50 MB)."))
            return None
        return upload.read()

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        if data.get("kind") == POLIS:
            archive = self._read("export_zip")
            if archive is not None:
                try:
                    files = files_from_zip(archive)
                except ValueError as exc:
                    self.add_error("export_zip", str(exc))
                    return data
            else:
                files = {}
                pairs = (("comments", "comments.csv"), ("participants_votes", "participants-votes.csv"),
                         ("votes", "votes.csv"))
                for field, filename in pairs:
                    content = self._read(field)
                    if content is not None:
                        files[filename] = content
                if not files:
                    raise forms.ValidationError(_("Choose the Pol.is export's zip file or its CSV files."))
            self.parsed = parse_polis(files)
        else:
            statements, votes = self._read("statements"), self._read("statement_votes")
            if statements is None or votes is None:
                raise forms.ValidationError(_("Choose both the statements CSV and the votes CSV."))
            self.parsed = parse_simple(statements, votes)
        return data
