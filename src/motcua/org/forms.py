from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import User
from .roles import Role


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        error_messages={"required": _("Hãy nhập tên đăng nhập."), "max_length": _("Tên đăng nhập quá dài.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True, "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        max_length=4096,
        error_messages={"required": _("Hãy nhập mật khẩu.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        # The request goes along so django-axes can count the failure and refuse a locked name.
        self.user = authenticate(self.request, username=data["username"], password=data["password"])
        if self.user is None:
            message = _("Tên đăng nhập hoặc mật khẩu không đúng.")
            failures = getattr(self.request, "axes_failures_since_start", None)
            if failures:
                left = max(settings.AXES_FAILURE_LIMIT - failures, 0)
                minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
                message = f"{message} " + _(
                    "Còn %(left)s lần thử trước khi tên đăng nhập bị tạm khóa %(minutes)s phút."
                ) % {"left": left, "minutes": minutes}
            raise forms.ValidationError(message)
        if self.user.is_system:
            raise forms.ValidationError(_("Tài khoản hệ thống chỉ dùng cho kết nối qua API, không đăng nhập trên trang."))
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực (6 chữ số)"),
        max_length=12,
        error_messages={
            "required": _("Hãy nhập mã 6 chữ số đang hiển thị trong ứng dụng xác thực."),
            "max_length": _("Mã xác thực gồm đúng 6 chữ số."),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": r"[0-9 ]*", "autofocus": True}
        ),
    )


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Thư điện tử của tài khoản"),
        max_length=254,
        error_messages={
            "required": _("Hãy nhập địa chỉ thư điện tử đã đăng ký với tài khoản."),
            "invalid": _("Địa chỉ thư điện tử không hợp lệ; ví dụ đúng: ten.canbo@thanhhoa.gov.vn."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


# Django's own Vietnamese catalogue misses some validator messages; ours, by validator code.
PASSWORD_MESSAGES = {
    "password_too_short": _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự."),
    "password_too_common": _("Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác."),
    "password_entirely_numeric": _("Mật khẩu không được chỉ gồm chữ số."),
    "password_too_similar": _("Mật khẩu quá giống thông tin của tài khoản; hãy chọn mật khẩu khác."),
}


class NewPasswordForm(SetPasswordForm):
    """Django's set-password form (it runs AUTH_PASSWORD_VALIDATORS) with Vietnamese labels and
    messages."""

    def validate_password_for_user(self, user, password_field_name="password2"):
        password = self.cleaned_data.get(password_field_name)
        if not password:
            return
        try:
            password_validation.validate_password(password, user)
        except forms.ValidationError as errors:
            for error in errors.error_list:
                message = PASSWORD_MESSAGES.get(error.code)
                if message:
                    error = forms.ValidationError(message, code=error.code, params=error.params)
                self.add_error(password_field_name, error)

    error_messages = {"password_mismatch": _("Hai lần nhập mật khẩu mới không giống nhau; hãy nhập lại.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Mật khẩu mới")
        self.fields["new_password2"].label = _("Nhập lại mật khẩu mới")
        self.fields["new_password1"].help_text = _("Ít nhất 8 ký tự, không dùng mật khẩu phổ biến.")
        for name in ("new_password1", "new_password2"):
            self.fields[name].error_messages["required"] = _("Hãy nhập mật khẩu mới ở cả hai ô.")


class GrantForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập của cán bộ"),
        max_length=150,
        error_messages={"required": _("Hãy nhập tên đăng nhập của cán bộ được cấp quyền.")},
    )
    role = forms.ChoiceField(
        label=_("Vai trò"),
        choices=Role.choices,
        error_messages={
            "required": _("Hãy chọn vai trò."),
            "invalid_choice": _("Vai trò không hợp lệ; hãy chọn một vai trò trong danh sách."),
        },
    )
    agency = forms.ModelChoiceField(
        label=_("Tại đơn vị"),
        queryset=None,
        error_messages={
            "required": _("Hãy chọn đơn vị."),
            "invalid_choice": _("Chỉ được chọn đơn vị này hoặc một đơn vị trực thuộc còn hiệu lực."),
        },
    )

    def __init__(self, agency, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = selectors.grantable_agencies(agency)
        self.fields["agency"].initial = agency.pk

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(
                _("Không có tài khoản nào có tên đăng nhập “%(username)s”; hãy kiểm tra lại.") % {"username": username}
            )
        self.cleaned_data["user"] = user
        return username
