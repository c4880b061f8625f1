"""The dossier's history in plain words: where it is, when it is due, and one sentence per event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.dossiers import workflow
from motcua.dossiers.models import Dossier, ReturnMethod, State
from motcua.org.roles import Role

from .common import WITHDRAW_PREFIX, _parse_iso, money, when

# ---------------------------------------------------------------- plain words

# Who is working on the dossier, by the role of the open step (the catalog's step names are for staff).
ROLE_DOING = {
    Role.ONE_STOP_OFFICER: lambda: _("Bộ phận một cửa đang xử lý hồ sơ"),
    Role.POSTAL_AGENT: lambda: _("Nhân viên bưu chính đang chuyển hồ sơ"),
    Role.SPECIALIST: lambda: _("Cán bộ chuyên môn đang xem xét hồ sơ"),
    Role.HEAD_OF_DIVISION: lambda: _("Lãnh đạo phòng chuyên môn đang xem xét hồ sơ"),
    Role.HEAD_OF_AGENCY: lambda: _("Lãnh đạo cơ quan đang xem xét, ký kết quả"),
    Role.CLERK: lambda: _("Văn thư đang đóng dấu, vào sổ kết quả"),
}

# Who the dossier went to, in the timeline.
ROLE_TO = {
    Role.ONE_STOP_OFFICER: lambda: _("bộ phận một cửa"),
    Role.POSTAL_AGENT: lambda: _("nhân viên bưu chính"),
    Role.SPECIALIST: lambda: _("cán bộ chuyên môn"),
    Role.HEAD_OF_DIVISION: lambda: _("lãnh đạo phòng chuyên môn"),
    Role.HEAD_OF_AGENCY: lambda: _("lãnh đạo cơ quan"),
    Role.CLERK: lambda: _("văn thư"),
}

STATE_NOW = {
    State.SUBMITTED: lambda d: _("Hồ sơ đã nộp, đang chờ bộ phận một cửa kiểm tra và tiếp nhận."),
    State.AWAITING_COMPLETION: lambda d: _("Hồ sơ cần được bổ sung, hoàn thiện trước khi được tiếp nhận."),
    State.REFUSED: lambda d: _("Hồ sơ không được tiếp nhận."),
    State.AWAITING_SUPPLEMENT: lambda d: _("Hồ sơ đang tạm dừng, chờ ông/bà bổ sung giấy tờ."),
    State.AWAITING_VERIFICATION: lambda d: _("Cơ quan giải quyết đang chờ cơ quan khác xác minh thông tin."),
    State.AWAITING_PAYMENT: lambda d: _("Hồ sơ đang chờ ông/bà nộp tiền (nghĩa vụ tài chính)."),
    State.WITHDRAWN: lambda d: _("Hồ sơ đã được rút theo đề nghị của ông/bà."),
    State.STOPPED: lambda d: _("Cơ quan giải quyết đã dừng xử lý hồ sơ."),
    State.RESULT_READY: lambda d: _("Đã có kết quả, đang chờ trả cho ông/bà."),
    State.RETURNED: lambda d: _("Đã trả kết quả."),
}


def current_step(dossier: Dossier) -> str:
    """Where the dossier is now, in one sentence."""
    if dossier.state in (State.RECEIVED, State.PROCESSING):
        step = dossier.steps.filter(ended_at__isnull=True).select_related("agency").order_by("-order").first()
        doing = ROLE_DOING.get(step.role) if step else None
        if doing is None:
            return _("Hồ sơ đang được giải quyết.")
        return _("%(who)s (%(agency)s).") % {"who": doing(), "agency": step.agency.name}
    sentence = STATE_NOW.get(dossier.state)
    return sentence(dossier) if sentence else _("Hồ sơ đang được giải quyết.")


def due_time(dossier: Dossier) -> datetime | None:
    """The promised return time the citizen holds now (the rescheduled one after an apology)."""
    if dossier.state in workflow.TERMINAL_STATES or dossier.state in workflow.BEFORE_RECEPTION:
        return None
    return dossier.rescheduled_due_at or dossier.due_at


def _items_count(data: dict) -> int:
    return len(data.get("items") or [])


def _submitted(e, d, steps):
    if d.channel == 2:
        return _("Ông/bà đã nộp hồ sơ trực tuyến.")
    if d.channel == 3:
        return _("Hồ sơ được gửi qua bưu chính công ích.")
    return _("Hồ sơ được nộp tại bộ phận một cửa.")


def _received(e, d, steps):
    return _("Hồ sơ đã được tiếp nhận tại %(agency)s.") % {"agency": d.receiving_agency.name}


def _asked_completion(e, d, steps):
    n = _items_count(e.data)
    return ngettext(
        "Cán bộ đề nghị ông/bà bổ sung, hoàn thiện %(n)s giấy tờ trước khi tiếp nhận hồ sơ.",
        "Cán bộ đề nghị ông/bà bổ sung, hoàn thiện %(n)s giấy tờ trước khi tiếp nhận hồ sơ.",
        n,
    ) % {"n": n}


def _completed(e, d, steps):
    return _("Ông/bà đã bổ sung, hoàn thiện hồ sơ; hồ sơ chờ được tiếp nhận.")


def _refused(e, d, steps):
    return _("Hồ sơ không được tiếp nhận. Lý do: %(reason)s") % {"reason": e.reason}


def _forwarded(e, d, steps):
    step = steps.get(e.data.get("to_step"))
    to = ROLE_TO.get(step.role) if step else None
    if to is None:
        return _("Hồ sơ được chuyển sang bước giải quyết tiếp theo.")
    return _("Hồ sơ được chuyển cho %(who)s (%(agency)s) xem xét.") % {"who": to(), "agency": step.agency.name}


def _asked_supplement(e, d, steps):
    n = _items_count(e.data)
    return ngettext(
        "Cơ quan giải quyết đề nghị ông/bà bổ sung %(n)s giấy tờ; thời gian giải quyết tạm dừng đến khi ông/bà bổ sung.",
        "Cơ quan giải quyết đề nghị ông/bà bổ sung %(n)s giấy tờ; thời gian giải quyết tạm dừng đến khi ông/bà bổ sung.",
        n,
    ) % {"n": n}


def _supplied(e, d, steps):
    return _("Đã nhận giấy tờ bổ sung; thời gian giải quyết được tính tiếp.")


def _asked_verification(e, d, steps):
    return _("Cơ quan giải quyết đề nghị cơ quan khác xác minh thông tin; thời gian giải quyết tạm dừng trong khi chờ.")


def _verified(e, d, steps):
    return _("Đã có kết quả xác minh; hồ sơ được giải quyết tiếp.")


def _asked_payment(e, d, steps):
    text = _("Ông/bà cần nộp %(amount)s") % {"amount": money(e.data.get("amount"))}
    if e.data.get("description"):
        text += f" ({e.data['description']})"
    return text + "."


def _paid(e, d, steps):
    return _("Khoản tiền phải nộp đã được xác nhận; hồ sơ được giải quyết tiếp.")


def _paid_fees(e, d, steps):
    return _("Ông/bà đã nộp phí, lệ phí trực tuyến: %(amount)s.") % {"amount": money(e.data.get("amount"))}


def _stopped(e, d, steps):
    return _("Cơ quan giải quyết đã dừng xử lý hồ sơ. Lý do: %(reason)s") % {"reason": e.reason}


def _withdrawn(e, d, steps):
    reason = e.reason.removeprefix(WITHDRAW_PREFIX)
    return _("Hồ sơ đã được rút theo đề nghị của ông/bà. Lý do: %(reason)s") % {"reason": reason}


def _finished(e, d, steps):
    return _("Đã có kết quả giải quyết hồ sơ.")


def _returned(e, d, steps):
    method = e.data.get("method")
    if method == ReturnMethod.POST:
        return _("Kết quả đã được gửi qua bưu chính, số vận đơn %(number)s.") % {"number": e.data.get("tracking_number", "")}
    if method == ReturnMethod.ELECTRONIC:
        return _("Kết quả điện tử đã được trả; ông/bà có thể tải về ở trang này.")
    return _("Kết quả đã được trả tại bộ phận một cửa.")


def _apologised(e, d, steps):
    return _("Cơ quan giải quyết xin lỗi vì hồ sơ bị chậm và hẹn lại ngày trả kết quả: %(when)s.") % {
        "when": when(_parse_iso(e.data.get("new_due_at")))
    }


def _recomputed(e, d, steps):
    return _("Ngày hẹn trả được điều chỉnh theo lịch ngày nghỉ, ngày làm bù: %(when)s.") % {
        "when": when(_parse_iso(e.data.get("new_due_at")))
    }


SENTENCES = {
    "submit": _submitted,
    "receive": _received,
    "request_completion": _asked_completion,
    "complete": _completed,
    "refuse": _refused,
    "forward": _forwarded,
    "request_supplement": _asked_supplement,
    "supply_supplement": _supplied,
    "request_verification": _asked_verification,
    "answer_verification": _verified,
    "request_payment": _asked_payment,
    "confirm_payment": _paid,
    "pay_fees": _paid_fees,
    "stop": _stopped,
    "withdraw": _withdrawn,
    "finish": _finished,
    "return_result": _returned,
    "apologise": _apologised,
    "recompute_due": _recomputed,
}


@dataclass(frozen=True)
class Moment:
    at: str
    text: str


def timeline(dossier: Dossier) -> list[Moment]:
    """Every event of the dossier as a dated sentence, oldest first."""
    steps = {s.order: s for s in dossier.steps.select_related("agency").order_by("order", "started_at")}
    out = []
    for event in dossier.events.order_by("seq"):
        sentence = SENTENCES.get(event.action)
        text = sentence(event, dossier, steps) if sentence else _("Hồ sơ được cập nhật.")
        out.append(Moment(when(event.at), text))
    return out
