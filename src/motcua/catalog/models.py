"""Thủ tục hành chính as versioned data. A dossier keeps the version (and case) it was received under."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.calendar.engine import TimeUnit
from motcua.org.models import Agency
from motcua.org.roles import Role


class TimeLimitUnit(models.TextChoices):
    WORKING_DAY = TimeUnit.WORKING_DAY.value, _("ngày làm việc")
    WORKING_HOUR = TimeUnit.WORKING_HOUR.value, _("giờ làm việc")
    CALENDAR_DAY = TimeUnit.CALENDAR_DAY.value, _("ngày")
    SAME_DAY = TimeUnit.SAME_DAY.value, _("trong ngày")
    NONE = TimeUnit.NONE.value, _("không quy định")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không cung cấp trực tuyến")


class Field(models.Model):
    """Lĩnh vực (e.g. Hộ tịch, Cư trú)."""

    code = models.CharField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Procedure(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        COMMUNE = "commune", _("Cấp xã")

    code = models.CharField(_("mã thủ tục"), max_length=30, unique=True, help_text=_("Mã trên CSDL quốc gia, ví dụ 1.001193"))
    name = models.CharField(_("tên thủ tục"), max_length=300)
    field = models.ForeignKey(Field, models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực"))
    level = models.CharField(_("cấp thực hiện"), max_length=20, choices=Level.choices)
    agency_kind = models.CharField(_("cơ quan có thẩm quyền"), max_length=30, choices=Agency.Kind.choices)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} · {self.name}"


class ProcedureVersionQuerySet(models.QuerySet):
    def in_force(self, day):
        return self.filter(effective_from__lte=day).filter(models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=day))


class ProcedureVersion(models.Model):
    """One published state of a procedure (from an announcing decision, quyết định công bố)."""

    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="versions", verbose_name=_("thủ tục"))
    number = models.PositiveIntegerField(_("phiên bản"))
    effective_from = models.DateField(_("áp dụng từ"))
    effective_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    decision = models.CharField(_("quyết định công bố"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-number"]
        constraints = [models.UniqueConstraint(fields=["procedure", "number"], name="unique_procedure_version")]

    def __str__(self):
        return f"{self.procedure.code} v{self.number}"


class Case(models.Model):
    """Trường hợp: a variant of a procedure with its own time limit, papers, fees and internal workflow."""

    version = models.ForeignKey(ProcedureVersion, models.CASCADE, related_name="cases", verbose_name=_("phiên bản"))
    code = models.CharField(_("mã trường hợp"), max_length=30)
    name = models.CharField(_("tên trường hợp"), max_length=300)
    time_limit_value = models.DecimalField(
        _("thời hạn"), max_digits=6, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    time_limit_unit = models.CharField(_("đơn vị thời hạn"), max_length=20, choices=TimeLimitUnit.choices)
    online_time_limit_value = models.DecimalField(
        _("thời hạn nộp trực tuyến"), max_digits=6, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    online_time_limit_unit = models.CharField(
        _("đơn vị thời hạn trực tuyến"), max_length=20, choices=TimeLimitUnit.choices, blank=True
    )
    same_day_cutoff = models.TimeField(_("giờ chốt trong ngày"), default="15:00")
    online_cutoff = models.TimeField(
        _("giờ chốt hồ sơ trực tuyến"),
        null=True,
        blank=True,
        help_text=_("Hồ sơ trực tuyến nhận sau giờ này hoặc ngày nghỉ được tính từ 08:00 ngày làm việc tiếp theo."),
    )
    online_level = models.CharField(_("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices)
    result_documents = models.JSONField(_("kết quả"), default=list, blank=True)
    eform_schema = models.JSONField(_("biểu mẫu điện tử"), default=dict, blank=True)

    class Meta:
        verbose_name = _("trường hợp")
        verbose_name_plural = _("trường hợp")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_case_code")]

    def __str__(self):
        return f"{self.version} · {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from .eform import schema_problems

        if self.eform_schema:
            problems = schema_problems(self.eform_schema)
            if problems:
                raise ValidationError({"eform_schema": problems})
        needs_value = self.time_limit_unit not in (TimeLimitUnit.SAME_DAY, TimeLimitUnit.NONE)
        if needs_value and not self.time_limit_value:
            raise ValidationError({"time_limit_value": _("Cần nhập thời hạn cho đơn vị thời hạn này.")})

    def time_limit(self, online: bool = False) -> tuple[str, Decimal | None]:
        if online and self.online_time_limit_unit:
            return self.online_time_limit_unit, self.online_time_limit_value
        return self.time_limit_unit, self.time_limit_value

    def time_limit_text(self, online: bool = False) -> str:
        unit, value = self.time_limit(online)
        label = TimeLimitUnit(unit).label
        if unit in (TimeLimitUnit.SAME_DAY, TimeLimitUnit.NONE):
            return str(label)
        return f"{value.normalize():f} {label}"


class Component(models.Model):
    """Thành phần hồ sơ."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="components", verbose_name=_("trường hợp"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tên giấy tờ"), max_length=400)
    description = models.TextField(_("giải thích"), blank=True)
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("bản sao chứng thực"), default=0)
    photocopies = models.PositiveSmallIntegerField(_("bản photo"), default=0)
    national_data = models.BooleanField(_("có thể khai thác từ CSDL quốc gia"), default=False)
    required = models.BooleanField(_("bắt buộc"), default=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["case", "order"]

    def __str__(self):
        return self.name


class FeeLine(models.Model):
    class Kind(models.TextChoices):
        FEE = "phi", _("Phí")
        CHARGE = "le_phi", _("Lệ phí")

    class Mode(models.TextChoices):
        PREPAID = "prepaid", _("Thu trước")
        POSTPAID = "postpaid", _("Thu sau")
        EXEMPT = "exempt", _("Miễn phí")
        NONE = "none", _("Không thu phí")

    case = models.ForeignKey(Case, models.CASCADE, related_name="fees", verbose_name=_("trường hợp"))
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("tên khoản thu"), max_length=300)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    online_amount = models.PositiveBigIntegerField(_("số tiền nộp trực tuyến (đồng)"), null=True, blank=True)
    mode = models.CharField(_("hình thức thu"), max_length=10, choices=Mode.choices)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self):
        return self.name

    def amount_for(self, online: bool) -> int:
        return self.online_amount if online and self.online_amount is not None else self.amount


class WorkflowStep(models.Model):
    """Một bước của quy trình nội bộ: người chịu trách nhiệm và thời gian (giờ làm việc)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="steps", verbose_name=_("trường hợp"))
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=200)
    role = models.CharField(_("vai trò thực hiện"), max_length=30, choices=Role.choices)
    budget_hours = models.DecimalField(
        _("thời gian (giờ làm việc)"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quy trình nội bộ")
        ordering = ["case", "order"]
        constraints = [models.UniqueConstraint(fields=["case", "order"], name="unique_step_order")]

    def __str__(self):
        return f"{self.order}. {self.name}"
