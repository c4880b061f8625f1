"""What a unit is measured on, read in grouped queries: the catalog in force, the online payments by
procedure, the complaints and the feedback (PAKN) per unit."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone

from motcua.catalog.models import Case, Component, FeeLine, OnlineLevel, ProcedureVersion
from motcua.org.models import Agency

from .. import selectors
from ..models import Fact
from .feedback import feedback_measures_by_unit
from .spec import RECEIVED

# ---------------------------------------------------------------- what a unit is measured on


@dataclass
class CatalogFacts:
    procedures: set = field(default_factory=set)
    with_fees: set = field(default_factory=set)
    payable_online: set = field(default_factory=set)
    national_data: set = field(default_factory=set)


def _catalog(day: date) -> dict:
    """{(agency kind, level): CatalogFacts} of the procedures in force on `day` (newest version each),
    and the same facts of every such procedure by id under the key "by_procedure"."""
    versions = {}
    for pk, procedure, number in ProcedureVersion.objects.in_force(day).values_list("pk", "procedure_id", "number"):
        if number > versions.get(procedure, (0, 0))[1]:
            versions[procedure] = (pk, number)
    version_ids = [pk for pk, _ in versions.values()]
    cases = list(Case.objects.filter(version_id__in=version_ids).values_list(
        "pk", "version__procedure_id", "version__procedure__agency_kind", "version__procedure__level", "online_level"))
    case_ids = [c[0] for c in cases]
    fees = defaultdict(list)
    for case_id, amount, online_amount, mode in FeeLine.objects.filter(case_id__in=case_ids).values_list(
            "case_id", "amount", "online_amount", "mode"):
        fees[case_id].append((amount, online_amount, mode))
    national = set(Component.objects.filter(case_id__in=case_ids, national_data=True).values_list("case_id", flat=True))
    by_kind: dict = defaultdict(CatalogFacts)
    every = CatalogFacts()
    for case_id, procedure, kind, level, online_level in cases:
        for target in (by_kind[(kind, level)], every):
            target.procedures.add(procedure)
            for amount, online_amount, mode in fees[case_id]:
                if amount > 0 and mode in (FeeLine.Mode.PREPAID, FeeLine.Mode.POSTPAID):
                    target.with_fees.add(procedure)
                online = online_amount if online_amount is not None else amount
                if online_level != OnlineLevel.NONE and mode == FeeLine.Mode.PREPAID and online > 0:
                    target.payable_online.add(procedure)
            if case_id in national:
                target.national_data.add(procedure)
    for facts_ in list(by_kind.values()) + [every]:
        facts_.payable_online &= facts_.with_fees
    return {"by_kind": by_kind, "every": every}


def _unit_catalog(catalog: dict, agency: Agency | None, received_procedures: set) -> CatalogFacts:
    """The unit's procedures: those its kind and level handle in the catalog, and those it received
    dossiers of in the period (a unit may receive another kind's procedure by delegation)."""
    every = catalog["every"]
    own = catalog["by_kind"].get((agency.kind, agency.area.level), CatalogFacts()) if agency else CatalogFacts()
    procedures = own.procedures | (received_procedures & every.procedures)
    return CatalogFacts(
        procedures=procedures,
        with_fees=every.with_fees & procedures,
        payable_online=every.payable_online & procedures,
        national_data=every.national_data & procedures,
    )


def _by_procedure(start: date, end: date, scope) -> dict:
    """{agency id: ({procedures received in the period}, {procedures with an online payment})}: one query."""
    rows, signed_sum = selectors.blocks(start, end)
    qs = Fact.objects.filter(rows, measure__in=RECEIVED + ("c_paid_online",))
    # As in selectors.totals: a long unit list is filtered here, not in SQL (PostgreSQL misplans it).
    keep = None if scope is None else set(scope)
    if keep is not None and len(keep) <= 20:
        qs = qs.filter(agency_id__in=list(keep))
    rows = qs.values("agency_id", "procedure_id", "measure").annotate(v=signed_sum).filter(v__gt=0)
    out: dict = defaultdict(lambda: (set(), set()))
    for row in rows:
        if keep is not None and row["agency_id"] not in keep:
            continue
        received, paid = out[row["agency_id"]]
        (paid if row["measure"] == "c_paid_online" else received).add(row["procedure_id"])
    return out


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _complaints(start: date, end: date, scope) -> Counter:
    """Per unit: dossiers with feedback (PAKN) sent in the period, leaving out those whose dissatisfied
    rating of the same period is already counted from the facts. One query."""
    from motcua.feedback.models import Feedback, Rating

    low, high = _moment(start), _moment(end + timedelta(days=1))
    qs = Feedback.objects.filter(dossier__isnull=False, created_at__gte=low, created_at__lt=high)
    if scope is not None:
        qs = qs.filter(dossier__competent_agency_id__in=list(scope))
    qs = qs.exclude(dossier__rating__level=Rating.Level.DISSATISFIED, dossier__rating__at__gte=low,
                    dossier__rating__at__lt=high)
    rows = qs.values("dossier__competent_agency_id").annotate(n=Count("dossier_id", distinct=True))
    return Counter({r["dossier__competent_agency_id"]: r["n"] for r in rows})


def _pakn(start: date, end: date, scope) -> dict:
    """Per unit (the unit feedback is about): (received, handled on time or still within the limit,
    dissatisfied with the answer, re-raised or late), for the PAKN sent in the period, as of the end of the
    period or now if earlier: the 766 feedback measures (index766.feedback), grouped by unit."""
    return {
        agency_id: (m["received"], m["answered_on_time"] + m["open_within"], m["troubled"])
        for agency_id, m in feedback_measures_by_unit(start, end, scope).items()
    }
