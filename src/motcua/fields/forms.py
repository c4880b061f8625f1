"""The shared field types as Django form fields: a page shows the same Vietnamese message, at the field,
as the API and the services give for the same value."""

from functools import partial

from django import forms

from . import FieldError, address, money, person_name, personal_id, phone, text


class CheckedField(forms.CharField):
    """A text field whose value goes through one of the shared checks (`check(value) -> cleaned`)."""

    def __init__(self, *, check, **kwargs):
        self.check = check
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        try:
            return self.check(value)
        except FieldError as exc:
            raise forms.ValidationError(exc.message, code="invalid") from exc


def PersonNameField(label, *, max_length=200, **kwargs):  # noqa: N802 (a field factory, named like a class)
    return CheckedField(label=label, max_length=max_length,
                        check=partial(person_name, label=str(label).lower(), max_length=max_length), **kwargs)


def AddressField(label, *, max_length=300, **kwargs):  # noqa: N802
    return CheckedField(label=label, max_length=max_length,
                        check=partial(address, label=str(label).lower(), max_length=max_length), **kwargs)


def TextField(label, *, max_length=2000, multiline=True, **kwargs):  # noqa: N802
    return CheckedField(label=label, max_length=max_length, check=partial(
        text, label=str(label).lower(), max_length=max_length, multiline=multiline), **kwargs)


def PhoneField(label, *, mobile_only=False, **kwargs):  # noqa: N802
    kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    return CheckedField(label=label, max_length=20, check=partial(phone, mobile_only=mobile_only), **kwargs)


def PersonalIdField(label, **kwargs):  # noqa: N802
    kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    return CheckedField(label=label, max_length=20, check=personal_id, **kwargs)


class MoneyField(forms.CharField):
    """An amount in đồng typed as people write it ("1.500.000" or "1500000"): ASCII digits, 1 to MAX_MONEY."""

    def __init__(self, label, *, minimum=1, **kwargs):
        self.minimum = minimum
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(label=label, max_length=25, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            return money(value, minimum=self.minimum)
        except FieldError as exc:
            raise forms.ValidationError(exc.message, code="invalid") from exc
