"""Forms of the citizen account pages. They check the shape of the input with the rules of accounts.py,
so a page lists every problem at once; the services check again and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import accounts


def _rule(rule, value):
    try:
        return rule(value)
    except accounts.AccountError as exc:
        raise forms.ValidationError(exc.message) from exc


PERSONAL_ID = dict(
    label=_("Số định danh cá nhân (12 số trên thẻ căn cước)"),
    max_length=20,
    error_messages={"required": _("Hãy nhập số định danh cá nhân 12 chữ số."), "max_length": _("Số định danh quá dài.")},
    widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username", "pattern": "[0-9 ]*"}),
)


def _password_field(label, autocomplete="new-password"):
    return forms.CharField(
        label=label,
        strip=False,
        max_length=4096,
        error_messages={"required": _("Hãy nhập mật khẩu.")},
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


def _code_field():
    return forms.CharField(
        label=_("Mã xác nhận (6 chữ số trong tin nhắn SMS)"),
        max_length=12,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*", "autofocus": True}
        ),
    )


class NewPasswordMixin:
    """Two password boxes that must match and pass the password rules."""

    def check_passwords(self, data, *, personal_id="", phone=""):
        first, second = data.get("password1"), data.get("password2")
        if not first or not second:
            return
        if first != second:
            self.add_error("password2", _("Hai lần nhập mật khẩu không giống nhau; hãy nhập lại."))
            return
        for problem in accounts.password_problems(first, personal_id=personal_id, phone=phone):
            self.add_error("password1", problem)


class SignUpForm(NewPasswordMixin, forms.Form):
    personal_id = forms.CharField(**PERSONAL_ID)
    full_name = forms.CharField(
        label=_("Họ và tên (như trên thẻ căn cước, có dấu)"),
        max_length=200,
        error_messages={"required": _("Hãy nhập họ và tên như trên thẻ căn cước."), "max_length": _("Họ và tên dài quá 200 ký tự.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động (nhận mã xác nhận)"),
        max_length=20,
        error_messages={"required": _("Hãy nhập số điện thoại di động để nhận mã xác nhận.")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    password1 = _password_field(_("Mật khẩu"))
    password2 = _password_field(_("Nhập lại mật khẩu"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = _("Ít nhất 8 ký tự, không dùng mật khẩu phổ biến, không chứa số định danh.")

    def clean_personal_id(self):
        return _rule(accounts.clean_personal_id, self.cleaned_data["personal_id"])

    def clean_full_name(self):
        return _rule(accounts.clean_full_name, self.cleaned_data["full_name"])

    def clean_phone(self):
        return _rule(accounts.normalise_phone, self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        self.check_passwords(data, personal_id=data.get("personal_id", ""), phone=data.get("phone", ""))
        return data


class CodeForm(forms.Form):
    """The code box; the form also carries the "send again" button, which needs no code."""

    code = _code_field()


class SignInForm(forms.Form):
    personal_id = forms.CharField(**PERSONAL_ID)
    password = _password_field(_("Mật khẩu"), autocomplete="current-password")

    def clean_personal_id(self):
        return _rule(accounts.clean_personal_id, self.cleaned_data["personal_id"])


class ForgotForm(forms.Form):
    personal_id = forms.CharField(**PERSONAL_ID)

    def clean_personal_id(self):
        return _rule(accounts.clean_personal_id, self.cleaned_data["personal_id"])


class ResetForm(NewPasswordMixin, forms.Form):
    code = _code_field()
    password1 = _password_field(_("Mật khẩu mới"))
    password2 = _password_field(_("Nhập lại mật khẩu mới"))

    def __init__(self, *args, personal_id="", **kwargs):
        self.personal_id = personal_id
        super().__init__(*args, **kwargs)
        self.fields["code"].required = True
        self.fields["code"].error_messages["required"] = _("Hãy nhập mã 6 chữ số trong tin nhắn SMS.")

    def clean(self):
        data = super().clean()
        self.check_passwords(data, personal_id=self.personal_id)
        return data
