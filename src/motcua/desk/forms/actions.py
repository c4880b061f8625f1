"""One form per action of the dossier page, and the upload of a scan or a result."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import ReturnMethod
from motcua.fields import forms as field_types

from .counter import ItemsMixin

# ---------------------------------------------------------------- one form per action of the dossier page


class ActionForm(forms.Form):
    """Base: `data_for_service()` gives perform() its data."""

    def __init__(self, *args, dossier=None, context=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.context = context or {}
        self.setup()

    def setup(self):
        pass

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


def _reason_field(label, required=True, message=None):
    return forms.CharField(
        label=label, required=required, max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": message or _("Cần ghi %(what)s.") % {"what": str(label).lower()}},
    )


class EmptyForm(ActionForm):
    pass


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000)


class ReasonForm(ActionForm):
    reason = _reason_field(_("Lý do"), message=_("Cần ghi lý do."))


class ItemsForm(ItemsMixin, ActionForm):
    def setup(self):
        d = self.dossier
        self.add_item_fields(list(d.components.all()), self.context.get("templates", []))

    def clean(self):
        data = super().clean()
        data["items"] = self.clean_items()
        return data

    def data_for_service(self):
        return {"items": self.cleaned_data["items"]}


class SupplementForm(ItemsForm):
    answer_days = forms.IntegerField(
        label=_("Thời hạn bổ sung (ngày làm việc)"), min_value=1, max_value=60, required=False, initial=7
    )

    def data_for_service(self):
        out = super().data_for_service()
        if self.cleaned_data.get("answer_days"):
            out["answer_days"] = self.cleaned_data["answer_days"]
        return out


class ForwardForm(ActionForm):
    assignee = forms.ChoiceField(label=_("Giao cho"), required=False)
    reason = forms.CharField(label=_("Ý kiến khi chuyển"), required=False, max_length=2000)

    def setup(self):
        people = self.context.get("next_people", [])
        self.fields["assignee"].choices = [("", _("— bất kỳ ai có vai trò của bước tiếp theo —"))] + [
            (str(u.pk), str(u)) for u in people
        ]


class VerificationForm(ActionForm):
    agency = forms.ChoiceField(
        label=_("Cơ quan được đề nghị xác minh"),
        error_messages={
            "required": _("Hãy chọn cơ quan được đề nghị xác minh."),
            "invalid_choice": _("Cơ quan mã %(value)s không có trong danh sách cơ quan đang hoạt động."),
        },
    )
    question = _reason_field(_("Nội dung cần xác minh"))
    answer_days = forms.IntegerField(label=_("Thời hạn trả lời (ngày làm việc)"), min_value=1, max_value=60, initial=5)

    def setup(self):
        self.fields["agency"].choices = [("", _("— chọn cơ quan —"))] + [
            (a.identifier_code, a.name) for a in self.context.get("agencies", [])
        ]


class AnswerForm(ActionForm):
    answer = _reason_field(_("Kết quả xác minh"))


class PaymentForm(ActionForm):
    amount = field_types.MoneyField(_("Số tiền (đồng)"), error_messages={"required": _("Cần ghi số tiền phải nộp.")})
    description = forms.CharField(label=_("Nội dung khoản phải nộp"), required=False, max_length=300)


class ConfirmPaymentForm(ActionForm):
    payment_channel = forms.ChoiceField(
        label=_("Kênh thanh toán"),
        choices=[("counter_cash", _("Tiền mặt tại quầy")), ("bank_transfer", _("Chuyển khoản")),
                 ("national_platform", _("Nền tảng thanh toán của Cổng DVCQG"))],
    )


class FinishForm(ActionForm):
    documents = forms.CharField(
        label=_("Giấy tờ kết quả (mỗi dòng một giấy tờ)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def setup(self):
        self.fields["documents"].initial = "\n".join(self.dossier.case.result_documents or [])

    def data_for_service(self):
        lines = [x.strip() for x in (self.cleaned_data.get("documents") or "").splitlines() if x.strip()]
        return {"documents": lines}

    def clean_documents(self):
        value = self.cleaned_data.get("documents") or ""
        for line in value.splitlines():
            if len(line.strip()) > 300:
                raise forms.ValidationError(_("Mỗi tên giấy tờ kết quả dài tối đa 300 ký tự."))
        return value


class ReturnForm(ActionForm):
    method = forms.ChoiceField(label=_("Hình thức trả"), choices=ReturnMethod.choices)
    receiver_name = forms.CharField(label=_("Họ tên người nhận"), required=False, max_length=200)
    receiver_kind = forms.ChoiceField(
        label=_("Người nhận là"), required=False,
        choices=[("", "—"), ("owner", _("Chủ hồ sơ")), ("authorised", _("Người được ủy quyền"))],
    )
    originals_returned = forms.CharField(label=_("Bản chính đã trả lại cho người dân"), required=False, max_length=1000)
    tracking_number = forms.CharField(label=_("Số vận đơn bưu chính"), required=False, max_length=40)

    def setup(self):
        self.fields["method"].initial = self.dossier.return_method

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method == ReturnMethod.COUNTER:
            if not (data.get("receiver_name") or "").strip():
                self.add_error("receiver_name", _("Cần ghi họ tên người nhận kết quả tại quầy."))
            if not data.get("receiver_kind"):
                self.add_error("receiver_kind", _("Cần chọn người nhận là chủ hồ sơ hay người được ủy quyền."))
        if method == ReturnMethod.POST and not (data.get("tracking_number") or "").strip():
            self.add_error("tracking_number", _("Trả qua bưu chính cần số vận đơn."))
        return data


class ApologyForm(ActionForm):
    reason = _reason_field(_("Lý do chậm trả, lời xin lỗi"))
    new_due_at = forms.DateTimeField(
        label=_("Hẹn trả mới (giờ:phút dd/mm/yyyy)"),
        input_formats=["%H:%M %d/%m/%Y", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(format="%H:%M %d/%m/%Y", attrs={"placeholder": "16:00 01/12/2026"}),
        error_messages={
            "required": _("Cần ghi ngày giờ hẹn trả mới."),
            "invalid": _("Ngày giờ hẹn trả mới phải theo dạng giờ:phút ngày/tháng/năm, ví dụ 16:00 01/12/2026."),
        },
    )

    def setup(self):
        draft = self.context.get("apology_draft")
        if draft is not None:
            self.fields["new_due_at"].initial = timezone.localtime(draft.proposed_due_at)
            self.fields["reason"].initial = draft.text


ACTION_FORMS = {
    "receive": EmptyForm,
    "request_completion": ItemsForm,
    "complete": EmptyForm,
    "refuse": ReasonForm,
    "forward": ForwardForm,
    "request_supplement": SupplementForm,
    "supply_supplement": NoteForm,
    "request_verification": VerificationForm,
    "answer_verification": AnswerForm,
    "request_payment": PaymentForm,
    "confirm_payment": ConfirmPaymentForm,
    "stop": ReasonForm,
    "withdraw": ReasonForm,
    "finish": FinishForm,
    "return_result": ReturnForm,
    "apologise": ApologyForm,
}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=[("component", "component"), ("result", "result")])
    component = forms.IntegerField(required=False)
    file = forms.FileField(label=_("Tệp (PDF, JPEG, PNG)"), error_messages={"required": _("Hãy chọn tệp để tải lên.")})
