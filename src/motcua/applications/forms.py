"""Forms of the online application: the e-form generated from a case's schema, and the review step.

The e-form schema is the JSON Schema subset of catalog/eform.py: an object whose properties are strings
(with maxLength, enum or format "date"), integers and numbers (minimum, maximum), booleans, or nested
objects (shown as a group; their fields are named parent__child). Every message says what to fix.
"""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.dossiers.models import ReturnMethod

SEP = "__"
DATE_INPUTS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


def _messages(title: str, node: dict) -> dict:
    return {
        "required": _("Hãy điền “%(title)s”.") % {"title": title},
        "invalid": _("“%(title)s” chưa đúng dạng.") % {"title": title},
        "max_length": _("“%(title)s” dài tối đa %(n)s ký tự.") % {"title": title, "n": node.get("maxLength")},
        "min_value": _("“%(title)s” phải từ %(n)s trở lên.") % {"title": title, "n": node.get("minimum")},
        "max_value": _("“%(title)s” không được lớn hơn %(n)s.") % {"title": title, "n": node.get("maximum")},
        "invalid_choice": _("Hãy chọn một trong các lựa chọn của “%(title)s”.") % {"title": title},
    }


def _field(node: dict, required: bool) -> forms.Field:
    title = node["title"]
    kind = node["type"]
    common = {"label": title, "required": required, "help_text": node.get("description", "")}
    messages = _messages(title, node)
    if kind == "string" and "enum" in node:
        choices = [(str(v), str(v)) for v in node["enum"]]
        widget = forms.RadioSelect if len(choices) <= 3 else forms.Select
        if widget is forms.Select:
            choices = [("", _("— chọn —"))] + choices
        return forms.ChoiceField(choices=choices, widget=widget, error_messages=messages, **common)
    if kind == "string" and node.get("format") == "date":
        messages["invalid"] = _("“%(title)s”: hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/09/2026.") % {"title": title}
        return forms.DateField(
            input_formats=DATE_INPUTS,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages=messages,
            **common,
        )
    if kind == "string":
        max_length = node.get("maxLength")
        widget = forms.Textarea(attrs={"rows": 3}) if (max_length or 0) > 255 else forms.TextInput
        return forms.CharField(max_length=max_length, widget=widget, error_messages=messages, **common)
    if kind == "integer":
        messages["invalid"] = _("“%(title)s” phải là số nguyên.") % {"title": title}
        return forms.IntegerField(
            min_value=node.get("minimum"), max_value=node.get("maximum"), error_messages=messages, **common
        )
    if kind == "number":
        messages["invalid"] = _("“%(title)s” phải là một số (dùng dấu phẩy cho phần thập phân).") % {"title": title}
        messages["max_digits"] = messages["max_decimal_places"] = messages["max_whole_digits"] = _(
            "“%(title)s” dài quá: tối đa 15 chữ số, 4 chữ số sau dấu phẩy."
        ) % {"title": title}
        return forms.DecimalField(  # bounded digits: "1E999999999" must not reach int()
            min_value=node.get("minimum"), max_value=node.get("maximum"), max_digits=19, decimal_places=4,
            localize=True, error_messages=messages, **common
        )
    if kind == "boolean":
        messages["required"] = _("Hãy đánh dấu “%(title)s”.") % {"title": title}
        return forms.BooleanField(error_messages=messages, **common)
    raise ValueError(f"unsupported e-form type {kind!r}")


def _walk(schema: dict, prefix: str = "", group: str = ""):
    """(name, node, required, group title) for every leaf field, in the schema's order."""
    required = set(schema.get("required", []))
    for name, node in schema.get("properties", {}).items():
        full = f"{prefix}{name}"
        if node.get("type") == "object":
            yield from _walk(node, f"{full}{SEP}", node.get("title", ""))
        else:
            yield full, node, name in required, group


class EForm(forms.Form):
    """The case's e-form. `cleaned_json()` gives the answers as JSON-ready, nested like the schema."""

    def __init__(self, *args, schema: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.schema = schema or {}
        self.groups = {}
        for name, node, required, group in _walk(self.schema):
            self.fields[name] = _field(node, required)
            self.groups[name] = group

    def rows(self):
        """Bound fields with the title of the group they open (empty when they continue one)."""
        last = ""
        for bound in self:
            group = self.groups.get(bound.name, "")
            yield bound, group if group != last else ""
            last = group

    def cleaned_json(self) -> dict:
        out: dict = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            elif value in ("", None):
                continue
            target = out
            *parents, leaf = name.split(SEP)
            for p in parents:
                target = target.setdefault(p, {})
            target[leaf] = value
        return out


NOTIFY_CHOICES = [
    ("sms", gettext_lazy("Tin nhắn SMS")),
    ("email", gettext_lazy("Thư điện tử")),
    ("zalo", gettext_lazy("Zalo")),
]


class ReviewForm(forms.Form):
    receiving_agency = forms.TypedChoiceField(label=gettext_lazy("Nơi nộp hồ sơ"), coerce=int, empty_value=None)
    phone = forms.CharField(label=gettext_lazy("Số điện thoại nhận thông báo"), max_length=20, required=False)
    email = forms.EmailField(label=gettext_lazy("Thư điện tử nhận thông báo"), required=False)
    notify = forms.MultipleChoiceField(
        label=gettext_lazy("Nhận thông báo qua"), choices=NOTIFY_CHOICES, widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    return_method = forms.ChoiceField(
        label=gettext_lazy("Nhận kết quả"), choices=ReturnMethod.choices, widget=forms.RadioSelect
    )
    submission_key = forms.RegexField(regex=r"^[A-Za-z0-9_-]{8,64}$", widget=forms.HiddenInput, required=False)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(a.pk, a.name) for a in agencies]
        if len(choices) > 1:  # nothing preselected: the citizen picks his own centre, not the first by name
            choices.insert(0, ("", _("— Chọn nơi nộp hồ sơ —")))
        self.fields["receiving_agency"].choices = choices
        self.fields["receiving_agency"].error_messages = {
            "required": _("Hãy chọn nơi nộp hồ sơ."),
            "invalid_choice": _("Nơi nộp đã chọn không nhận thủ tục này; hãy chọn lại."),
        }
        self.fields["email"].error_messages["invalid"] = _("Địa chỉ thư điện tử chưa đúng, ví dụ ten@example.vn.")

    def clean_phone(self):
        """A mobile number the SMS and Zalo notices can reach (stored as 0xxxxxxxxx), or empty."""
        from motcua.portal.accounts import AccountError, normalise_phone

        raw = self.cleaned_data.get("phone") or ""
        if not raw.strip():
            return ""
        try:
            return normalise_phone(raw)
        except AccountError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean(self):
        data = super().clean()
        notify = set(data.get("notify") or [])
        if {"sms", "zalo"} & notify and not data.get("phone"):
            self.add_error("phone", _("Hãy nhập số điện thoại để nhận tin SMS hoặc Zalo."))
        if "email" in notify and not data.get("email"):
            self.add_error("email", _("Hãy nhập thư điện tử để nhận thông báo qua thư."))
        return data
