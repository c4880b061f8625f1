"""The citizen's own dossiers, and what each state means for him in plain words."""


from django.utils.translation import gettext_lazy

from ..models import CitizenAccount

# --------------------------------------------------------------------------------------------------
# "Hồ sơ của tôi"
# --------------------------------------------------------------------------------------------------

# What each state means for the citizen, in plain words.
PLAIN_STATE = {
    "submitted": gettext_lazy("Đã gửi, đang chờ cán bộ một cửa kiểm tra và tiếp nhận."),
    "awaiting_completion": gettext_lazy("Cần bổ sung, hoàn thiện trước khi được tiếp nhận; xem hướng dẫn ở trang tra cứu."),
    "refused": gettext_lazy("Không được tiếp nhận; lý do ở trang tra cứu."),
    "received": gettext_lazy("Đã được tiếp nhận; cơ quan sẽ giải quyết và trả kết quả theo ngày hẹn."),
    "processing": gettext_lazy("Cơ quan đang giải quyết."),
    "awaiting_supplement": gettext_lazy("Cơ quan cần bạn bổ sung giấy tờ; xem những gì cần bổ sung ở trang tra cứu."),
    "awaiting_verification": gettext_lazy("Đang chờ cơ quan khác xác minh."),
    "awaiting_payment": gettext_lazy("Đang chờ bạn nộp phí, lệ phí hoặc nghĩa vụ tài chính."),
    "withdrawn": gettext_lazy("Bạn đã rút hồ sơ."),
    "stopped": gettext_lazy("Cơ quan đã dừng giải quyết; lý do ở trang tra cứu."),
    "result_ready": gettext_lazy("Đã có kết quả; mời bạn nhận kết quả."),
    "returned": gettext_lazy("Đã trả kết quả."),
}


def owned_dossiers(account: CitizenAccount):
    """The dossiers an account may open without a look-up. Anyone can type someone else's ID at sign-up,
    so the ID alone is not enough: those it submitted online, and those carrying its ID when the account
    was verified by the national identity provider or the dossier carries its confirmed phone."""
    from django.db.models import Q

    from motcua.dossiers.models import Dossier, State

    mine = Q(application__citizen=account)
    if account.identity_verified:
        mine |= Q(personal_id=account.personal_id) | Q(representative_id=account.personal_id)
    elif account.phone_verified_at is not None and account.phone:
        mine |= Q(personal_id=account.personal_id, phone=account.phone)
    return Dossier.objects.filter(mine).exclude(state=State.DRAFT)


def dossiers_of(account: CitizenAccount):
    """The citizen's dossiers (owned_dossiers), newest first, drafts left out (they live in the online
    application's own drafts). One query per page, whatever its size.
    """
    return (
        owned_dossiers(account)
        .select_related("procedure_version__procedure", "competent_agency")
        .order_by("-pk")
    )
