from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from porchlight.accounts.permissions import capability_required
from porchlight.accounts.roles import Capability
from porchlight.services.forms import ProgramForm
from porchlight.services.models import Program


@capability_required(Capability.MANAGE_PROGRAMS)
def program_list(request: HttpRequest) -> HttpResponse:
    programs = Program.objects.select_related("organization").order_by("category", "name")
    return render(request, "services/program_list.html", {"programs": programs})


@capability_required(Capability.MANAGE_PROGRAMS)
def program_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    program = get_object_or_404(Program, pk=pk) if pk else None
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Program saved."))
        return redirect("services:program_list")
    return render(request, "services/program_form.html", {"form": form, "program": program})
