"""An online application before it is a dossier: the citizen's draft and the files uploaded into it.

A draft belongs to one citizen and one case; it keeps what the citizen typed (even when it does not yet
validate, so nothing typed is lost), the contact and notification choices, and the client-generated
submission key that makes the submission idempotent. Once submitted it points at the dossier it became.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Case, Component
from motcua.dossiers.models import Dossier, ReturnMethod
from motcua.org.models import Agency
from motcua.portal.models import CitizenAccount


def new_submission_key() -> str:
    return uuid.uuid4().hex


class ApplicationDraft(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã nộp")

    citizen = models.ForeignKey(CitizenAccount, models.CASCADE, related_name="drafts", verbose_name=_("công dân"))
    case = models.ForeignKey(Case, models.PROTECT, related_name="+", verbose_name=_("trường hợp"))
    # What the citizen typed, field by field (parent__child for nested groups), valid or not.
    data = models.JSONField(_("nội dung đang khai"), default=dict, blank=True)
    # The validated answers, nested like the schema, fixed at submission: the e-form of the dossier.
    answers = models.JSONField(_("tờ khai đã nộp"), default=dict, blank=True)
    receiving_agency = models.ForeignKey(
        Agency, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("nơi nộp hồ sơ")
    )
    phone = models.CharField(_("số điện thoại nhận thông báo"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử nhận thông báo"), blank=True)
    notify_sms = models.BooleanField(_("nhận tin SMS"), default=True)
    notify_email = models.BooleanField(_("nhận thư điện tử"), default=False)
    notify_zalo = models.BooleanField(_("nhận tin Zalo"), default=False)
    return_method = models.CharField(
        _("nhận kết quả"), max_length=20, choices=ReturnMethod.choices, default=ReturnMethod.ELECTRONIC
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    dossier = models.OneToOneField(
        Dossier, models.PROTECT, null=True, blank=True, related_name="application", verbose_name=_("hồ sơ")
    )
    submission_key = models.CharField(_("khóa nộp"), max_length=64, default=new_submission_key)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ nộp trực tuyến (bản nháp)")
        verbose_name_plural = _("hồ sơ nộp trực tuyến (bản nháp)")
        ordering = ["-updated_at"]
        constraints = [
            # One open draft per citizen and case: coming back resumes it.
            models.UniqueConstraint(
                fields=["citizen", "case"], condition=models.Q(status="draft"), name="one_open_draft_per_case"
            ),
        ]

    def __str__(self):
        return f"{self.citizen} · {self.case}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.DRAFT


class ResumableUpload(models.Model):
    """One file uploaded with tus 1.0 (or in one piece without JavaScript) into a draft.

    The bytes live in `path` (relative to MEDIA_ROOT, under tus/); the file's size on disk is the truth
    for the offset, `offset` is its copy after each write.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    draft = models.ForeignKey(ApplicationDraft, models.CASCADE, related_name="uploads", verbose_name=_("bản nháp"))
    component = models.ForeignKey(Component, models.CASCADE, related_name="+", verbose_name=_("thành phần hồ sơ"))
    filename = models.CharField(_("tên tệp"), max_length=200)
    length = models.PositiveBigIntegerField(_("dung lượng khai báo (byte)"))
    offset = models.PositiveBigIntegerField(_("đã nhận (byte)"), default=0)
    path = models.CharField(_("tệp lưu tạm"), max_length=255)
    content_type = models.CharField(_("kiểu nội dung"), max_length=50, blank=True)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("tệp tải lên")
        verbose_name_plural = _("tệp tải lên")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.filename

    @property
    def complete(self) -> bool:
        return bool(self.sha256) and self.offset == self.length
