"""A procedure as a citizen needs to read it: what to bring, how long (with a real date), what it costs,
where to go, whether it can be done online, and what you get.

The promised date is computed by the same function the dossier services use when a dossier is received
(`dossiers.deadlines.base_due`) on the calendar of a unit that receives this procedure, so the example
matches the receipt the citizen would be given.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.calendar.services import calendar_for_agency
from motcua.catalog.models import Case, Component, FeeLine, OnlineLevel, Procedure, TimeLimitUnit
from motcua.catalog.selectors import version_in_force
from motcua.dossiers import deadlines
from motcua.dossiers.models import Channel
from motcua.org.models import Agency

ONLINE_LEVELS_THAT_ACCEPT = (OnlineLevel.FULL, OnlineLevel.PARTIAL)


def money(amount: int) -> str:
    """20000 → '20.000 đồng'."""
    return f"{amount:,}".replace(",", ".") + " " + _("đồng")


@dataclass(frozen=True)
class Paper:
    name: str
    explanation: str
    copies: str  # "1 bản chính, 2 bản photo" or what to do instead
    optional: bool
    from_national_data: bool


@dataclass(frozen=True)
class Fee:
    name: str
    text: str  # plain words: amount and when it is paid, or that nothing is paid


@dataclass(frozen=True)
class Example:
    channel_label: str
    today: date
    due: datetime


@dataclass(frozen=True)
class CaseGuide:
    id: int
    name: str
    papers: list[Paper]
    time_text: str
    time_note: str
    online_time_text: str  # "" when online dossiers have the same limit
    examples: list[Example]
    fees: list[Fee]
    free: bool
    online_level: str
    online_level_label: str
    online_text: str
    can_apply_online: bool
    has_eform: bool
    results: list[str]


@dataclass(frozen=True)
class ProcedureGuide:
    procedure: Procedure
    version_number: int
    decision: str
    level_label: str
    where_to_apply: str
    who_decides: str
    cases: list[CaseGuide]
    calendar_unit: str  # whose calendar the examples use ("" for the national default)


def copies_text(c: Component) -> str:
    parts = []
    if c.originals:
        parts.append(_("%(n)s bản chính") % {"n": c.originals})
    if c.certified_copies:
        parts.append(_("%(n)s bản sao có chứng thực (hoặc bản sao kèm bản chính để đối chiếu)") % {"n": c.certified_copies})
    if c.photocopies:
        parts.append(_("%(n)s bản photo") % {"n": c.photocopies})
    if not parts:
        return _("Chỉ xuất trình để cán bộ xem, không phải nộp.")
    return ", ".join(parts)


def time_text(unit: str, value) -> str:
    if unit == TimeLimitUnit.NONE:
        return _("Không quy định thời hạn giải quyết.")
    if unit == TimeLimitUnit.SAME_DAY:
        return _("Trong ngày làm việc.")
    amount = f"{value.normalize():f}".replace(".", ",")
    if unit == TimeLimitUnit.WORKING_DAY:
        return _("%(n)s ngày làm việc (không tính thứ Bảy, Chủ nhật và ngày nghỉ lễ).") % {"n": amount}
    if unit == TimeLimitUnit.WORKING_HOUR:
        return _("%(n)s giờ làm việc.") % {"n": amount}
    return _("%(n)s ngày, tính cả thứ Bảy, Chủ nhật và ngày nghỉ lễ.") % {"n": amount}


def time_note(case: Case) -> str:
    notes = []
    if case.time_limit_unit == TimeLimitUnit.SAME_DAY:
        notes.append(
            _("Nộp trước %(cutoff)s thì nhận kết quả ngay trong ngày; nộp sau giờ đó thì nhận trong ngày làm việc tiếp theo.")
            % {"cutoff": case.same_day_cutoff.strftime("%H:%M")}
        )
    if case.online_cutoff:
        notes.append(
            _("Hồ sơ trực tuyến nộp sau %(cutoff)s hoặc vào ngày nghỉ được tính từ ngày làm việc tiếp theo.")
            % {"cutoff": case.online_cutoff.strftime("%H:%M")}
        )
    notes.append(_("Thời gian chờ bổ sung giấy tờ không tính vào thời hạn."))
    return " ".join(notes)


def fee_lines(fees: list[FeeLine]) -> tuple[list[Fee], bool]:
    rows = []
    for f in fees:
        online = f.amount_for(True)
        if f.mode in (FeeLine.Mode.EXEMPT, FeeLine.Mode.NONE) or (not f.amount and not online):
            text = _("Miễn phí, không phải nộp tiền.") if f.mode == FeeLine.Mode.EXEMPT else _("Không thu.")
        else:
            when = _("nộp khi nộp hồ sơ") if f.mode == FeeLine.Mode.PREPAID else _("nộp khi nhận kết quả")
            text = f"{money(f.amount)}, {when}."
            if online != f.amount:
                text += " " + (
                    _("Nộp trực tuyến: miễn.") if not online else _("Nộp trực tuyến: %(amount)s.") % {"amount": money(online)}
                )
        rows.append(Fee(f.name, text))
    free = all(not f.amount and not f.amount_for(True) for f in fees)
    return rows, free


def online_text(level: str) -> str:
    if level == OnlineLevel.FULL:
        return _(
            "Làm được hoàn toàn trên mạng: nộp hồ sơ, nộp phí và nhận kết quả trực tuyến hoặc qua bưu điện, "
            "không phải đến cơ quan."
        )
    if level == OnlineLevel.PARTIAL:
        return _(
            "Nộp hồ sơ trên mạng được, nhưng phải đến cơ quan ít nhất một lần (ví dụ để đối chiếu bản chính, "
            "ký sổ hoặc nhận kết quả)."
        )
    return _("Chưa nộp trực tuyến được: nộp trực tiếp tại bộ phận một cửa hoặc gửi qua bưu chính công ích.")


def where_to_apply(procedure: Procedure) -> str:
    if procedure.level == Procedure.Level.COMMUNE:
        return _(
            "Tại Trung tâm Phục vụ hành chính công của xã, phường bất kỳ trong tỉnh hoặc Trung tâm Phục vụ hành "
            "chính công tỉnh; gửi qua bưu chính công ích; hoặc trực tuyến nếu thủ tục cho phép."
        )
    return _(
        "Tại Trung tâm Phục vụ hành chính công tỉnh hoặc Trung tâm Phục vụ hành chính công của xã, phường bất kỳ "
        "trong tỉnh; gửi qua bưu chính công ích; hoặc trực tuyến nếu thủ tục cho phép."
    )


WHO_DECIDES = {
    Agency.Kind.PROVINCE_COMMITTEE: lambda: _("Ủy ban nhân dân tỉnh"),
    Agency.Kind.DEPARTMENT: lambda: _("Sở, ban, ngành của tỉnh phụ trách lĩnh vực"),
    Agency.Kind.DIVISION: lambda: _("Phòng chuyên môn của Ủy ban nhân dân xã, phường"),
    Agency.Kind.COMMUNE_COMMITTEE: lambda: _("Ủy ban nhân dân xã, phường"),
    Agency.Kind.VERTICAL_AGENCY: lambda: _("Cơ quan ngành dọc (như Công an) tại địa phương"),
    Agency.Kind.PROVINCIAL_CENTRE: lambda: _("Trung tâm Phục vụ hành chính công tỉnh"),
    Agency.Kind.COMMUNE_CENTRE: lambda: _("Trung tâm Phục vụ hành chính công xã, phường"),
}


def example_unit(procedure: Procedure) -> Agency | None:
    """A unit that receives this procedure today, whose office hours and calendar the example uses: a
    one-stop centre of the procedure's level, else a competent unit of its kind and level."""
    today = timezone.localdate()
    valid = Q(valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    centre = Agency.Kind.COMMUNE_CENTRE if procedure.level == Procedure.Level.COMMUNE else Agency.Kind.PROVINCIAL_CENTRE
    units = Agency.objects.filter(valid, area__level=procedure.level)
    return units.filter(kind=centre).order_by("path").first() or units.filter(kind=procedure.agency_kind).order_by("path").first()


def examples(case: Case, calendar, now: datetime) -> list[Example]:
    """'If you apply now, expected on …' for the counter and, when its rules differ, online."""
    today = timezone.localdate(now)
    rows = []
    direct = deadlines.base_due(calendar, case, Channel.DIRECT, now)
    if direct is not None:
        rows.append(Example(_("tại bộ phận một cửa"), today, direct))
    if case.online_level in ONLINE_LEVELS_THAT_ACCEPT:
        online = deadlines.base_due(calendar, case, Channel.ONLINE, now)
        if online is not None and online != direct:
            rows.append(Example(_("trực tuyến"), today, online))
    return rows


def procedure_guide(code: str, now: datetime | None = None) -> ProcedureGuide | None:
    """The citizen's page for the procedure with this national code, or None when it has no version in force."""
    procedure = Procedure.objects.select_related("field").filter(code=code).first()
    if procedure is None:
        return None
    version = version_in_force(procedure)
    if version is None:
        return None
    now = now or timezone.now()
    unit = example_unit(procedure)
    calendar = calendar_for_agency(unit)
    cases = (
        version.cases.order_by("code")
        .prefetch_related(Prefetch("components", queryset=Component.objects.order_by("order")), "fees")
    )
    guides = []
    for case in cases:
        fees, free = fee_lines(list(case.fees.all()))
        online_unit = case.online_time_limit_unit
        guides.append(
            CaseGuide(
                id=case.pk,
                name=case.name,
                papers=[
                    Paper(c.name, c.description, copies_text(c), not c.required, c.national_data)
                    for c in case.components.all()
                ],
                time_text=time_text(case.time_limit_unit, case.time_limit_value),
                time_note=time_note(case),
                online_time_text=time_text(online_unit, case.online_time_limit_value) if online_unit else "",
                examples=examples(case, calendar, now),
                fees=fees,
                free=free,
                online_level=case.online_level,
                online_level_label=str(OnlineLevel(case.online_level).label),
                online_text=online_text(case.online_level),
                can_apply_online=case.online_level in ONLINE_LEVELS_THAT_ACCEPT,
                has_eform=bool(case.eform_schema),
                results=[str(r) for r in case.result_documents or []],
            )
        )
    return ProcedureGuide(
        procedure=procedure,
        version_number=version.number,
        decision=version.decision,
        level_label=str(Procedure.Level(procedure.level).label),
        where_to_apply=where_to_apply(procedure),
        who_decides=WHO_DECIDES.get(procedure.agency_kind, lambda: procedure.get_agency_kind_display())(),
        cases=guides,
        calendar_unit=unit.name if unit else "",
    )
