"""Dialogues: statement sets residents voted on, their opinion groups and what each group stands for.

Reading needs VIEW_DASHBOARD; importing needs IMPORT_DATA or MANAGE_CAMPAIGNS and is audited. The pages show
statements and anonymous participants only: never a resident's name.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.permissions import any_capability_required, capability_required
from porchlight.accounts.roles import Capability
from porchlight.insights.models import OpinionAnalysis, Participant, Statement, StatementSet, Vote
from porchlight.insights.opinions import services
from porchlight.insights.opinions.forms import StatementSetImportForm
from porchlight.ui import charts

STAFF = Capability.VIEW_DASHBOARD
GREY = "#a9aeb1"
# USWDS-derived colours, distinguishable for common colour-vision differences.
GROUP_COLOURS = ["#005ea2", "#d54309", "#00a398", "#8168b3", "#936f38"]


def group_name(index: int) -> str:
    return _("Group %(letter)s") % {"letter": chr(ord("A") + index)}


def can_import(user: object) -> bool:
    return user.can(Capability.IMPORT_DATA) or user.can(Capability.MANAGE_CAMPAIGNS)  # type: ignore[attr-defined]


def _count(model: type[Statement] | type[Participant] | type[Vote], field: str) -> Coalesce:
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


def _list(request: HttpRequest, form: StatementSetImportForm | None, status: int = 200) -> HttpResponse:
    sets = (
        StatementSet.objects.select_related("campaign")
        # Every set's analyses in one query, newest first (the model's order): the list shows the latest.
        .prefetch_related(Prefetch("analyses", queryset=OpinionAnalysis.objects.only(
            "statement_set_id", "n_groups", "computed_at"
        )))
        .annotate(
            n_statements=_count(Statement, "statement_set"),
            n_participants=_count(Participant, "statement_set"),
            n_votes=_count(Vote, "statement__statement_set"),
        )
    )
    rows = []
    for statement_set in sets:
        analyses = statement_set.analyses.all()
        rows.append({"set": statement_set, "analysis": analyses[0] if analyses else None})
    return render(
        request,
        "insights/opinions/dialogue_list.html",
        {"rows": rows, "form": form, "can_import": can_import(request.user)},
        status=status,
    )


@require_GET
@capability_required(STAFF)
def dialogue_list(request: HttpRequest) -> HttpResponse:
    form = StatementSetImportForm() if can_import(request.user) else None
    return _list(request, form)


@require_http_methods(["POST"])
@any_capability_required(Capability.IMPORT_DATA, Capability.MANAGE_CAMPAIGNS)  # the rule of can_import
def dialogue_import(request: AuthedHttpRequest) -> HttpResponse:
    form = StatementSetImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list(request, form, status=400)
    source = form.cleaned_data["name"]
    parsed = form.parsed
    assert parsed is not None  # a valid form has parsed its files
    try:
        statement_set = services.statement_set_import(
            parsed=parsed,
            name=form.cleaned_data["name"],
            campaign=form.cleaned_data["campaign"],
            source=source if parsed.is_polis else "",
            actor=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _list(request, form, status=400)
    messages.success(
        request,
        _("Imported %(s)s statements, %(p)s participants and %(v)s votes.")
        % {"s": len(parsed.statements), "p": len(parsed.participants), "v": len(parsed.votes)},
    )
    try:
        services.opinion_groups_compute(statement_set=statement_set)
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    return redirect("insights:dialogue_detail", pk=statement_set.pk)


def scatter_spec(points: list[list], names: list[str]) -> dict:
    """Participants on the opinion map, coloured by group (ungrouped ones in grey)."""
    not_grouped = _("Not grouped (too few votes)")
    values = [
        {"x": x, "y": y, "group": names[g] if g >= 0 else not_grouped} for _pk, x, y, g in points
    ]
    domain = list(names)
    colours = [GROUP_COLOURS[i % len(GROUP_COLOURS)] for i in range(len(names))]
    if any(p[3] < 0 for p in points):
        domain.append(not_grouped)
        colours.append(GREY)
    spec = charts._base(values, _("Participants on the opinion map, coloured by group"))
    spec.update(
        {
            "height": 320,
            "mark": {"type": "point", "filled": True, "opacity": 0.7, "size": 40},
            "encoding": {
                "x": {"field": "x", "type": "quantitative", "axis": None},
                "y": {"field": "y", "type": "quantitative", "axis": None},
                "color": {
                    "field": "group",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": domain, "range": colours},
                    # The page draws its own, larger legend with the group sizes.
                    "legend": None,
                },
                "shape": {"field": "group", "type": "nominal", "legend": None},
            },
        }
    )
    return spec


@require_GET
@capability_required(STAFF)
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    statement_set = get_object_or_404(StatementSet.objects.select_related("campaign"), pk=pk)
    analysis = statement_set.analyses.first()
    context: dict = {
        "set": statement_set,
        "analysis": analysis,
        "is_polis": statement_set.source.startswith(services.POLIS_SOURCE_PREFIX),
        "n_statements": statement_set.statements.count(),
        "n_participants": statement_set.participants.count(),
        "n_votes": Vote.objects.filter(statement__statement_set=statement_set).count(),
    }
    if analysis is not None:
        result = analysis.result
        names = [group_name(g["id"]) for g in result.get("groups", [])]
        context["groups"] = [
            {**g, "name": names[i], "colour": GROUP_COLOURS[i % len(GROUP_COLOURS)]}
            for i, g in enumerate(result.get("groups", []))
        ]
        context["group_names"] = names
        consensus = result.get("consensus", {"agree": [], "disagree": []})
        context["consensus"] = {
            direction: [{**row, "by_group": list(zip(names, row.get("group_pcts", []), strict=False))}
                        for row in rows]
            for direction, rows in consensus.items()
        }
        context["n_ungrouped"] = context["n_participants"] - analysis.n_participants
        context["n_grouped"] = analysis.n_participants
        context["min_votes"] = result.get("min_votes")
        context["spec"] = scatter_spec(result.get("points", []), names)
    return render(request, "insights/opinions/dialogue_detail.html", context)


@require_POST
@capability_required(STAFF)
def dialogue_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    statement_set = get_object_or_404(StatementSet, pk=pk)
    try:
        services.opinion_groups_compute(statement_set=statement_set)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Opinion groups recomputed."))
    return redirect("insights:dialogue_detail", pk=statement_set.pk)
