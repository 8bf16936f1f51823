from django import forms

from porchlight.services.models import Program
from porchlight.web.forms import USWDSFormMixin


class ProgramForm(USWDSFormMixin, forms.ModelForm):
    class Meta:
        model = Program
        fields = ["organization", "name", "category", "description", "phone", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
