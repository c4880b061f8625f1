import hashlib
import re
import secrets
from datetime import date

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.calendar.engine import OfficeHours

from .roles import Role


class AdministrativeUnit(models.Model):
    """Đơn vị hành chính: a province (tỉnh/thành phố) or a commune (xã/phường/đặc khu), post-1/7/2025."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        COMMUNE = "commune", _("Xã, phường, đặc khu")

    code = models.CharField(_("mã"), max_length=10, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    division_type = models.CharField(_("loại"), max_length=40)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("thuộc tỉnh")
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self):
        return self.name


IDENTIFIER_CODE_RE = re.compile(r"^[A-Z0-9]{1,5}(\.[A-Z0-9]{1,5}){1,4}$")


class Agency(models.Model):
    """Cơ quan, đơn vị: a node in the tree of agencies under a province or commune.

    The electronic identifier code (mã định danh điện tử, TT 10/2016/TT-BTTTT) starts every dossier
    code the agency issues. Agencies end (valid_to) and are succeeded (succeeded_by) after mergers.
    """

    class Kind(models.TextChoices):
        PROVINCE_COMMITTEE = "province_committee", _("UBND tỉnh")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        DIVISION = "division", _("Phòng chuyên môn")
        PROVINCIAL_CENTRE = "provincial_centre", _("Trung tâm Phục vụ hành chính công tỉnh")
        COMMUNE_COMMITTEE = "commune_committee", _("UBND xã, phường")
        COMMUNE_CENTRE = "commune_centre", _("Trung tâm Phục vụ hành chính công xã")
        VERTICAL_AGENCY = "vertical_agency", _("Cơ quan ngành dọc")
        POSTAL = "postal", _("Bưu chính công ích")

    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("cơ quan cấp trên")
    )
    area = models.ForeignKey(
        AdministrativeUnit, models.PROTECT, related_name="agencies", verbose_name=_("địa bàn")
    )
    identifier_code = models.CharField(
        _("mã định danh điện tử"),
        max_length=40,
        unique=True,
        help_text=_("Theo TT 10/2016/TT-BTTTT, ví dụ 000.00.06.H56; dùng làm phần đầu mã hồ sơ."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), default=date(2025, 7, 1))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    succeeded_by = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("được kế thừa bởi"),
    )
    email = models.EmailField(_("thư điện tử nhận văn bản"), blank=True)
    office_hours = models.CharField(
        _("giờ làm việc"),
        max_length=60,
        default=str(OfficeHours()),
        help_text=_("Các khung giờ làm việc trong ngày, ví dụ 07:00-11:30,13:30-17:00."),
    )
    # Materialised path "/1/5/9/" so "this agency and everything under it" is one indexed prefix query.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        new_path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if new_path != self.path:
            old_path, self.path = self.path, new_path
            Agency.objects.filter(pk=self.pk).update(path=new_path)
            if old_path:
                for child in Agency.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.save()

    def clean(self):
        self.identifier_code = (self.identifier_code or "").strip().upper()
        if not IDENTIFIER_CODE_RE.match(self.identifier_code):
            raise ValidationError(
                {"identifier_code": _("Mã định danh phải gồm các nhóm chữ hoa/số cách nhau bởi dấu chấm, ví dụ 000.00.06.H56.")}
            )
        try:
            OfficeHours.parse(self.office_hours)
        except ValueError as exc:
            raise ValidationError({"office_hours": str(exc)}) from exc
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")})
        ancestor = self.parent
        while ancestor is not None:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("Cơ quan không thể nằm dưới chính nó.")})
            ancestor = ancestor.parent

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def descendants_and_self(self):
        return Agency.objects.filter(path__startswith=self.path)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class User(AbstractUser):
    """A staff member or a system account (used by API tokens). Citizens are not staff users."""

    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    position = models.CharField(_("chức danh"), max_length=100, blank=True)
    is_system = models.BooleanField(
        _("tài khoản hệ thống"), default=False, help_text=_("Dùng cho kết nối giữa các hệ thống qua API.")
    )

    class Meta:
        verbose_name = _("cán bộ, người dùng")
        verbose_name_plural = _("cán bộ, người dùng")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        # Vietnamese order: family name first (Nguyễn Văn An).
        return f"{self.last_name} {self.first_name}".strip()


class RoleAssignment(models.Model):
    """Vai trò của cán bộ tại một đơn vị; áp dụng cho đơn vị đó và mọi đơn vị trực thuộc."""

    user = models.ForeignKey(User, models.CASCADE, related_name="role_assignments", verbose_name=_("cán bộ"))
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    agency = models.ForeignKey(Agency, models.CASCADE, related_name="role_assignments", verbose_name=_("đơn vị"))
    granted_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người cấp")
    )
    granted_at = models.DateTimeField(_("thời điểm cấp"), default=timezone.now)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [models.UniqueConstraint(fields=["user", "role", "agency"], name="unique_role_assignment")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class ApiToken(models.Model):
    """A bearer token for another system. It acts as its user, with that user's role assignments."""

    name = models.CharField(_("tên kết nối"), max_length=100)
    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens", verbose_name=_("tài khoản"))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("tiền tố"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str, raw: str | None = None) -> tuple["ApiToken", str]:
        """Create a token; the raw key is returned once and only its hash is stored."""
        raw = raw or secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=cls.hash(raw), prefix=raw[:8])
        return token, raw


class AppendOnlyQuerySet(models.QuerySet):
    """Rows are added, never changed or removed through the ORM."""

    def update(self, **kwargs):
        raise TypeError("Nhật ký phân quyền chỉ được ghi thêm, không được sửa.")

    def delete(self):
        raise TypeError("Nhật ký phân quyền chỉ được ghi thêm, không được xóa.")


class RoleAudit(models.Model):
    """Nhật ký phân quyền: one row per grant or revocation, written by org.services in the same
    transaction as the change. Append-only; names are copied so a row still reads after a user or an
    agency is gone."""

    class Action(models.TextChoices):
        GRANTED = "granted", _("Cấp quyền")
        REVOKED = "revoked", _("Thu hồi quyền")

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, editable=False)
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices, editable=False)
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices, editable=False)
    user = models.ForeignKey(
        User, models.SET_NULL, null=True, related_name="+", verbose_name=_("cán bộ được phân quyền"), editable=False
    )
    user_label = models.CharField(_("tên cán bộ"), max_length=300, editable=False)
    agency = models.ForeignKey(
        Agency, models.SET_NULL, null=True, related_name="role_audit", verbose_name=_("đơn vị"), editable=False
    )
    agency_label = models.CharField(_("tên đơn vị"), max_length=200, editable=False)
    actor = models.ForeignKey(
        User, models.SET_NULL, null=True, related_name="+", verbose_name=_("người thực hiện"), editable=False
    )
    actor_label = models.CharField(_("tên người thực hiện"), max_length=300, blank=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký phân quyền")
        verbose_name_plural = _("nhật ký phân quyền")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["agency", "at"], name="role_audit_agency_at")]

    def __str__(self):
        return f"{timezone.localtime(self.at):%d/%m/%Y %H:%M} · {self.get_action_display()} · {self.get_role_display()} · {self.user_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Nhật ký phân quyền chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Nhật ký phân quyền chỉ được ghi thêm, không được xóa.")


class TotpDevice(models.Model):
    """Xác thực hai bước: the shared secret of a staff member's authenticator app (RFC 6238, 6 digits,
    30 s). Unconfirmed until the first correct code; only a confirmed device is asked for at sign-in."""

    user = models.OneToOneField(User, models.CASCADE, related_name="totp_device", verbose_name=_("cán bộ"))
    secret = models.CharField(_("khóa bí mật"), max_length=64)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("kích hoạt lúc"), null=True, blank=True)
    # The 30-second time step of the last accepted code: a code is accepted once only.
    last_used_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("thiết bị xác thực hai bước")
        verbose_name_plural = _("thiết bị xác thực hai bước")

    def __str__(self):
        return f"{self.user} ({_('đã kích hoạt') if self.confirmed_at else _('chưa kích hoạt')})"
