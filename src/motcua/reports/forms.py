"""Report forms: the period and grouping of the statistics, the query behind a figure, online-share targets.

Dates are typed dd/mm/yyyy; a month, quarter or year can be chosen instead. Every refusal is a Vietnamese
sentence saying what to fix.
"""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field, Procedure
from motcua.feedback.models import Rating
from motcua.org.models import Agency
from motcua.org.roles import Role
from motcua.org.selectors import agencies_with_role, roles_at

from . import selectors

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
DATE_FORMATS = ["%d/%m/%Y"]
GROUP_CHOICES = [("agency", _("Đơn vị")), ("field", _("Lĩnh vực")), ("procedure", _("Thủ tục"))]
TARGET_ROLES = (Role.UNIT_ADMIN, Role.SUPERVISOR)

# Measures a dossier list can be asked for (?measures=…): the counted flows and the 766 cohort attributes
# of reports/facts.py. Stocks are asked for by their figure; processing_minutes is a sum, not a count.
LISTABLE_MEASURES = frozenset(
    ["received_1", "received_2", "received_3", "submitted_online", "finished_early", "finished_on_time",
     "finished_late", "returned", "refused", "withdrawn", "stopped", "apologised", "supplement_requests",
     "c_synced", "c_fee", "c_paid_online", "c_full_eligible", "c_full_online", "c_e_result", "c_digitised",
     "c_reused", "c_store", "c_population"]
    + [f"rated_{level}" for level in Rating.Level.values]
)


def _date_field(label):
    return forms.DateField(
        label=label, required=False, input_formats=DATE_FORMATS,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10}),
        error_messages={"invalid": _("Ngày không hợp lệ: hãy nhập một ngày có thật theo dạng dd/mm/yyyy, ví dụ 01/11/2026.")},
    )


def month_end(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1) - timedelta(days=1)


def current_month(today: date | None = None) -> tuple[date, date]:
    """The default period: from the first of this month to today."""
    today = today or timezone.localdate()
    return today.replace(day=1), today


def scope_agencies(user):
    """The units `user` may report on (every unit for a superuser), by name."""
    scope = selectors.scope_ids(user)
    qs = Agency.objects.all() if scope is None else Agency.objects.filter(pk__in=scope)
    return qs.order_by("name")


class PeriodMixin:
    """Cleans "from"/"to" (dd/mm/yyyy), or a year with an optional month or quarter, into self.start/self.end."""

    def _add_period_fields(self):
        self.fields["from"] = _date_field(_("Từ ngày"))
        self.fields["to"] = _date_field(_("Đến ngày"))

    def clean_period(self, data):
        year, month, quarter = data.get("year"), data.get("month"), data.get("quarter")
        start, end = data.get("from"), data.get("to")
        if month and quarter:
            raise forms.ValidationError(_("Chọn tháng hoặc quý, không chọn cả hai."))
        if (month or quarter) and not year:
            raise forms.ValidationError(_("Hãy chọn năm của tháng hoặc quý."))
        if year:
            if month:
                start = date(year, month, 1)
                end = month_end(start)
            elif quarter:
                start = date(year, 3 * quarter - 2, 1)
                end = month_end(date(year, 3 * quarter, 1))
            else:
                start, end = date(year, 1, 1), date(year, 12, 31)
        elif start is None and end is None:
            start, end = current_month()
        elif start is None or end is None:
            raise forms.ValidationError(_("Hãy nhập cả ngày bắt đầu và ngày kết thúc kỳ báo cáo (dd/mm/yyyy)."))
        if end < start:
            raise forms.ValidationError(_("Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu."))
        if start < FIRST_DAY or end > LAST_DAY:
            raise forms.ValidationError(_("Kỳ báo cáo phải nằm trong khoảng 01/01/2000 – 31/12/2099."))
        self.start, self.end = start, end


class StatisticsForm(PeriodMixin, forms.Form):
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2099,
                              error_messages={"invalid": _("Năm phải là một số, ví dụ 2026."),
                                              "min_value": _("Năm phải từ 2000 đến 2099."),
                                              "max_value": _("Năm phải từ 2000 đến 2099.")})
    month = forms.TypedChoiceField(label=_("Tháng"), required=False, coerce=int, empty_value=None,
                                   choices=[("", "—")] + [(m, f"{m:02d}") for m in range(1, 13)],
                                   error_messages={"invalid_choice": _("Tháng phải từ 1 đến 12.")})
    quarter = forms.TypedChoiceField(label=_("Quý"), required=False, coerce=int, empty_value=None,
                                     choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
                                     error_messages={"invalid_choice": _("Quý phải từ 1 đến 4.")})
    group = forms.ChoiceField(label=_("Tổng hợp theo"), required=False, choices=GROUP_CHOICES,
                              error_messages={"invalid_choice": _("Chỉ tổng hợp được theo đơn vị, lĩnh vực hoặc thủ tục.")})
    agency = forms.TypedChoiceField(label=_("Đơn vị"), required=False, coerce=int, empty_value=None,
                                    error_messages={"invalid_choice": _("Đơn vị đã chọn không có hoặc nằm ngoài phạm vi của bạn.")})
    field = forms.TypedChoiceField(label=_("Lĩnh vực"), required=False, coerce=int, empty_value=None,
                                   error_messages={"invalid_choice": _("Lĩnh vực đã chọn không có.")})

    def __init__(self, data, *, user):
        super().__init__(data)
        self._add_period_fields()
        self.order_fields(["from", "to", "month", "quarter", "year", "group", "agency", "field"])
        self.fields["agency"].choices = [("", _("Tất cả đơn vị trong phạm vi"))] + [
            (a.pk, a.name) for a in scope_agencies(user).only("pk", "name")
        ]
        self.fields["field"].choices = [("", _("Tất cả lĩnh vực"))] + list(Field.objects.values_list("pk", "name"))

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.clean_period(data)
        data["group"] = data.get("group") or "agency"
        return data


class DossiersForm(PeriodMixin, forms.Form):
    """The query behind a figure: ?figure=…&from=dd/mm/yyyy&to=dd/mm/yyyy[&agency=&procedure=&field=][&measures=a,b]."""

    figure = forms.CharField(required=False)
    measures = forms.CharField(required=False)
    agency = forms.IntegerField(required=False, error_messages={"invalid": _("Mã đơn vị không hợp lệ.")})
    procedure = forms.IntegerField(required=False, error_messages={"invalid": _("Mã thủ tục không hợp lệ.")})
    field = forms.IntegerField(required=False, error_messages={"invalid": _("Mã lĩnh vực không hợp lệ.")})

    def __init__(self, data, *, user):
        super().__init__(data)
        self.user = user
        self._add_period_fields()

    def clean_figure(self):
        figure = self.cleaned_data["figure"].strip()
        if figure and figure not in selectors.DRILLABLE:
            raise forms.ValidationError(_("Không có danh sách hồ sơ cho chỉ tiêu “%(figure)s”.") % {"figure": figure[:40]})
        return figure

    def clean_measures(self):
        names = [m.strip() for m in self.cleaned_data["measures"].split(",") if m.strip()]
        unknown = [m for m in names if m not in LISTABLE_MEASURES]
        if unknown:
            raise forms.ValidationError(
                _("Không có số liệu tên “%(name)s”.") % {"name": ", ".join(unknown)[:80]})
        return tuple(dict.fromkeys(names))

    def clean_agency(self):
        pk = self.cleaned_data["agency"]
        if pk is None:
            return None
        scope = selectors.scope_ids(self.user)
        if (scope is not None and pk not in scope) or not Agency.objects.filter(pk=pk).exists():
            raise forms.ValidationError(_("Đơn vị đã chọn không có hoặc nằm ngoài phạm vi của bạn."))
        return pk

    def clean_procedure(self):
        pk = self.cleaned_data["procedure"]
        if pk is not None and not Procedure.objects.filter(pk=pk).exists():
            raise forms.ValidationError(_("Thủ tục đã chọn không có."))
        return pk

    def clean_field(self):
        pk = self.cleaned_data["field"]
        if pk is not None and not Field.objects.filter(pk=pk).exists():
            raise forms.ValidationError(_("Lĩnh vực đã chọn không có."))
        return pk

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        figure, measures = data.get("figure"), data.get("measures")
        if not figure and not measures:
            raise forms.ValidationError(_("Hãy chọn chỉ tiêu cần xem danh sách hồ sơ."))
        if measures and figure and figure in selectors.STOCK_FIGURES:
            raise forms.ValidationError(
                _("Số liệu theo nhóm (measures) chỉ đi với chỉ tiêu phát sinh trong kỳ, không đi với “%(label)s”.")
                % {"label": selectors.FIGURE_LABELS[figure]})
        # 766 cohort measures are counted on the day a dossier is received.
        data["figure"] = figure or "received"
        self.clean_period(data)
        return data


# ---------------------------------------------------------------- online-share targets


def target_agencies(user):
    """Units whose online-share target `user` may set: every unit for a superuser, else the units (and
    those below) where the user is a unit admin or a supervisor."""
    if user.is_superuser:
        return Agency.objects.all()
    return agencies_with_role(user, TARGET_ROLES)


def may_set_target(user, agency: Agency) -> bool:
    return user.is_superuser or bool(roles_at(user, agency) & set(TARGET_ROLES))


class OnlineTargetForm(forms.Form):
    agency = forms.IntegerField(widget=forms.HiddenInput, error_messages={"invalid": _("Mã đơn vị không hợp lệ.")})
    percent = forms.IntegerField(
        label=_("Chỉ tiêu (%)"), min_value=0, max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "inputmode": "numeric", "size": 4}),
        error_messages={
            "required": _("Hãy nhập chỉ tiêu, từ 0 đến 100 (%)."),
            "invalid": _("Chỉ tiêu phải là một số nguyên từ 0 đến 100 (%)."),
            # These two are formatted with the limit as a parameter: "%%" shows as "%".
            "min_value": _("Chỉ tiêu phải từ 0 đến 100 (%%)."),
            "max_value": _("Chỉ tiêu phải từ 0 đến 100 (%%)."),
        },
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user

    def clean_agency(self):
        agency = Agency.objects.filter(pk=self.cleaned_data["agency"]).first()
        if agency is None or not may_set_target(self.user, agency):
            raise forms.ValidationError(_("Bạn không có quyền đặt chỉ tiêu cho đơn vị này."))
        return agency

    def save(self):
        from .models import OnlineTarget

        target, _created = OnlineTarget.objects.update_or_create(
            agency=self.cleaned_data["agency"],
            defaults={"percent": self.cleaned_data["percent"], "set_by": self.user},
        )
        return target
