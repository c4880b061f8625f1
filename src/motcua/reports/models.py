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
    agency = models.ForeignKey(Agency, models.DO_NOTHING, db_constraint=False, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", models.DO_NOTHING, db_constraint=False, related_name="+")
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
