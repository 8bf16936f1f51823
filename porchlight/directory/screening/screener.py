"""The screener: which programs a household likely qualifies for, and which rule says so.

The rules are data (EligibilityRule rows and the AreaMedianIncome table, see screening.rules) that program
managers edit; this module only reads them and checks a household's answers against them. Storing a
screening is screening.services; reading stored ones is screening.selectors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from porchlight.directory.models import EligibilityRule, Program
from porchlight.directory.screening.rules import (
    ANSWER_RANGES,
    CODE_CHOICES,
    NUMBER_QUESTIONS,
    Q_,
    QUESTIONS,
    YES_NO_QUESTIONS,
    Op,
    ami_for_size,
    ami_table,
    rule_value_parse,
    whole_number,
    yes_no,
)
from porchlight.places.geo import geometry_from_geojson
from porchlight.places.models import Area

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Verdict(models.TextChoices):
    LIKELY = "likely", gettext_lazy("Likely qualifies")
    MAYBE = "maybe", gettext_lazy("Might qualify: ask more")
    OPEN = "open", gettext_lazy("Open to everyone")


# ---------------------------------------------------------------------------------------------------------
# Answers
# ---------------------------------------------------------------------------------------------------------


def _answer_clean(question: str, raw: object) -> object:
    if question in NUMBER_QUESTIONS:
        low, high = ANSWER_RANGES[question]
        number = whole_number(raw)
        if number is None or not low <= number <= high:
            raise ValidationError(
                _("%(question)s must be a whole number from %(low)s to %(high)s.")
                % {"question": Q_(question).label, "low": f"{low:,}", "high": f"{high:,}"}
            )
        return number
    if question in YES_NO_QUESTIONS:
        flag = yes_no(raw)
        if flag is None:
            raise ValidationError(_("%(question)s must be yes or no.") % {"question": Q_(question).label})
        return flag
    code = str(raw).strip()
    if question == Q_.AREA:
        if not Area.objects.filter(kind=Area.Kind.NEIGHBORHOOD, code=code).exists():
            raise ValidationError(_("There is no neighborhood with the code %(code)s.") % {"code": code})
        return code
    if code not in dict(CODE_CHOICES[question]):
        raise ValidationError(
            _("%(answer)s is not an answer to “%(question)s”.")
            % {"answer": code, "question": Q_(question).label}
        )
    return code


def screening_answers_clean(answers: Mapping[str, object]) -> dict[str, object]:
    """The answers in their stored form (ints, booleans, codes); unanswered questions are left out.

    Raises a ValidationError keyed by question for an unknown question, or an answer of a wrong type or range.
    """
    errors: dict[str, ValidationError] = {}
    clean: dict[str, object] = {}
    for question, raw in answers.items():
        if question not in QUESTIONS:
            errors[question] = ValidationError(
                _("%(question)s is not a screening question.") % {"question": question}
            )
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue  # not answered: the resident may prefer not to say
        try:
            clean[question] = _answer_clean(question, raw)
        except ValidationError as exc:
            errors[question] = exc
    if errors:
        raise ValidationError(errors)
    return {q: clean[q] for q in QUESTIONS if q in clean}


def answer_display(question: str, value: object) -> str:
    """An answer as a worker reads it: '$30,000', 'Rents', 'yes', 'NPA 12 · near Freedom Park'."""
    if question == Q_.INCOME:
        return f"${value:,}"
    if question in YES_NO_QUESTIONS:
        return _("yes") if value else _("no")
    if question in CODE_CHOICES:
        return str(dict(CODE_CHOICES[question]).get(str(value), value))
    if question == Q_.AREA:
        area = Area.objects.filter(kind=Area.Kind.NEIGHBORHOOD, code=value).first()
        return area.name if area else str(value)
    return str(value)


# ---------------------------------------------------------------------------------------------------------
# Facts the rules are checked against
# ---------------------------------------------------------------------------------------------------------


def neighborhood_areas(code: str) -> list[Area]:
    """The neighborhood with this code, then the council district and the ZIP code covering most of it."""
    hood = Area.objects.filter(kind=Area.Kind.NEIGHBORHOOD, code=code).first()
    if hood is None:
        return []
    shape = geometry_from_geojson(hood.geometry)
    candidates = Area.objects.filter(
        kind__in=[Area.Kind.COUNCIL_DISTRICT, Area.Kind.ZIP],
        min_lon__lte=hood.max_lon,
        max_lon__gte=hood.min_lon,
        min_lat__lte=hood.max_lat,
        max_lat__gte=hood.min_lat,
    ).order_by("kind", "code")
    best: dict[str, tuple[float, Area]] = {}
    for area in candidates:
        overlap = shape.intersection(geometry_from_geojson(area.geometry)).area
        if overlap > 0 and overlap > best.get(area.kind, (0.0, area))[0]:
            best[area.kind] = (overlap, area)
    return [hood, *(best[k][1] for k in sorted(best))]


@dataclass
class Facts:
    """A household's answers, with the AMI table and the areas looked up only when a rule needs them."""

    answers: dict[str, object]
    year: int

    @cached_property
    def ami(self) -> tuple[int | None, dict[int, int]]:
        return ami_table(self.year)

    @cached_property
    def areas(self) -> list[Area]:
        code = self.answers.get(Q_.AREA)
        return neighborhood_areas(str(code)) if code is not None else []


# ---------------------------------------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------------------------------------

MET, FAILED, MISSING, UNCHECKED = "met", "failed", "missing", "unchecked"


@dataclass
class RuleOutcome:
    status: str
    reason: str = ""
    missing: tuple[str, ...] = ()


@dataclass
class ProgramMatch:
    """A program the household likely (or maybe) qualifies for, with why and what is still unknown."""

    program: Program
    verdict: str
    reasons: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    # Rules that could not be checked (no AMI table for the year, a rule saved before validation existed).
    unchecked: list[str] = field(default_factory=list)

    @property
    def documents(self) -> list[str]:
        return self.program.documents

    def as_result(self) -> dict:
        """The snapshot stored with a Screening (rules may change later; this is what the worker saw)."""
        return {
            "program_id": self.program.pk,
            "program_name": self.program.name,
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "missing": list(self.missing),
            "unchecked": list(self.unchecked),
        }


def _money(amount: Decimal | int) -> str:
    return f"${int(amount):,}"


def _number(question: str, amount: Decimal | int) -> str:
    return _money(amount) if question == Q_.INCOME else f"{Decimal(amount).normalize():f}"


def _check_ami(rule: EligibilityRule, percent: Decimal, facts: Facts) -> RuleOutcome:
    needed = tuple(q for q in (Q_.INCOME, Q_.HOUSEHOLD_SIZE) if q not in facts.answers)
    if needed:
        return RuleOutcome(MISSING, missing=needed)
    table_year, table = facts.ami
    size = int(facts.answers[Q_.HOUSEHOLD_SIZE])  # type: ignore[call-overload]
    income = int(facts.answers[Q_.INCOME])  # type: ignore[call-overload]
    full = ami_for_size(table, size)
    if full is None:
        return RuleOutcome(
            UNCHECKED,
            reason=_("%(rule)s: the area median income table has no figure for %(size)s people in %(year)s.")
            % {"rule": rule, "size": size, "year": table_year or facts.year},
        )
    limit = full * percent / 100
    if income > limit:
        return RuleOutcome(FAILED)
    reason = rule.explanation or ngettext(
        "Income %(income)s is at or below %(percent)s%% of AMI for %(size)s person (%(limit)s)",
        "Income %(income)s is at or below %(percent)s%% of AMI for %(size)s people (%(limit)s)",
        size,
    ) % {
        "income": _money(income),
        "percent": f"{percent.normalize():f}",
        "size": size,
        "limit": _money(limit),
    }
    return RuleOutcome(MET, reason=reason)


def _check_number(rule: EligibilityRule, bound: Decimal, answer: int) -> RuleOutcome:
    met_by: dict[str, bool] = {
        Op.AT_MOST: answer <= bound,
        Op.AT_LEAST: answer >= bound,
        Op.IS: answer == bound,
    }
    met = met_by[rule.operator]
    if not met:
        return RuleOutcome(FAILED)
    templates: dict[str, StrOrPromise] = {
        Op.AT_MOST: _("%(question)s %(answer)s is at most %(bound)s"),
        Op.AT_LEAST: _("%(question)s %(answer)s is at least %(bound)s"),
        Op.IS: _("%(question)s is %(answer)s"),
    }
    template = templates[rule.operator]
    reason = rule.explanation or template % {
        "question": Q_(rule.question).label,
        "answer": _number(rule.question, answer),
        "bound": _number(rule.question, bound),
    }
    return RuleOutcome(MET, reason=reason)


def _check_area(rule: EligibilityRule, entries: tuple[str, ...], facts: Facts) -> RuleOutcome:
    wanted = set(entries)
    matched = next((a for a in facts.areas if f"{a.kind}:{a.code}" in wanted), None)
    if matched is None:
        return RuleOutcome(FAILED)
    return RuleOutcome(MET, reason=rule.explanation or _("Lives in %(area)s") % {"area": matched.name})


def rule_check(rule: EligibilityRule, facts: Facts) -> RuleOutcome:
    """Met, failed, missing (the answer is not known) or unchecked (the rule's data is bad)."""
    try:
        parsed = rule_value_parse(question=rule.question, operator=rule.operator, value=rule.value)
    except ValidationError:
        # Saved past the editor's validation (admin, shell, an old import): never crash the screener.
        return RuleOutcome(UNCHECKED, reason=_("A rule could not be checked: %(rule)s") % {"rule": rule})
    if rule.operator == Op.AMI_AT_MOST:
        return _check_ami(rule, parsed, facts)  # type: ignore[arg-type]
    if rule.question not in facts.answers:
        return RuleOutcome(MISSING, missing=(rule.question,))
    answer = facts.answers[rule.question]
    if rule.question in NUMBER_QUESTIONS:
        return _check_number(rule, parsed, answer)  # type: ignore[arg-type]
    if rule.question == Q_.AREA:
        return _check_area(rule, parsed, facts)  # type: ignore[arg-type]
    met = answer == parsed if isinstance(parsed, bool) else answer in parsed  # type: ignore[operator]
    if not met:
        return RuleOutcome(FAILED)
    reason = rule.explanation or _("%(question)s: %(answer)s") % {
        "question": Q_(rule.question).label,
        "answer": answer_display(rule.question, answer),
    }
    return RuleOutcome(MET, reason=reason)


def program_match(program: Program, facts: Facts) -> ProgramMatch | None:
    """The verdict for one program, or None when any of its rules fails."""
    rules = list(program.rules.all())
    if not rules:
        return ProgramMatch(program=program, verdict=Verdict.OPEN)
    match = ProgramMatch(program=program, verdict=Verdict.LIKELY)
    for rule in rules:
        outcome = rule_check(rule, facts)
        if outcome.status == FAILED:
            return None
        if outcome.status == MET:
            match.reasons.append(outcome.reason)
        elif outcome.status == MISSING:
            match.missing += [q for q in outcome.missing if q not in match.missing]
        else:
            match.unchecked.append(outcome.reason)
    if match.missing or match.unchecked:
        match.verdict = Verdict.MAYBE
    match.missing.sort(key=QUESTIONS.index)
    return match


def screening_evaluate(
    *, answers: Mapping[str, object], programs: Iterable[Program] | None = None, year: int | None = None
) -> list[ProgramMatch]:
    """The programs a household likely or maybe qualifies for (then those open to everyone), by name.

    Programs with a failed rule are left out. `programs` defaults to every active program; `year` picks the
    AMI table (the most recent one at or before it; default this year).
    """
    facts = Facts(answers=screening_answers_clean(answers), year=year or timezone.localdate().year)
    if programs is None:
        programs = Program.objects.filter(is_active=True)
    if isinstance(programs, QuerySet):
        programs = programs.prefetch_related("rules")
    matches = [m for m in (program_match(p, facts) for p in programs) if m is not None]
    order: dict[str, int] = {Verdict.LIKELY: 0, Verdict.MAYBE: 1, Verdict.OPEN: 2}
    return sorted(matches, key=lambda m: (order[m.verdict], m.program.name.lower(), m.program.pk))
