"""Forms of the desk pages. They turn what an officer typed into the data the services expect; the services
decide what is allowed."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua import fields
from motcua.catalog.models import FeeLine
from motcua.dossiers.models import ReturnMethod
from motcua.fields import forms as field_types

COPY_FIELDS = (("originals", _("bản chính")), ("certified_copies", _("bản sao chứng thực")), ("photocopies", _("bản photo")))


def _personal_id(value: str) -> str:
    try:
        return fields.personal_id(value, today=timezone.localdate())
    except fields.FieldError as exc:
        raise forms.ValidationError(exc.message) from exc


class LookupForm(forms.Form):
    personal_id = forms.CharField(label=_("Số định danh cá nhân"), max_length=20)

    def clean_personal_id(self):
        return _personal_id(self.cleaned_data["personal_id"])


class CounterForm(forms.Form):
    """Reception at the counter. Component and fee fields are added for the chosen case."""

    receiving_agency = forms.TypedChoiceField(label=_("Đơn vị tiếp nhận"), coerce=int)
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân (12 số)"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_name = field_types.PersonNameField(_("Họ và tên chủ hồ sơ"))
    birth_date = forms.DateField(
        label=_("Ngày sinh (dd/mm/yyyy)"), widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})
    )
    address = field_types.AddressField(_("Nơi thường trú"), required=False)
    phone = field_types.PhoneField(_("Số điện thoại"), required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    representative_name = field_types.PersonNameField(_("Người nộp thay (nếu có)"), required=False)
    case = forms.TypedChoiceField(label=_("Thủ tục, trường hợp"), coerce=int)
    competent_agency = forms.TypedChoiceField(label=_("Cơ quan giải quyết"), coerce=int, required=False)
    return_method = forms.ChoiceField(label=_("Nhận kết quả"), choices=ReturnMethod.choices, initial=ReturnMethod.COUNTER)
    summary = forms.CharField(label=_("Trích yếu"), max_length=1000, required=False)

    def __init__(self, *args, agencies, cases, case=None, competent=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_agency"].choices = [(a.pk, a.name) for a in agencies]
        if len(agencies) == 1:
            self.fields["receiving_agency"].initial = agencies[0].pk
        groups: dict[str, list] = {}
        for c in cases:
            p = c.version.procedure
            groups.setdefault(f"{p.code} · {p.name}", []).append((c.pk, c.name))
        self.fields["case"].choices = [("", _("— chọn thủ tục —"))] + list(groups.items())
        self.fields["competent_agency"].choices = [(a.pk, a.name) for a in competent]
        self.case = case
        self.component_rows = []
        self.fee_rows = []
        if case is None:
            return
        for comp in case.components.all():
            prefix = f"comp_{comp.pk}"
            self.fields[f"{prefix}_provided"] = forms.BooleanField(
                label=comp.name, required=False, initial=False
            )
            for name, label in COPY_FIELDS:
                self.fields[f"{prefix}_{name}"] = forms.IntegerField(
                    label=label, min_value=0, max_value=99, initial=getattr(comp, name),
                    widget=forms.NumberInput(attrs={"size": 2, "class": "count"}),
                )
            if comp.national_data:
                self.fields[f"{prefix}_national"] = forms.BooleanField(
                    label=_("Khai thác từ CSDL quốc gia"), required=False
                )
            self.component_rows.append(comp)
        for fee in case.fees.all():
            self.fields[f"fee_{fee.pk}_mode"] = forms.ChoiceField(
                label=fee.name, choices=FeeLine.Mode.choices, initial=fee.mode
            )
            self.fields[f"fee_{fee.pk}_paid"] = forms.BooleanField(label=_("Đã thu tại quầy"), required=False)
            self.fee_rows.append(fee)

    def clean_personal_id(self):
        return _personal_id(self.cleaned_data["personal_id"])

    def clean(self):
        data = super().clean()
        pid, birth = data.get("personal_id"), data.get("birth_date")
        if pid and birth:
            try:
                fields.personal_id(pid, birth_date=birth, today=timezone.localdate())
            except fields.FieldError as exc:
                self.add_error("birth_date", exc.message)
        return data

    # -- rows for the template and data for the services

    def components_table(self):
        for comp in self.component_rows:
            p = f"comp_{comp.pk}"
            yield {
                "component": comp,
                "provided": self[f"{p}_provided"],
                "counts": [self[f"{p}_{n}"] for n, _label in COPY_FIELDS],
                "national": self[f"{p}_national"] if f"{p}_national" in self.fields else None,
            }

    def fees_table(self):
        for fee in self.fee_rows:
            yield {"fee": fee, "mode": self[f"fee_{fee.pk}_mode"], "paid": self[f"fee_{fee.pk}_paid"]}

    def applicant(self) -> dict:
        d = self.cleaned_data
        out = {
            "kind": "citizen", "name": d["applicant_name"], "personal_id": d["personal_id"],
            "birth_date": d["birth_date"], "address": d.get("address", ""), "phone": d.get("phone", ""),
            "email": d.get("email", ""),
        }
        if d.get("representative_name"):
            out["representative_name"] = d["representative_name"]
        return out

    def components(self, scanned: set[int]) -> list[dict]:
        d = self.cleaned_data
        rows = []
        for comp in self.component_rows:
            p = f"comp_{comp.pk}"
            rows.append({
                "component": comp.pk,
                "provided": bool(d.get(f"{p}_provided")) or comp.pk in scanned,
                "digitised": comp.pk in scanned,
                "from_national_data": bool(d.get(f"{p}_national")),
                **{n: d.get(f"{p}_{n}") for n, _label in COPY_FIELDS},
            })
        return rows

    def fees(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {"fee_line": f.pk, "mode": d.get(f"fee_{f.pk}_mode"), "paid": bool(d.get(f"fee_{f.pk}_paid"))}
            for f in self.fee_rows
        ]

    def missing_required(self) -> list:
        d = self.cleaned_data
        return [
            c for c in self.component_rows
            if c.required and not d.get(f"comp_{c.pk}_provided") and not d.get(f"comp_{c.pk}_national")
        ]


class ItemsMixin:
    """Form 02: every missing or defective item with its reason, all at once. One row per component of the
    dossier, plus free rows; the reason is a plain-language template, editable."""

    FREE_ROWS = 2

    def add_item_fields(self, components, templates, checked: set | None = None):
        choices = [("", _("— chọn lý do mẫu —"))] + [(str(t.pk), t.title) for t in templates]
        self.templates = {str(t.pk): t.text for t in templates}
        self.item_rows = []
        for i, comp in enumerate(components):
            key = f"item_{i}"
            self.fields[f"{key}_on"] = forms.BooleanField(
                label=comp.name, required=False, initial=bool(checked and comp.pk in checked)
            )
            self.fields[f"{key}_name"] = forms.CharField(
                initial=comp.name, widget=forms.HiddenInput, max_length=400, required=False
            )
            self.fields[f"{key}_template"] = forms.ChoiceField(label=_("Lý do mẫu"), choices=choices, required=False)
            self.fields[f"{key}_reason"] = forms.CharField(
                label=_("Lý do (có thể sửa)"), required=False, max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
            )
            self.item_rows.append((key, comp.name, False))
        for j in range(self.FREE_ROWS):
            key = f"item_x{j}"
            self.fields[f"{key}_name"] = forms.CharField(label=_("Giấy tờ khác"), required=False, max_length=400)
            self.fields[f"{key}_template"] = forms.ChoiceField(label=_("Lý do mẫu"), choices=choices, required=False)
            self.fields[f"{key}_reason"] = forms.CharField(
                label=_("Lý do"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2, "cols": 60})
            )
            self.item_rows.append((key, "", True))

    def items_table(self):
        for key, name, free in self.item_rows:
            yield {
                "free": free, "name": name,
                "on": None if free else self[f"{key}_on"],
                "name_field": self[f"{key}_name"],
                "template": self[f"{key}_template"], "reason": self[f"{key}_reason"],
            }

    def clean_items(self) -> list[dict]:
        d = self.cleaned_data
        items = []
        for key, row_name, free in self.item_rows:
            name = (d.get(f"{key}_name") or "").strip() or row_name
            chosen = free and name or (not free and d.get(f"{key}_on"))
            if not chosen:
                continue
            reason = (d.get(f"{key}_reason") or "").strip() or self.templates.get(d.get(f"{key}_template") or "", "")
            if not reason:
                self.add_error(
                    f"{key}_reason", _("Cần ghi lý do cho “%(name)s” (chọn lý do mẫu hoặc tự viết).") % {"name": name}
                )
                continue
            items.append({"name": name, "reason": reason})
        if not items and not self.errors:
            raise forms.ValidationError(
                _("Hãy đánh dấu ít nhất một giấy tờ cần bổ sung và ghi lý do; liệt kê đủ mọi giấy tờ trong một lần.")
            )
        return items


class CounterDecisionForm(ItemsMixin, forms.Form):
    """The second step at the counter: receive, ask for completion (form 02) or refuse (form 03)."""

    decision = forms.ChoiceField(
        choices=[("receive", _("Tiếp nhận")), ("request_completion", _("Yêu cầu bổ sung")), ("refuse", _("Từ chối"))]
    )
    idempotency_key = forms.CharField(max_length=80, widget=forms.HiddenInput)
    refuse_reason = forms.CharField(
        label=_("Lý do từ chối tiếp nhận"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def __init__(self, *args, components=(), templates=(), missing=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_item_fields(components, templates, checked={c.pk for c in missing})

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == "request_completion":
            data["items"] = self.clean_items()
        elif decision == "refuse" and not (data.get("refuse_reason") or "").strip():
            self.add_error("refuse_reason", _("Cần ghi lý do từ chối để in vào Mẫu 03 cho người dân."))
        return data


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
