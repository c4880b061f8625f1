"""Ratings of a dossier's handling (đánh giá mức độ hài lòng, QĐ 766/QĐ-TTg group 5), feedback on procedures
and officers (phản ánh, kiến nghị, NĐ 20/2008/NĐ-CP), and the failed public look-ups that are rate-limited."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.workflow.events import ActionKey, AppendOnlyEvent


class Rating(models.Model):
    """The applicant's rating of one dossier, given once after the result was returned (766 group 5)."""

    class Level(models.TextChoices):
        VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
        SATISFIED = "satisfied", _("Hài lòng")
        DISSATISFIED = "dissatisfied", _("Không hài lòng")

    dossier = models.OneToOneField(
        "dossiers.Dossier", models.CASCADE, related_name="rating", verbose_name=_("hồ sơ")
    )
    level = models.CharField(_("mức độ hài lòng"), max_length=20, choices=Level.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    at = models.DateTimeField(_("đánh giá lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        ordering = ["-at"]
        indexes = [models.Index(fields=["at"], name="rating_at")]

    def __str__(self):
        return f"{self.dossier} · {self.get_level_display()}"


class Feedback(models.Model):
    """Phản ánh, kiến nghị (PAKN) from anyone, signed in or not, named or anonymous. The writer follows
    it by its code; the back office that answers it fills the answer fields (a later issue)."""

    class Kind(models.TextChoices):
        REGULATION = "regulation", _("Về quy định, thủ tục hành chính")
        OFFICER = "officer", _("Về hành vi, thái độ của cán bộ, công chức")
        OTHER = "other", _("Nội dung khác")

    class State(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận")
        ASSIGNED = "assigned", _("Đã giao xử lý")
        DRAFTED = "drafted", _("Đã dự thảo trả lời, chờ duyệt")
        APPROVED = "approved", _("Đã duyệt, chờ gửi trả lời")
        ANSWERED = "answered", _("Đã trả lời")
        CLOSED = "closed", _("Đã kết thúc")

    class Source(models.TextChoices):
        PORTAL = "portal", _("Cổng dịch vụ công")
        COUNTER = "counter", _("Trực tiếp tại bộ phận một cửa")
        PHONE = "phone", _("Qua điện thoại")
        API = "api", _("Từ Cổng DVCQG, hệ thống khác")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("Hài lòng với trả lời")
        DISSATISFIED = "dissatisfied", _("Không hài lòng với trả lời")

    code = models.CharField(_("mã phản ánh, kiến nghị"), max_length=20, unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("nội dung"))
    dossier_code = models.CharField(_("mã hồ sơ liên quan"), max_length=60, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", models.SET_NULL, null=True, blank=True, related_name="feedback",
        verbose_name=_("hồ sơ liên quan"),
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("thủ tục hành chính liên quan"),
    )
    agency = models.ForeignKey(
        "org.Agency", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("cơ quan, đơn vị")
    )
    contact_name = models.CharField(_("họ và tên người phản ánh"), max_length=200, blank=True)
    contact_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    contact_email = models.EmailField(_("thư điện tử"), blank=True)
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    state = models.CharField(_("trạng thái"), max_length=20, choices=State.choices, default=State.RECEIVED)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("người trả lời"),
    )
    answering_agency = models.ForeignKey(
        "org.Agency", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("cơ quan trả lời")
    )
    # Handling (written only by feedback/handling.py).
    source = models.CharField(_("nguồn tiếp nhận"), max_length=10, choices=Source.choices, default=Source.PORTAL)
    simple = models.BooleanField(_("vụ việc đơn giản"), default=False)
    due_at = models.DateTimeField(_("hạn trả lời"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("cán bộ được giao"),
    )
    draft = models.TextField(_("dự thảo trả lời"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("người duyệt"),
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("trả lời lần đầu lúc"), null=True, blank=True)
    first_answer_late = models.BooleanField(_("trả lời lần đầu quá hạn"), default=False)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    rating = models.CharField(_("đánh giá trả lời"), max_length=15, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("đánh giá lúc"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("phản ánh lại lúc"), null=True, blank=True)
    reopen_reason = models.TextField(_("lý do phản ánh lại"), blank=True)
    public = models.BooleanField(_("công khai hỏi đáp"), default=False)
    public_question = models.TextField(_("câu hỏi công khai (đã bỏ thông tin cá nhân)"), blank=True)
    public_answer = models.TextField(_("trả lời công khai (đã bỏ thông tin cá nhân)"), blank=True)
    last_event_seq = models.PositiveIntegerField(default=0, editable=False)
    # The hash of the newest event (workflow/events.py): a deleted or edited event no longer matches it.
    audit_head = models.CharField(max_length=64, default="0" * 64, editable=False)
    # The sender's key for this intake (the portal form's one-time token, the API's Idempotency-Key): a
    # repeated submission finds the item already made instead of making a second one.
    intake_key = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="feedback_state"),
            models.Index(fields=["agency", "state", "due_at"], name="feedback_unit_inbox"),
            models.Index(fields=["public", "first_answered_at"], name="feedback_public"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["intake_key"], condition=~models.Q(intake_key=""), name="feedback_intake_key"),
        ]

    def __str__(self):
        return self.code

    @property
    def anonymous(self) -> bool:
        return not (self.contact_name or self.contact_phone or self.contact_email)


class FeedbackEvent(AppendOnlyEvent):
    """Append-only history of one feedback item: who did what, when, from which state to which, why. Kept
    when anyone tries to delete the item (PROTECT), hash-chained like a dossier's."""

    feedback = models.ForeignKey(Feedback, models.PROTECT, related_name="events")

    history_name = "Nhật ký xử lý phản ánh"
    subject_field = "feedback"

    class Meta:
        verbose_name = _("nhật ký xử lý phản ánh")
        verbose_name_plural = _("nhật ký xử lý phản ánh")
        ordering = ["feedback", "seq"]
        constraints = [models.UniqueConstraint(fields=["feedback", "seq"], name="unique_feedback_event_seq")]


class FeedbackActionKey(ActionKey):
    """An officer's move already done: sending the same form again (a double click, a resent request after a
    dropped connection) returns the item as it is instead of moving it twice."""

    feedback = models.ForeignKey(Feedback, models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["actor_key", "key"], name="unique_feedback_action_key")]


class AnswerTemplate(models.Model):
    """A plain-language answer to start from, per kind of feedback. {ma}, {ho_ten} and {noi_dung} are
    filled in with the item's code, the sender's name and a short quote of what they wrote."""

    kind = models.CharField(_("loại phản ánh"), max_length=20, choices=Feedback.Kind.choices)
    name = models.CharField(_("tên mẫu"), max_length=200)
    body = models.TextField(_("nội dung mẫu"))
    enabled = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("mẫu trả lời phản ánh")
        verbose_name_plural = _("mẫu trả lời phản ánh")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class HandlingDeadline(models.Model):
    """Working days to answer feedback, set for a province (or any unit: the nearest one above an item's
    unit wins). Without a setting: 10 working days, 5 for simple cases."""

    agency = models.OneToOneField("org.Agency", models.CASCADE, related_name="+", verbose_name=_("đơn vị"))
    working_days = models.PositiveSmallIntegerField(_("số ngày làm việc"), default=10)
    simple_working_days = models.PositiveSmallIntegerField(_("số ngày làm việc (vụ việc đơn giản)"), default=5)

    class Meta:
        verbose_name = _("thời hạn trả lời phản ánh")
        verbose_name_plural = _("thời hạn trả lời phản ánh")

    def __str__(self):
        return f"{self.agency}: {self.working_days}/{self.simple_working_days}"


def attachment_path(instance, filename: str) -> str:
    # The name is ours (services.py makes it), never the sender's.
    return f"feedback/{instance.feedback_id}/{filename}"


class FeedbackAttachment(models.Model):
    """A file sent with feedback (a photo, a scanned letter): PDF, JPEG or PNG, checked by content."""

    feedback = models.ForeignKey(Feedback, models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=200)
    content_type = models.CharField(_("kiểu nội dung"), max_length=50)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("tệp kèm phản ánh")
        verbose_name_plural = _("tệp kèm phản ánh")

    def __str__(self):
        return self.original_name


class FailedLookup(models.Model):
    """One failed public look-up (a tracking code with the wrong phone or ID, an unknown feedback code)
    from one address. Counted in the database, so the limit holds across server processes."""

    scope = models.CharField(max_length=20)
    client = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tra cứu không thành công")
        verbose_name_plural = _("tra cứu không thành công")
        indexes = [models.Index(fields=["scope", "client", "at"], name="failed_lookup_window")]

    def __str__(self):
        return f"{self.scope} {self.client} {self.at:%Y-%m-%d %H:%M}"
