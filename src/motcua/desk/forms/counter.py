"""Forms of the counter: looking an applicant up, receiving a dossier, and the decision on it (with the
items to add or correct)."""

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
