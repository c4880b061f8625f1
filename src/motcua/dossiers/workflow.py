"""The transition table: every way a dossier may move, as data.

Services check it, the API lists the allowed actions from it, the tests are generated from it, and
`docs/workflow.md` is printed from it (`python -m motcua workflow-doc`).
"""

from enum import StrEnum

from motcua.org.roles import Role
from motcua.workflow.table import Table, Transition

from .models import State

# The applicant acting on the citizen portal (issue: portal). Staff act for applicants at the counter.
APPLICANT = "applicant"

# Internal state → DVCQG status code (TrangThaiHoSo, §5.1). Verification keeps code 4: the national portal
# has no code for waiting on another agency.
NATIONAL_STATUS: dict[str, int | None] = {
    State.DRAFT: None,
    State.SUBMITTED: 1,
    State.AWAITING_COMPLETION: 5,
    State.REFUSED: 3,
    State.RECEIVED: 2,
    State.PROCESSING: 4,
    State.AWAITING_SUPPLEMENT: 5,
    State.AWAITING_VERIFICATION: 4,
    State.AWAITING_PAYMENT: 6,
    State.WITHDRAWN: 7,
    State.STOPPED: 8,
    State.RESULT_READY: 9,
    State.RETURNED: 10,
}

PAUSED_STATES = frozenset({State.AWAITING_SUPPLEMENT, State.AWAITING_VERIFICATION, State.AWAITING_PAYMENT})
# Received and counting: the clock runs (overdue means something only here).
CLOCK_RUNNING_STATES = frozenset({State.RECEIVED, State.PROCESSING})
# Received and not finished: the promised date applies (the paused ones wait to be moved).
RUNNING_STATES = CLOCK_RUNNING_STATES | PAUSED_STATES
TERMINAL_STATES = frozenset({State.REFUSED, State.WITHDRAWN, State.STOPPED, State.RETURNED})
BEFORE_RECEPTION = frozenset({State.DRAFT, State.SUBMITTED, State.AWAITING_COMPLETION})

ONE_STOP = Role.ONE_STOP_OFFICER
POSTAL = Role.POSTAL_AGENT
SPECIALIST = Role.SPECIALIST
HEAD_DIV = Role.HEAD_OF_DIVISION
HEAD = Role.HEAD_OF_AGENCY
CLERK = Role.CLERK
# Roles that act where the dossier was received; all others act at the competent authority.
RECEPTION_ROLES = frozenset({ONE_STOP, POSTAL})


def _t(action, label, sources, target, roles, requires=()):
    code = NATIONAL_STATUS[target] if target else None
    return Transition(action, label, frozenset(sources), target, frozenset(roles), tuple(requires), code)


TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", "Nộp hồ sơ", {State.DRAFT}, State.SUBMITTED, {APPLICANT, ONE_STOP, POSTAL}),
    _t("receive", "Tiếp nhận hồ sơ (Mẫu 01)", {State.SUBMITTED}, State.RECEIVED, {ONE_STOP, POSTAL}),
    _t(
        "request_completion",
        "Yêu cầu bổ sung, hoàn thiện trước khi tiếp nhận (Mẫu 02)",
        {State.SUBMITTED},
        State.AWAITING_COMPLETION,
        {ONE_STOP, POSTAL},
        ("items",),
    ),
    _t(
        "complete",
        "Nộp bổ sung để được tiếp nhận",
        {State.AWAITING_COMPLETION},
        State.SUBMITTED,
        {APPLICANT, ONE_STOP, POSTAL},
    ),
    _t(
        "refuse",
        "Từ chối tiếp nhận (Mẫu 03)",
        {State.SUBMITTED, State.AWAITING_COMPLETION},
        State.REFUSED,
        {ONE_STOP, POSTAL},
        ("reason",),
    ),
    _t(
        "forward",
        "Chuyển bước xử lý",
        {State.RECEIVED, State.PROCESSING},
        State.PROCESSING,
        {ONE_STOP, SPECIALIST, HEAD_DIV, HEAD, CLERK},
    ),
    _t(
        "request_supplement",
        "Yêu cầu bổ sung hồ sơ trong khi xử lý (Mẫu 02)",
        {State.PROCESSING},
        State.AWAITING_SUPPLEMENT,
        {ONE_STOP, SPECIALIST, HEAD_DIV, HEAD},
        ("items",),
    ),
    _t(
        "supply_supplement",
        "Nhận hồ sơ bổ sung",
        {State.AWAITING_SUPPLEMENT},
        State.PROCESSING,
        {APPLICANT, ONE_STOP, POSTAL},
    ),
    _t(
        "request_verification",
        "Đề nghị cơ quan khác xác minh",
        {State.PROCESSING},
        State.AWAITING_VERIFICATION,
        {SPECIALIST, HEAD_DIV, HEAD},
        ("agency", "question"),
    ),
    _t(
        "answer_verification",
        "Ghi nhận kết quả xác minh",
        {State.AWAITING_VERIFICATION},
        State.PROCESSING,
        {SPECIALIST, HEAD_DIV, HEAD, ONE_STOP},
        ("answer",),
    ),
    _t(
        "request_payment",
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        {State.PROCESSING},
        State.AWAITING_PAYMENT,
        {SPECIALIST, HEAD_DIV, ONE_STOP, CLERK},
        ("amount",),
    ),
    _t(
        "confirm_payment",
        "Xác nhận đã thực hiện nghĩa vụ tài chính",
        {State.AWAITING_PAYMENT},
        State.PROCESSING,
        {ONE_STOP, CLERK},
    ),
    _t(
        "stop",
        "Dừng xử lý hồ sơ",
        {State.RECEIVED, State.PROCESSING} | PAUSED_STATES,
        State.STOPPED,
        {HEAD_DIV, HEAD},
        ("reason",),
    ),
    _t(
        "withdraw",
        "Rút hồ sơ theo đề nghị của người nộp",
        {State.SUBMITTED, State.AWAITING_COMPLETION, State.RECEIVED, State.PROCESSING} | PAUSED_STATES,
        State.WITHDRAWN,
        {APPLICANT, ONE_STOP, POSTAL},
        ("reason",),
    ),
    _t("finish", "Hoàn thành, có kết quả", {State.PROCESSING}, State.RESULT_READY, {HEAD, CLERK, HEAD_DIV}),
    _t(
        "return_result",
        "Trả kết quả",
        {State.RESULT_READY},
        State.RETURNED,
        {ONE_STOP, POSTAL},
        ("method",),
    ),
    # Not while paused: the due time is not known until the pause ends.
    _t(
        "apologise",
        "Xin lỗi và hẹn lại ngày trả (Mẫu 04)",
        {State.RECEIVED, State.PROCESSING},
        None,
        {HEAD, HEAD_DIV, ONE_STOP},
        ("reason", "new_due_at"),
    ),
)

TABLE = Table(TRANSITIONS)


class DossierAction(StrEnum):
    """Every kind of dossier event, in one place (Saleor's OrderEvents shape): each move of the table, and
    the two events written outside it (fees paid online; a due time recomputed after a holiday change).
    Every map keyed by action names all of them or says which it leaves out (tests/dossiers/test_action_maps.py)."""

    SUBMIT = "submit"
    RECEIVE = "receive"
    REQUEST_COMPLETION = "request_completion"
    COMPLETE = "complete"
    REFUSE = "refuse"
    FORWARD = "forward"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLY_SUPPLEMENT = "supply_supplement"
    REQUEST_VERIFICATION = "request_verification"
    ANSWER_VERIFICATION = "answer_verification"
    REQUEST_PAYMENT = "request_payment"
    CONFIRM_PAYMENT = "confirm_payment"
    STOP = "stop"
    WITHDRAW = "withdraw"
    FINISH = "finish"
    RETURN_RESULT = "return_result"
    APOLOGISE = "apologise"
    PAY_FEES = "pay_fees"
    RECOMPUTE_DUE = "recompute_due"


# The events written outside the transition table (not moves a person chooses).
OUTSIDE_THE_TABLE = frozenset({DossierAction.PAY_FEES, DossierAction.RECOMPUTE_DUE})
assert {t.action for t in TRANSITIONS} | OUTSIDE_THE_TABLE == set(DossierAction), "DossierAction and the table differ"
BY_ACTION: dict[str, Transition] = TABLE.by_action
get = TABLE.get
actions_from = TABLE.actions_from


def national_status(state: str) -> int | None:
    return NATIONAL_STATUS.get(state)


def as_markdown() -> str:
    """The transition table and state diagram as docs/workflow.md (kept in sync by a test)."""

    def role_label(r):
        return "người nộp (cổng DVC)" if r == APPLICANT else str(Role(r).label)

    states = [(s.value, s.label, NATIONAL_STATUS[s.value] if NATIONAL_STATUS[s.value] is not None else "–")
              for s in State]
    return TABLE.markdown(
        title="Dossier workflow", source="src/motcua/dossiers/workflow.py", command="workflow-doc", states=states,
        state_heading=("States and national status codes (DVCQG TrangThaiHoSo)", "DVCQG code"), role_label=role_label,
    )
