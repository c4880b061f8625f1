"""Telling a database that is briefly out of reach (restarting, failing over, too many connections, a
deadlock) from a failure of ours: the first gets 503 with Retry-After and words that say "send it again",
the second the usual 500 with an incident id."""

from django.db import DatabaseError, InterfaceError

RETRY_AFTER_SECONDS = 5

# SQLSTATE classes and codes that mean "try again shortly": connection exceptions (08), operator
# intervention such as a shutdown, a server still starting or a cancelled statement (57), too many
# connections (53300), serialization failures and deadlocks (40001, 40P01).
TRANSIENT_CLASSES = ("08", "57")
TRANSIENT_CODES = frozenset({"53300", "40001", "40P01"})

UNAVAILABLE_MESSAGE = (
    "Hệ thống tạm thời không kết nối được cơ sở dữ liệu (thường chỉ trong vài giây, khi máy chủ khởi động "
    "lại). Yêu cầu có thể chưa được thực hiện: hãy gửi lại sau {seconds} giây."
)


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` says the database could not be reached or asked for a retry, rather than a bug."""
    if isinstance(exc, InterfaceError):  # the connection was already closed under us
        return True
    if not isinstance(exc, DatabaseError):
        return False
    cause = exc.__cause__
    state = getattr(cause, "sqlstate", None)
    if state:
        return state.startswith(TRANSIENT_CLASSES) or state in TRANSIENT_CODES
    module = type(cause).__module__ or ""
    if module.startswith("psycopg"):  # no SQLSTATE: could not connect, or the connection broke
        return type(cause).__name__ in ("OperationalError", "InterfaceError")
    return str(cause) == "database is locked"  # SQLite: another writer held the file past the busy timeout
