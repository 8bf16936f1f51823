"""Form helpers shared by every app: USWDS classes on Django widgets."""

from __future__ import annotations

from typing import Any

from django import forms


class USWDSFormMixin:
    """Give each widget the USWDS class it needs, and mark invalid fields for screen readers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            css = {
                forms.Select: "usa-select",
                forms.SelectMultiple: "usa-select",
                forms.Textarea: "usa-textarea",
            }.get(type(widget), "" if isinstance(widget, forms.CheckboxInput | forms.RadioSelect
                                                    | forms.CheckboxSelectMultiple) else "usa-input")
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
