"""Report data: the fact table the statistics and the 766 index read, and what supervisors enter.

Only reports/facts.py writes Fact rows; the rest of reports reads them through selectors.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Agency


class Fact(models.Model):
    """A signed count of one measure for one unit, one procedure and one period.

    Flows (received, finished late, …) are +1 on the day they happen. Stocks (in progress and overdue,
    paused, …) are written as changes: +1 the day a dossier enters, −1 the day it leaves, so the stock at
    the end of a day is the sum of every change up to that day. Each change is written under the day, its month and its year, so
    any period is a few year, month and day blocks; and under its week (from Monday), for weekly charts.
    """

    class Grain(models.TextChoices):
        DAY = "d", _("ngày")
        WEEK = "w", _("tuần")
        MONTH = "m", _("tháng")
        YEAR = "y", _("năm")

    grain = models.CharField(max_length=1, choices=Grain.choices)
    period = models.DateField(help_text=_("ngày đầu của khối thời gian"))
    # No index of their own: every read filters by grain and period first (the key's index); single-column
    # indexes here only slowed the rebuild's writes.
    agency = models.ForeignKey(Agency, models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")
    procedure = models.ForeignKey(
        "catalog.Procedure", models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    measure = models.CharField(max_length=24)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp")
        verbose_name_plural = _("số liệu tổng hợp")
        constraints = [
            models.UniqueConstraint(fields=["grain", "period", "agency", "procedure", "measure"], name="fact_key"),
        ]

    def __str__(self):
        return f"{self.grain}:{self.period} {self.agency_id}/{self.procedure_id} {self.measure}={self.value}"


class OnlineTarget(models.Model):
    """The online-share target a unit is held to (default: 30 % for departments, 40 % for communes)."""

    agency = models.OneToOneField(Agency, models.CASCADE, related_name="online_target", verbose_name=_("đơn vị"))
    percent = models.PositiveSmallIntegerField(_("chỉ tiêu tỷ lệ trực tuyến (%)"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chỉ tiêu hồ sơ trực tuyến")
        verbose_name_plural = _("chỉ tiêu hồ sơ trực tuyến")

    def __str__(self):
        return f"{self.agency}: {self.percent} %"


class IndexInput(models.Model):
    """A 766 figure the system cannot know (e.g. procedures published on time), entered by a supervisor
    for one unit and one month. Append-only: a correction is a new row; the newest row counts and the
    older ones stay as the audit trail."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="+", verbose_name=_("đơn vị"))
    month = models.DateField(_("tháng"), help_text=_("ngày đầu tháng"))
    indicator = models.CharField(_("chỉ số"), max_length=10)
    numerator = models.PositiveIntegerField(_("tử số"))
    denominator = models.PositiveIntegerField(_("mẫu số"))
    note = models.CharField(_("ghi chú, căn cứ"), max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("người nhập"))
    entered_at = models.DateTimeField(_("nhập lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("số liệu chỉ số 766 nhập tay")
        verbose_name_plural = _("số liệu chỉ số 766 nhập tay")
        indexes = [models.Index(fields=["indicator", "month", "agency", "-entered_at"], name="index_input_latest")]

    def __str__(self):
        return f"{self.indicator} {self.agency_id} {self.month:%m/%Y}: {self.numerator}/{self.denominator}"


class EvaluationScore(models.Model):
    """A self-score or appraised score (điểm tự chấm / điểm thẩm định) of one of the 9 indices of the
    periodic evaluation (9 × 2 points), for one unit and year (quarter 0) or quarter. Append-only like
    IndexInput."""

    class Kind(models.TextChoices):
        SELF = "self", _("Điểm tự chấm")
        APPRAISED = "appraised", _("Điểm thẩm định")

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="+", verbose_name=_("đơn vị"))
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"), default=0, help_text=_("0: cả năm"))
    index = models.PositiveSmallIntegerField(_("chỉ số (1–9)"))
    kind = models.CharField(_("loại điểm"), max_length=10, choices=Kind.choices)
    score = models.DecimalField(_("điểm"), max_digits=3, decimal_places=2)
    note = models.CharField(_("ghi chú, căn cứ"), max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("người nhập"))
    entered_at = models.DateTimeField(_("nhập lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("điểm đánh giá định kỳ")
        verbose_name_plural = _("điểm đánh giá định kỳ")
        indexes = [models.Index(fields=["agency", "year", "quarter", "index", "kind", "-entered_at"], name="evaluation_latest")]

    def __str__(self):
        return f"{self.agency_id} {self.year}/Q{self.quarter} #{self.index} {self.kind}: {self.score}"


class ExportJob(models.Model):
    """An export (xlsx or PDF) made in the background: its progress and, when done, the file."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Lỗi")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("người yêu cầu"))
    kind = models.CharField(_("loại báo cáo"), max_length=30)
    params = models.JSONField(_("tham số"), default=dict)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    file = models.FileField(_("tệp"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("tên tệp"), max_length=200, blank=True)
    error = models.CharField(_("lỗi"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tệp xuất báo cáo")
        verbose_name_plural = _("tệp xuất báo cáo")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.state})"
