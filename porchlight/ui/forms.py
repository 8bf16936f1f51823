"""Form helpers shared by every app: USWDS classes on Django widgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

_WIDGET_CSS: dict[type[forms.Widget], str] = {
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.Textarea: "usa-textarea",
}


class USWDSFormMixin:
    """Give each widget the USWDS class it needs, and mark invalid fields for screen readers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            unstyled = isinstance(
                widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple
            )
            css = _WIDGET_CSS.get(type(widget), "" if unstyled else "usa-input")
            if css:
                widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is None:
                continue
            attrs = field.widget.attrs
            if "usa-input--error" not in attrs.get("class", ""):
                attrs["class"] = (attrs.get("class", "") + " usa-input--error").strip()
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{name}-error"


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field `name`, typed as one, so a form can set its `choices` when it is built."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


def model_choice_field(
    form: forms.BaseForm, name: str, *, label: Callable[[Any], str] | None = None
) -> forms.ModelChoiceField[Any]:
    """The form's model choice field `name`, typed as one, so a form can set its `queryset`; `label` names
    each choice instead of the object's str()."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    if label is not None:
        # Django's way of relabelling one field's choices: an attribute on the field instance.
        field.label_from_instance = label  # type: ignore[method-assign, assignment]
    return field
