"""Forms of the feedback (PAKN) desk: they parse what an officer typed; feedback/handling.py and
services.py decide. Messages are Vietnamese and say what to fix."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.org.models import Agency, User

from . import workflow
from .models import Feedback

REQUIRED = _("Hãy nhập %(what)s.")


def _required(what):
    return {"required": REQUIRED % {"what": what}}


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.identifier_code})" if obj.identifier_code else obj.name


def officers_for(item: Feedback):
    """Who can be given the item: active staff drafting answers (specialists, heads) at its unit or above."""
    if item.agency_id is None:
        return User.objects.none()
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role__in=list(workflow.DRAFTERS),
            role_assignments__agency_id__in=item.agency.ancestor_ids(),
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def province_agencies(agency: Agency | None):
    """Units of the province of `agency` (the whole list when unknown), for forwarding and intake."""
    qs = Agency.objects.exclude(kind=Agency.Kind.POSTAL)
    if agency is not None:
        area = agency.area
        province = area if area.parent_id is None else area.parent
        qs = qs.filter(Q(area=province) | Q(area__parent=province))
    return qs.order_by("path")


class ActionForm(forms.Form):
    """Base: an action with nothing to fill in (approve, answer, close, unpublish)."""

    def __init__(self, *args, item: Feedback, user=None, **kwargs):
        self.item = item
        self.user = user
        super().__init__(*args, **kwargs)

    def data_for_service(self) -> dict:
        return dict(self.cleaned_data)


class AssignForm(ActionForm):
    assignee = UserChoice(
        label=_("Cán bộ được giao xử lý"), queryset=User.objects.none(), empty_label=_("— Chọn cán bộ —"),
        error_messages={"required": _("Hãy chọn cán bộ được giao xử lý."),
                        "invalid_choice": _("Cán bộ đã chọn không xử lý được phản ánh ở đơn vị này; hãy chọn lại.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = officers_for(self.item)

    def data_for_service(self):
        return {"assignee": self.cleaned_data["assignee"]}


class ForwardForm(ActionForm):
    agency = AgencyChoice(
        label=_("Chuyển đến đơn vị"), queryset=Agency.objects.none(), empty_label=_("— Chọn đơn vị —"),
        error_messages={"required": _("Hãy chọn đơn vị nhận phản ánh."),
                        "invalid_choice": _("Đơn vị đã chọn không có trong danh sách; hãy chọn lại.")},
    )
    reason = forms.CharField(
        label=_("Lý do chuyển (không thuộc thẩm quyền của đơn vị vì…)"), widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000, error_messages=_required(_("lý do chuyển")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        base = self.item.agency
        if base is None and self.user is not None:
            top = Agency.objects.filter(role_assignments__user=self.user, parent__isnull=True).first()
            base = top
        qs = province_agencies(base)
        if self.item.agency_id:
            qs = qs.exclude(pk=self.item.agency_id)
        self.fields["agency"].queryset = qs


class DraftForm(ActionForm):
    template = forms.ModelChoiceField(
        label=_("Mẫu trả lời"), queryset=None, required=False, empty_label=_("— Không dùng mẫu —"),
        error_messages={"invalid_choice": _("Mẫu trả lời đã chọn không còn dùng; hãy chọn mẫu khác.")},
    )
    answer = forms.CharField(
        label=_("Nội dung trả lời (người dân sẽ đọc đúng nội dung này)"), required=False,
        widget=forms.Textarea(attrs={"rows": 10}), max_length=10_000,
        error_messages={"max_length": _("Nội dung trả lời dài quá %(limit_value)d ký tự.")},
    )

    def __init__(self, *args, **kwargs):
        from .answers import templates_for

        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates_for(self.item)

    def data_for_service(self):
        return {"answer": self.cleaned_data.get("answer", "")}


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label=_("Lý do trả lại (cần sửa gì)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        error_messages=_required(_("lý do trả lại")),
    )


class PublishForm(ActionForm):
    public_question = forms.CharField(
        label=_("Câu hỏi công khai (bỏ họ tên, số điện thoại, số định danh, thư điện tử)"),
        widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, error_messages=_required(_("câu hỏi công khai")),
    )
    public_answer = forms.CharField(
        label=_("Trả lời công khai"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000,
        error_messages=_required(_("trả lời công khai")),
    )


ACTION_FORMS = {
    "assign": AssignForm,
    "forward": ForwardForm,
    "draft": DraftForm,
    "send_back": ReasonForm,
    "approve": ActionForm,
    "answer": ActionForm,
    "close": ActionForm,
    "publish": PublishForm,
    "unpublish": ActionForm,
}


def initial_for(action: str, item: Feedback) -> dict:
    """What a form shows before the officer types: the current draft, the texts to publish."""
    if action == "draft":
        return {"answer": item.draft}
    if action == "publish":
        return {"public_question": item.public_question or item.text, "public_answer": item.public_answer or item.answer}
    return {}


# ---------------------------------------------------------------- counter and phone intake


class IntakeForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Hình thức tiếp nhận"),
        choices=[(Feedback.Source.COUNTER, Feedback.Source.COUNTER.label), (Feedback.Source.PHONE, Feedback.Source.PHONE.label)],
        initial=Feedback.Source.COUNTER, widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn hình thức tiếp nhận: trực tiếp hoặc qua điện thoại."),
                        "invalid_choice": _("Hãy chọn hình thức tiếp nhận: trực tiếp hoặc qua điện thoại.")},
    )
    kind = forms.ChoiceField(
        label=_("Nội dung phản ánh về"), choices=Feedback.Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn nội dung phản ánh về việc gì."),
                        "invalid_choice": _("Hãy chọn nội dung phản ánh về việc gì.")},
    )
    text = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị (ghi đúng lời người dân: việc gì, ở đâu, khi nào)"), required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    dossier_code = forms.CharField(label=_("Mã hồ sơ liên quan (nếu có)"), required=False, max_length=60,
                                   error_messages={"max_length": _("Mã hồ sơ dài quá 60 ký tự; hãy kiểm tra lại.")})
    procedure = forms.ModelChoiceField(
        label=_("Thủ tục hành chính liên quan (nếu có)"), queryset=Procedure.objects.order_by("name"), required=False,
        empty_label=_("— Không chọn —"),
        error_messages={"invalid_choice": _("Thủ tục đã chọn không có trong danh sách; hãy chọn lại.")},
    )
    agency = AgencyChoice(
        label=_("Đơn vị xử lý"), queryset=Agency.objects.none(), required=False,
        empty_label=_("— Chưa rõ: chuyển bộ phận điều phối của tỉnh —"),
        error_messages={"invalid_choice": _("Đơn vị đã chọn không có trong danh sách; hãy chọn lại.")},
    )
    simple = forms.BooleanField(label=_("Vụ việc đơn giản (trả lời trong thời hạn ngắn hơn)"), required=False)
    anonymous = forms.BooleanField(label=_("Người phản ánh không muốn nêu danh tính (ẩn danh)"), required=False)
    contact_name = forms.CharField(label=_("Họ và tên"), required=False, max_length=200)
    contact_phone = forms.CharField(label=_("Số điện thoại"), required=False, max_length=30)
    contact_email = forms.CharField(label=_("Thư điện tử"), required=False, max_length=254)
    attachment = forms.FileField(label=_("Tệp kèm (PDF, JPEG, PNG)"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
