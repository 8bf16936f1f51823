"""Eligibility rules and the AMI table: the grammar of a rule's value, and the writes that keep them valid.

One grammar, `rule_value_parse`, both rejects bad rule data when it is saved and reads it when a screener
runs (porchlight.directory.screening.screener), so a rule that was accepted can always be evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from porchlight.directory.models import AreaMedianIncome, EligibilityRule, Program
from porchlight.places.models import Area

Q_ = EligibilityRule.Question
Op = EligibilityRule.Operator

QUESTIONS: list[str] = list(Q_.values)
NUMBER_QUESTIONS = {Q_.HOUSEHOLD_SIZE, Q_.INCOME, Q_.AGE}
YES_NO_QUESTIONS = {Q_.RENT_REGULATED, Q_.HEALTH_COVERAGE}
# Inclusive ranges a resident's answer must fall in (a household of 0 or an income of -5 is a typo).
ANSWER_RANGES: dict[str, tuple[int, int]] = {
    Q_.HOUSEHOLD_SIZE: (1, 20),
    Q_.INCOME: (0, 10_000_000),
    Q_.AGE: (0, 120),
}
TENURE_CHOICES = [("renter", gettext_lazy("Rents")), ("owner", gettext_lazy("Owns"))]
EMPLOYMENT_CHOICES = [
    ("full_time", gettext_lazy("Works full time")),
    ("part_time", gettext_lazy("Works part time")),
    ("unemployed", gettext_lazy("Unemployed, looking for work")),
    ("retired", gettext_lazy("Retired")),
    ("student", gettext_lazy("Student")),
    ("unable_to_work", gettext_lazy("Unable to work")),
]
CODE_CHOICES: dict[str, Sequence[tuple[str, object]]] = {
    Q_.TENURE: TENURE_CHOICES,
    Q_.EMPLOYMENT: EMPLOYMENT_CHOICES,
}
OPERATORS_FOR: dict[str, set[str]] = {
    Q_.HOUSEHOLD_SIZE: {Op.AT_MOST, Op.AT_LEAST, Op.IS},
    Q_.AGE: {Op.AT_MOST, Op.AT_LEAST, Op.IS},
    Q_.INCOME: {Op.AT_MOST, Op.AT_LEAST, Op.AMI_AT_MOST},
    Q_.TENURE: {Op.IS, Op.ONE_OF},
    Q_.EMPLOYMENT: {Op.IS, Op.ONE_OF},
    Q_.RENT_REGULATED: {Op.IS},
    Q_.HEALTH_COVERAGE: {Op.IS},
    Q_.AREA: {Op.IS, Op.ONE_OF},
}
AMI_PERCENT_RANGE = (1, 200)
# HUD: for households above the table's largest size, add 8% of the four-person figure per extra person.
AMI_EXTRA_PERSON_SHARE = Decimal("0.08")
AMI_SIZES_REQUIRED = range(1, 9)
AMI_YEAR_RANGE = (2000, 2100)


# ---------------------------------------------------------------------------------------------------------
# Rule values
# ---------------------------------------------------------------------------------------------------------


def whole_number(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        text = raw.strip().replace(",", "").removeprefix("$").strip()
        if text.isdigit():
            return int(text)
    return None


def yes_no(raw: object) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
        return raw.strip().lower() == "true"
    return None


def _area_entries_parse(value: str) -> tuple[str, ...]:
    """Area codes, each 'code' or 'kind:code' (e.g. 'council_district:3'), as 'kind:code' entries.

    A bare code must name one area only: NPA 3 and council district 3 share the code '3', so such a rule
    must say which it means.
    """
    entries: list[str] = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        kind, sep, code = item.rpartition(":")
        if sep:
            kind, code = kind.strip(), code.strip()
            if kind not in Area.Kind.values:
                raise ValidationError(
                    {
                        "value": _("“%(kind)s” is not an area kind (use %(kinds)s).")
                        % {"kind": kind, "kinds": ", ".join(Area.Kind.values)}
                    }
                )
            if not Area.objects.filter(kind=kind, code=code).exists():
                raise ValidationError({"value": _("There is no area %(item)s.") % {"item": item}})
            entries.append(f"{kind}:{code}")
            continue
        kinds = sorted(set(Area.objects.filter(code=item).values_list("kind", flat=True)))
        if not kinds:
            raise ValidationError({"value": _("There is no area with the code %(code)s.") % {"code": item}})
        if len(kinds) > 1:
            raise ValidationError(
                {
                    "value": _("The code %(code)s names more than one area: write %(options)s.")
                    % {"code": item, "options": _(" or ").join(f"{k}:{item}" for k in kinds)}
                }
            )
        entries.append(f"{kinds[0]}:{item}")
    if not entries:
        raise ValidationError({"value": _("List at least one area code.")})
    return tuple(entries)


def rule_value_parse(*, question: str, operator: str, value: str) -> Decimal | bool | tuple[str, ...]:
    """What a rule's value means: a number (or AMI percent), yes/no, or a tuple of answer codes.

    Raises a ValidationError keyed by 'question', 'operator' or 'value' when the rule cannot be evaluated.
    """
    if question not in QUESTIONS:
        raise ValidationError({"question": _("Choose a question.")})
    if operator not in OPERATORS_FOR[question]:
        raise ValidationError(
            {
                "operator": _("“%(operator)s” does not apply to “%(question)s”; use one of: %(allowed)s.")
                % {
                    "operator": Op(operator).label if operator in Op.values else operator,
                    "question": Q_(question).label,
                    "allowed": ", ".join(str(Op(o).label) for o in Op.values if o in OPERATORS_FOR[question]),
                }
            }
        )
    text = (value or "").strip()
    if not text:
        raise ValidationError({"value": _("Enter a value.")})
    if question in NUMBER_QUESTIONS:
        try:
            number = Decimal(text.replace(",", "").removeprefix("$"))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number < 0:
            raise ValidationError({"value": _("Enter a number (digits only), e.g. 62.")})
        if operator == Op.AMI_AT_MOST:
            low, high = AMI_PERCENT_RANGE
            if not low <= number <= high:
                raise ValidationError(
                    {
                        "value": _("Enter a percent of area median income from %(low)s to %(high)s.")
                        % {"low": low, "high": high}
                    }
                )
        return number
    if question in YES_NO_QUESTIONS:
        flag = yes_no(text)
        if flag is None:
            raise ValidationError({"value": _("Enter true or false.")})
        return flag
    if question == Q_.AREA:
        entries = _area_entries_parse(text)
        if operator == Op.IS and len(entries) > 1:
            raise ValidationError({"value": _("“is” takes one area; use “is one of” for several.")})
        return entries
    codes = tuple(c.strip() for c in text.split(",") if c.strip())
    allowed = dict(CODE_CHOICES[question])
    unknown = [c for c in codes if c not in allowed]
    if unknown or not codes:
        raise ValidationError({"value": _("Use these codes: %(codes)s.") % {"codes": ", ".join(allowed)}})
    if operator == Op.IS and len(codes) > 1:
        raise ValidationError({"value": _("“is” takes one code; use “is one of” for several.")})
    return codes


def rule_value_normalize(*, question: str, operator: str, value: str) -> str:
    """The value as it is stored: numbers without commas, 'true'/'false', codes joined by ', '."""
    parsed = rule_value_parse(question=question, operator=operator, value=value)
    if isinstance(parsed, bool):
        return "true" if parsed else "false"
    if isinstance(parsed, Decimal):
        return format(parsed.normalize(), "f")
    if question == Q_.AREA:
        # Keep what the manager typed ('28205' stays '28205'), only tidied.
        return ", ".join(part.strip() for part in value.split(",") if part.strip())
    return ", ".join(parsed)


# ---------------------------------------------------------------------------------------------------------
# The AMI table
# ---------------------------------------------------------------------------------------------------------


def ami_table(year: int) -> tuple[int | None, dict[int, int]]:
    """The AMI table in force for `year`: the most recent year at or before it, as {household size: $}."""
    table_year = AreaMedianIncome.objects.filter(year__lte=year).aggregate(y=Max("year"))["y"]
    if table_year is None:
        return None, {}
    rows = AreaMedianIncome.objects.filter(year=table_year).values_list("household_size", "income")
    return table_year, dict(rows)


def ami_for_size(table: Mapping[int, int], size: int) -> Decimal | None:
    """100% AMI for a household size; above the table's largest size, HUD's +8% of 4 people per person."""
    if size in table:
        return Decimal(table[size])
    if not table or 4 not in table:
        return None
    largest = max(table)
    if size < largest:
        return None  # a hole in the table: the editor refuses those, but never guess
    return Decimal(table[largest]) + (size - largest) * AMI_EXTRA_PERSON_SHARE * table[4]


@transaction.atomic
def eligibility_rule_save(
    *,
    program: Program,
    question: str,
    operator: str,
    value: str,
    explanation: str = "",
    rule: EligibilityRule | None = None,
) -> EligibilityRule:
    """Add a rule to a program (or change `rule`); refuses any rule the screener could not evaluate."""
    stored = rule_value_normalize(question=question, operator=operator, value=value)
    explanation = (explanation or "").strip()
    if len(explanation) > 300:
        raise ValidationError({"explanation": _("Keep the reason under 300 characters.")})
    if rule is None:
        return EligibilityRule.objects.create(
            program=program, question=question, operator=operator, value=stored, explanation=explanation
        )
    if rule.program_id != program.pk:
        raise ValidationError(_("That rule belongs to another program."))
    rule.question, rule.operator, rule.value, rule.explanation = question, operator, stored, explanation
    rule.save(update_fields=["question", "operator", "value", "explanation"])
    return rule


@transaction.atomic
def eligibility_rule_delete(*, rule: EligibilityRule) -> None:
    rule.delete()


@transaction.atomic
def ami_table_save(*, year: int, incomes: Mapping[int, int]) -> list[AreaMedianIncome]:
    """Replace a year's AMI table. Sizes 1–8 are required; every income must be a positive whole number."""
    low, high = AMI_YEAR_RANGE
    if not isinstance(year, int) or not low <= year <= high:
        raise ValidationError(_("Enter a year from %(low)s to %(high)s.") % {"low": low, "high": high})
    errors: dict[str, ValidationError] = {}
    for size, income in incomes.items():
        if not isinstance(size, int) or not 1 <= size <= 20:
            raise ValidationError(_("Household sizes run from 1 to 20."))
        if not isinstance(income, int) or isinstance(income, bool) or not 0 < income <= 10_000_000:
            errors[f"size_{size}"] = ValidationError(_("Enter a yearly income above $0, in whole dollars."))
    for size in AMI_SIZES_REQUIRED:
        if incomes.get(size) is None and f"size_{size}" not in errors:
            errors[f"size_{size}"] = ValidationError(
                _("Enter the figure for every household size from 1 to 8.")
            )
    if errors:
        raise ValidationError(errors)
    AreaMedianIncome.objects.filter(year=year).delete()
    return AreaMedianIncome.objects.bulk_create(
        [AreaMedianIncome(year=year, household_size=s, income=i) for s, i in sorted(incomes.items())]
    )


@transaction.atomic
def ami_year_copy(*, year: int) -> list[AreaMedianIncome]:
    """Start a year's AMI table from the most recent earlier year (to be edited when HUD publishes)."""
    low, high = AMI_YEAR_RANGE
    if not isinstance(year, int) or not low <= year <= high:
        raise ValidationError(_("Enter a year from %(low)s to %(high)s.") % {"low": low, "high": high})
    if AreaMedianIncome.objects.filter(year=year).exists():
        raise ValidationError(_("There is already a table for %(year)s.") % {"year": year})
    source_year, table = ami_table(year)
    if source_year is None:
        raise ValidationError(
            _("There is no earlier table to copy: enter the %(year)s figures below.") % {"year": year}
        )
    return AreaMedianIncome.objects.bulk_create(
        [AreaMedianIncome(year=year, household_size=s, income=i) for s, i in sorted(table.items())]
    )
