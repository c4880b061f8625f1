"""How feedback (PAKN) is handled, as data: from which states each action is allowed, where it leads,
who may do it and what it needs. feedback/handling.py enforces it; the desk shows its buttons from it.

    received → assigned → drafted → approved → answered → closed
    forwarded to another unit: back to received there (with the reason)
    a draft sent back: drafted → assigned
    the citizen: satisfied → closed; not satisfied → may reopen once (re-raised) → received
"""

from motcua.org.roles import Role
from motcua.workflow.table import Table, Transition

from .models import Feedback

S = Feedback.State
HEADS = frozenset({Role.HEAD_OF_AGENCY, Role.HEAD_OF_DIVISION})
DISPATCHERS = HEADS | {Role.UNIT_ADMIN, Role.ONE_STOP_OFFICER}
DRAFTERS = HEADS | {Role.SPECIALIST}
SENDERS = HEADS | {Role.CLERK, Role.ONE_STOP_OFFICER}
CITIZEN = "citizen"  # the holder of the feedback code, from the public follow page


TRANSITIONS = (
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
)
TABLE = Table(TRANSITIONS)
BY_ACTION = TABLE.by_action
OPEN_STATES = frozenset({S.RECEIVED, S.ASSIGNED, S.DRAFTED, S.APPROVED})
get = TABLE.get


def as_markdown() -> str:
    """The feedback table and its diagram as docs/feedback-workflow.md (kept in sync by a test)."""

    def role_label(r):
        return "người phản ánh (trang theo dõi)" if r == CITIZEN else str(Role(r).label)

    states = [(s.value, s.label, "mở" if s.value in OPEN_STATES else "–") for s in S]
    return TABLE.markdown(
        title="Feedback (PAKN) workflow", source="src/motcua/feedback/workflow.py", command="feedback-workflow-doc",
        states=states, state_heading=("States", "đang xử lý"), role_label=role_label,
    )
