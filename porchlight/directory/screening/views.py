"""Screening views: the screener and its results, a resident's past screenings, the rules and AMI editors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.permissions import any_capability_required, capability_required
from porchlight.accounts.roles import Capability
from porchlight.accounts.services import audit_record
from porchlight.directory.models import EligibilityRule, Program
from porchlight.directory.screening.forms import AmiTableForm, AmiYearForm, EligibilityRuleForm, ScreeningForm
from porchlight.directory.screening.rules import (
    QUESTIONS,
    ami_table_save,
    ami_year_copy,
    eligibility_rule_delete,
    eligibility_rule_save,
)
from porchlight.directory.screening.screener import Verdict, screening_evaluate
from porchlight.directory.screening.selectors import (
    ami_incomes,
    ami_years,
    program_get_for_rules,
    program_rules_asked,
    screening_answers_display,
    screening_conversation_get,
    screening_get_for_user,
    screening_history_rows,
    screening_results_by_verdict,
)
from porchlight.directory.screening.services import screening_record
from porchlight.people.selectors import resident_get_for_user
from porchlight.ui.htmx import render_page_or_fragment

# ---------------------------------------------------------------------------------------------------------
# The screener
# ---------------------------------------------------------------------------------------------------------


@capability_required(Capability.SCREEN)
def screening_new(request: AuthedHttpRequest, resident_pk: int) -> HttpResponse:
    """Ask the screener's questions for a resident (optionally during a conversation) and store the result."""
    resident = resident_get_for_user(user=request.user, pk=resident_pk)
    audit_record(actor=request.user, action="view", obj=resident, request=request, detail="screening form")
    conversation = screening_conversation_get(
        user=request.user, resident=resident, pk=request.GET.get("conversation")
    )
    neighborhood = resident.address.neighborhood if resident.address else None
    form = ScreeningForm(request.POST or None, initial={"area": neighborhood.code if neighborhood else ""})
    if request.method == "POST" and form.is_valid():
        try:
            screening = screening_record(
                resident=resident, answers=form.answers, actor=request.user, conversation=conversation
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            audit_record(
                actor=request.user,
                action="create",
                obj=resident,
                detail=f"screening {screening.pk}",
                request=request,
            )
            return redirect("services:screening_detail", pk=screening.pk)
    context = {"resident": resident, "conversation": conversation, "form": form}
    return render(request, "directory/screening_form.html", context)


def _referral_base_url(resident_pk: int) -> str | None:
    """The referrals page for this resident, if the referrals app provides one."""
    try:
        return reverse("cases:referral_new_for_resident", args=[resident_pk])
    except NoReverseMatch:
        return None


@any_capability_required(Capability.SCREEN, Capability.MANAGE_CASES)
def screening_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The programs a screening found, grouped by verdict. Sensitive: every read is audit-logged."""
    screening = screening_get_for_user(user=request.user, pk=pk)
    audit_record(
        actor=request.user,
        action="view",
        obj=screening.resident,
        detail=f"screening {screening.pk}",
        request=request,
    )
    groups = screening_results_by_verdict(screening=screening)
    answers, unanswered = screening_answers_display(screening=screening)
    may_refer = request.user.can(Capability.REFER) and screening.resident.erased_at is None
    context = {
        "screening": screening,
        "resident": screening.resident,
        "likely": groups[Verdict.LIKELY],
        "maybe": groups[Verdict.MAYBE],
        "open": groups[Verdict.OPEN],
        "answers": answers,
        "unanswered": unanswered,
        "refer_url": _referral_base_url(screening.resident_id) if may_refer else None,
    }
    return render(request, "directory/screening_detail.html", context)


@any_capability_required(Capability.SCREEN, Capability.MANAGE_CASES)
def screening_history(request: AuthedHttpRequest, resident_pk: int) -> HttpResponse:
    """A resident's past screenings that the user may read. htmx gets the list alone (the resident page)."""
    resident = resident_get_for_user(user=request.user, pk=resident_pk)
    rows = screening_history_rows(user=request.user, resident=resident)
    if rows:
        audit_record(
            actor=request.user,
            action="view",
            obj=resident,
            detail="screenings " + ", ".join(str(row["screening"].pk) for row in rows),
            request=request,
        )
    context = {"resident": resident, "rows": rows}
    return render_page_or_fragment(
        request, "directory/screening_history.html", "directory/screening_history_list.html", context
    )


# ---------------------------------------------------------------------------------------------------------
# The rules editor
# ---------------------------------------------------------------------------------------------------------


def _rules_context(
    program: Program, form: EligibilityRuleForm, try_form: ScreeningForm | None = None
) -> dict:
    rules = list(program.rules.all())
    asked = program_rules_asked(rules=rules)
    try_form = try_form or ScreeningForm(auto_id="try_%s")
    return {
        "program": program,
        "rules": rules,
        "form": form,
        "try_form": try_form,
        "try_fields": [try_form[q] for q in QUESTIONS if q in asked],
    }


def _save_rule(
    request: HttpRequest, program: Program, form: EligibilityRuleForm, rule: EligibilityRule | None
) -> bool:
    if not form.is_valid():
        return False
    try:
        eligibility_rule_save(program=program, rule=rule, **form.cleaned_data)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    messages.success(request, _("Rule saved."))
    return True


@capability_required(Capability.MANAGE_PROGRAMS)
def program_rules(request: HttpRequest, program_pk: int) -> HttpResponse:
    """A program's eligibility rules: list them and add one (POST)."""
    program = program_get_for_rules(pk=program_pk)
    form = EligibilityRuleForm(request.POST or None)
    if request.method == "POST" and _save_rule(request, program, form, None):
        return redirect("services:program_rules", program_pk=program.pk)
    return render(request, "directory/rules.html", _rules_context(program, form))


@capability_required(Capability.MANAGE_PROGRAMS)
def program_rule_edit(request: HttpRequest, program_pk: int, pk: int) -> HttpResponse:
    program = get_object_or_404(Program, pk=program_pk)
    rule = get_object_or_404(EligibilityRule, pk=pk, program=program)
    form = EligibilityRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and _save_rule(request, program, form, rule):
        return redirect("services:program_rules", program_pk=program.pk)
    return render(request, "directory/rules_edit.html", {"program": program, "rule": rule, "form": form})


@require_POST
@capability_required(Capability.MANAGE_PROGRAMS)
def program_rule_delete(request: HttpRequest, program_pk: int, pk: int) -> HttpResponse:
    rule = get_object_or_404(EligibilityRule, pk=pk, program_id=program_pk)
    eligibility_rule_delete(rule=rule)
    messages.success(request, _("Rule deleted."))
    return redirect("services:program_rules", program_pk=program_pk)


@capability_required(Capability.MANAGE_PROGRAMS)
def program_rules_try(request: HttpRequest, program_pk: int) -> HttpResponse:
    """Try the program's rules on made-up answers; nothing is stored. htmx gets the verdict alone."""
    program = program_get_for_rules(pk=program_pk)
    try_form = ScreeningForm(request.GET, auto_id="try_%s")
    match = None
    if try_form.is_valid():
        matches = screening_evaluate(answers=try_form.answers, programs=[program])
        match = matches[0] if matches else None
    context = {**_rules_context(program, EligibilityRuleForm(), try_form), "tried": True, "match": match}
    return render_page_or_fragment(request, "directory/rules.html", "directory/rules_try.html", context)


# ---------------------------------------------------------------------------------------------------------
# The AMI table editor
# ---------------------------------------------------------------------------------------------------------


def _year_from(request: HttpRequest, years: list[int]) -> int:
    try:
        return int(request.GET["year"])
    except (KeyError, ValueError):
        return years[0] if years else timezone.localdate().year


@capability_required(Capability.MANAGE_PROGRAMS)
def ami_table(request: HttpRequest) -> HttpResponse:
    """View and edit the area median income table of one year (?year=); start a new year from the last."""
    years = ami_years()
    year = _year_from(request, years)
    table = ami_incomes(year=year)
    initial = {f"size_{size}": income for size, income in table.items()}
    form = AmiTableForm(request.POST or None, initial=initial, sizes=list(table))
    if request.method == "POST" and form.is_valid():
        try:
            ami_table_save(year=year, incomes=form.incomes())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Area median income for %(year)s saved.") % {"year": year})
            return redirect(f"{reverse('services:ami_table')}?year={year}")
    context = {"year": year, "years": years, "exists": bool(table), "form": form, "year_form": AmiYearForm()}
    return render(request, "directory/ami_table.html", context)


@require_POST
@capability_required(Capability.MANAGE_PROGRAMS)
def ami_year_new(request: HttpRequest) -> HttpResponse:
    """Add a year by copying the most recent earlier table; the manager then types in HUD's new figures."""
    form = AmiYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("services:ami_table")
    year = form.cleaned_data["year"]
    try:
        ami_year_copy(year=year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Copied the previous table to %(year)s: now enter HUD's figures.") % {"year": year}
        )
    return redirect(f"{reverse('services:ami_table')}?year={year}")
