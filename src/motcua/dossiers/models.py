"""The dossier (hồ sơ). Only dossiers/services.py writes state; everything here is data."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Case, Component, FeeLine, ProcedureVersion
from motcua.org.models import AdministrativeUnit, Agency
from motcua.workflow.events import ActionKey, AppendOnlyEvent, moment


class State(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Mới đăng ký, chờ tiếp nhận")
    AWAITING_COMPLETION = "awaiting_completion", _("Chờ hoàn thiện trước khi tiếp nhận")
    REFUSED = "refused", _("Không được tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Chờ bổ sung hồ sơ")
    AWAITING_VERIFICATION = "awaiting_verification", _("Chờ cơ quan khác xác minh")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    RESULT_READY = "result_ready", _("Đã có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")


class Channel(models.IntegerChoices):
    DIRECT = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POSTAL = 3, _("Qua bưu chính công ích")


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", _("Tại bộ phận một cửa")
    POST = "post", _("Qua bưu chính")
    ELECTRONIC = "electronic", _("Bản điện tử")


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=60, unique=True)
    channel = models.PositiveSmallIntegerField(_("kênh nộp"), choices=Channel.choices)
    state = models.CharField(_("trạng thái"), max_length=30, choices=State.choices, default=State.DRAFT)
    national_status = models.PositiveSmallIntegerField(_("mã trạng thái DVCQG"), null=True, blank=True)
    procedure_version = models.ForeignKey(ProcedureVersion, models.PROTECT, related_name="+", verbose_name=_("thủ tục"))
    case = models.ForeignKey(Case, models.PROTECT, related_name="dossiers", verbose_name=_("trường hợp"))

    applicant_kind = models.CharField(_("loại người nộp"), max_length=20, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("chủ hồ sơ"), max_length=200)
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True, db_index=True)
    old_id_number = models.CharField(_("số CMND cũ"), max_length=9, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    representative_name = models.CharField(_("người đại diện, người nộp thay"), max_length=200, blank=True)
    representative_id = models.CharField(_("số định danh người nộp thay"), max_length=12, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    address_unit = models.ForeignKey(
        AdministrativeUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("xã, phường")
    )
    summary = models.CharField(_("trích yếu"), max_length=1000, blank=True)
    identity_verified = models.BooleanField(_("đã xác thực định danh điện tử"), default=False)
    population_verified = models.BooleanField(
        _("đã đối chiếu dữ liệu dân cư"),
        default=False,
        help_text=_("Sai khi cán bộ nhập tay vì không tra cứu được Cơ sở dữ liệu quốc gia về dân cư."),
    )
    return_method = models.CharField(
        _("đăng ký nhận kết quả"), max_length=20, choices=ReturnMethod.choices, default=ReturnMethod.COUNTER
    )
    # The applicant's choice of how to be told (ThongBaoSMS / ThongBaoEmail / ThongBaoZalo).
    notify_sms = models.BooleanField(_("nhận tin SMS"), default=True)
    notify_email = models.BooleanField(_("nhận thư điện tử"), default=True)
    notify_zalo = models.BooleanField(_("nhận tin Zalo"), default=False)

    support_agency = models.ForeignKey(
        Agency, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("nơi hỗ trợ")
    )
    receiving_agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name=_("đơn vị tiếp nhận"))
    competent_agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="+", verbose_name=_("cơ quan có thẩm quyền giải quyết")
    )

    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả"), null=True, blank=True)
    finished_at = models.DateTimeField(_("có kết quả lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    apologised_at = models.DateTimeField(_("xin lỗi lúc"), null=True, blank=True)
    rescheduled_due_at = models.DateTimeField(_("hẹn lại"), null=True, blank=True)
    current_step = models.PositiveSmallIntegerField(_("bước hiện tại"), default=0)
    post_tracking_number = models.CharField(_("số vận đơn bưu chính"), max_length=40, blank=True)
    # Synchronisation with the national portal (TrangThaiDongBoDVC): written by integrations/dvcqg.py.
    sync_state = models.CharField(
        _("đồng bộ DVCQG"), max_length=12, default="not_synced",
        choices=[("not_synced", _("Chưa đồng bộ")), ("synced", _("Đã đồng bộ")), ("failed", _("Lỗi đồng bộ"))],
    )
    sync_error = models.CharField(_("lỗi đồng bộ gần nhất"), max_length=500, blank=True)
    synced_at = models.DateTimeField(_("đồng bộ lúc"), null=True, blank=True)
    last_event_seq = models.PositiveIntegerField(default=0, editable=False)
    # The hash of the newest event (dossiers/audit.py): a deleted last event no longer matches it.
    audit_head = models.CharField(max_length=64, default="0" * 64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người tạo")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-id"]
        indexes = [
            # The inboxes: a unit's dossiers in a state, by due time.
            models.Index(fields=["receiving_agency", "state", "due_at"], name="dossier_recv_inbox"),
            models.Index(fields=["competent_agency", "state", "due_at"], name="dossier_comp_inbox"),
            models.Index(fields=["state", "due_at"], name="dossier_state_due"),
            # Open dossiers in due order, the inboxes' sort: a page of the most urgent is read off it.
            models.Index(
                fields=["due_at", "id"], name="dossier_open_due",
                condition=models.Q(state__in=["submitted", "awaiting_completion", "received", "processing",
                                              "awaiting_supplement", "awaiting_verification", "awaiting_payment",
                                              "result_ready"]),
            ),
            models.Index(fields=["received_at"], name="dossier_received_at"),
        ]

    def __str__(self):
        return self.code


class DossierComponent(models.Model):
    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="components")
    component = models.ForeignKey(Component, models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("tên giấy tờ"), max_length=400)
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("bản sao chứng thực"), default=0)
    photocopies = models.PositiveSmallIntegerField(_("bản photo"), default=0)
    provided = models.BooleanField(_("đã nộp"), default=False)
    digitised = models.BooleanField(_("đã số hóa"), default=False)
    reused = models.BooleanField(_("tái sử dụng dữ liệu"), default=False)
    from_national_data = models.BooleanField(_("lấy từ CSDL quốc gia"), default=False)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self):
        return self.name


class DossierFee(models.Model):
    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="fees")
    fee_line = models.ForeignKey(FeeLine, models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(_("loại"), max_length=10, choices=FeeLine.Kind.choices)
    name = models.CharField(_("khoản thu"), max_length=300)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    mode = models.CharField(_("hình thức thu"), max_length=10, choices=FeeLine.Mode.choices)
    paid_at = models.DateTimeField(_("đã thu lúc"), null=True, blank=True)
    payment_channel = models.CharField(_("kênh thanh toán"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí của hồ sơ")
        verbose_name_plural = _("phí, lệ phí của hồ sơ")

    def __str__(self):
        return f"{self.name}: {self.amount:,} đồng".replace(",", ".")


class Pause(models.Model):
    """A period when the clock stops: supplement during processing, verification, financial obligation."""

    class Kind(models.TextChoices):
        SUPPLEMENT = "supplement", _("Bổ sung hồ sơ")
        VERIFICATION = "verification", _("Xác minh")
        PAYMENT = "payment", _("Nghĩa vụ tài chính")

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="pauses")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    started_at = models.DateTimeField(_("bắt đầu"))
    ended_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    request = models.JSONField(_("nội dung yêu cầu"), default=dict)
    answer = models.JSONField(_("nội dung đáp ứng"), default=dict, blank=True)
    agency = models.ForeignKey(
        Agency, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cơ quan được đề nghị")
    )
    answer_due_at = models.DateTimeField(_("hạn đáp ứng"), null=True, blank=True)

    class Meta:
        verbose_name = _("tạm dừng tính thời gian")
        verbose_name_plural = _("tạm dừng tính thời gian")
        ordering = ["dossier", "started_at"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.dossier_id}"


class StepRecord(models.Model):
    """One step of the internal workflow as it happened: the hand-overs of the control slip (form 05)."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("bước"))
    name = models.CharField(_("tên bước"), max_length=200)
    role = models.CharField(_("vai trò"), max_length=30, blank=True)
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    budget_hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    started_at = models.DateTimeField(_("nhận lúc"))
    due_at = models.DateTimeField(_("hạn bước"), null=True, blank=True)
    ended_at = models.DateTimeField(_("giao lúc"), null=True, blank=True)
    timing = models.CharField(_("kết quả"), max_length=10, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    # The person the previous handler passed the dossier to; empty: anyone with the step's role there.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người xử lý")
    )
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("phiếu kiểm soát quá trình")
        ordering = ["dossier", "order", "started_at"]
        indexes = [
            models.Index(fields=["ended_at", "due_at"], name="step_open_due"),
            # The personal inbox: open steps by who may take them.
            models.Index(fields=["agency", "role"], name="step_open_by_role", condition=models.Q(ended_at__isnull=True)),
            models.Index(fields=["assignee"], name="step_open_by_assignee", condition=models.Q(ended_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.order}. {self.name}"


class DossierEvent(AppendOnlyEvent):
    """Append-only history: who did what, when, from which state to which, why, with what data."""

    dossier = models.ForeignKey(Dossier, models.PROTECT, related_name="events")
    # The dossier's promised time right after this event: the reports replay events and need to know
    # when an open dossier became overdue without reading today's dossier row.
    due_at = models.DateTimeField(_("hẹn trả sau thao tác"), null=True, blank=True)

    history_name = "Nhật ký hồ sơ"
    subject_field = "dossier"

    def content(self) -> list:
        return super().content() + [moment(self.due_at)]

    class Meta:
        verbose_name = _("nhật ký hồ sơ")
        verbose_name_plural = _("nhật ký hồ sơ")
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="unique_event_seq")]


class AuditAnchor(models.Model):
    """A sealed block of dossier events (ids after_id+1 … upto_id): the digest of their hashes, chained to
    the previous anchor. Written only by dossiers/audit.py; its digests are logged to be kept elsewhere."""

    after_id = models.BigIntegerField()
    upto_id = models.BigIntegerField()
    digest = models.CharField(max_length=64)
    chain = models.CharField(max_length=64)
    next_upto_id = models.BigIntegerField(help_text="the last event id of the next block, chosen now, sealed next run")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("niêm phong nhật ký")
        verbose_name_plural = _("niêm phong nhật ký")

    def __str__(self):
        return f"{self.after_id + 1}–{self.upto_id}: {self.chain[:12]}"


class DailyCounter(models.Model):
    """The daily sequence of dossier codes per receiving agency (the XXXX of TT 01/2018 Art 19)."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="+")
    day = models.DateField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="unique_daily_counter")]

    def __str__(self):
        return f"{self.agency_id} {self.day}: {self.value}"


class IdempotencyRecord(ActionKey):
    """A write from outside that was already done: repeating the key returns the same dossier."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["actor_key", "key"], name="unique_idempotency_key")]


class ApologyDraft(models.Model):
    """Dự thảo văn bản xin lỗi (Mẫu 04) prepared by the watch; issuing it is the `apologise` action."""

    dossier = models.OneToOneField(Dossier, models.CASCADE, related_name="apology_draft", verbose_name=_("hồ sơ"))
    proposed_due_at = models.DateTimeField(_("ngày hẹn trả đề xuất"))
    text = models.TextField(_("nội dung dự thảo"))
    created_at = models.DateTimeField(_("lập lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("dự thảo xin lỗi")
        verbose_name_plural = _("dự thảo xin lỗi")

    def __str__(self):
        return f"{self.dossier.code} → {timezone.localtime(self.proposed_due_at):%d/%m/%Y}"
