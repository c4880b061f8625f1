"""How feedback (PAKN) is handled, as data: from which states each action is allowed, where it leads,
who may do it and what it needs. feedback/handling.py enforces it; the desk shows its buttons from it.

    received → assigned → drafted → approved → answered → closed
    forwarded to another unit: back to received there (with the reason)
    a draft sent back: drafted → assigned
    the citizen: satisfied → closed; not satisfied → may reopen once (re-raised) → received
"""

from dataclasses import dataclass

from motcua.org.roles import Role

from .models import Feedback

S = Feedback.State
HEADS = frozenset({Role.HEAD_OF_AGENCY, Role.HEAD_OF_DIVISION})
DISPATCHERS = HEADS | {Role.UNIT_ADMIN, Role.ONE_STOP_OFFICER}
DRAFTERS = HEADS | {Role.SPECIALIST}
SENDERS = HEADS | {Role.CLERK, Role.ONE_STOP_OFFICER}
CITIZEN = "citizen"  # the holder of the feedback code, from the public follow page


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset
    target: str | None  # None: the state does not change
    roles: frozenset
    requires: tuple = ()

    def allows(self, state: str) -> bool:
        return state in self.sources


TRANSITIONS = [
    Transition("assign", "Giao xử lý", frozenset({S.RECEIVED, S.ASSIGNED}), S.ASSIGNED, DISPATCHERS, ("assignee",)),
    Transition("forward", "Chuyển đơn vị khác", frozenset({S.RECEIVED, S.ASSIGNED}), S.RECEIVED, DISPATCHERS,
               ("agency", "reason")),
    Transition("draft", "Dự thảo trả lời", frozenset({S.ASSIGNED, S.DRAFTED}), S.DRAFTED, DRAFTERS, ("answer",)),
    Transition("send_back", "Trả lại dự thảo", frozenset({S.DRAFTED}), S.ASSIGNED, HEADS, ("reason",)),
    Transition("approve", "Duyệt trả lời", frozenset({S.DRAFTED}), S.APPROVED, HEADS),
    Transition("answer", "Gửi trả lời", frozenset({S.APPROVED}), S.ANSWERED, SENDERS),
    Transition("close", "Kết thúc", frozenset({S.ANSWERED}), S.CLOSED, DISPATCHERS),
    Transition("publish", "Công khai hỏi đáp", frozenset({S.ANSWERED, S.CLOSED}), None, HEADS,
               ("public_question", "public_answer")),
    Transition("unpublish", "Thôi công khai", frozenset({S.ANSWERED, S.CLOSED}), None, HEADS),
    Transition("rate", "Đánh giá trả lời", frozenset({S.ANSWERED}), None, frozenset({CITIZEN}), ("rating",)),
    Transition("reopen", "Phản ánh lại", frozenset({S.ANSWERED, S.CLOSED}), S.RECEIVED, frozenset({CITIZEN}),
               ("reason",)),
]
BY_ACTION = {t.action: t for t in TRANSITIONS}
OPEN_STATES = frozenset({S.RECEIVED, S.ASSIGNED, S.DRAFTED, S.APPROVED})


def get(action: str) -> Transition | None:
    return BY_ACTION.get(action)
