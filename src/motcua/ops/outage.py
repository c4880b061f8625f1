"""Telling a database that is briefly out of reach (restarting, failing over, too many connections, a
deadlock) from a failure of ours: the first gets 503 with Retry-After and words that say "send it again",
the second the usual 500 with an incident id."""

from django.db import DatabaseError, InterfaceError

try:
    import psycopg

    # The driver's errors without a SQLSTATE: could not connect (refused, timed out), or the connection broke.
    CONNECTION_ERRORS = (psycopg.OperationalError, psycopg.InterfaceError)
except ImportError:  # installed without the postgres extra: SQLite only
    CONNECTION_ERRORS = ()

RETRY_AFTER_SECONDS = 5

# SQLSTATEs that mean "try again shortly": connection exceptions (class 08); the server shutting down,
# crashed or still starting (57P01–57P03); too many connections (53300); serialization failures and
# deadlocks (40001, 40P01). Not a cancelled statement (57014, e.g. statement_timeout): a slow query is
# ours to fix, a 500 with an incident id.
TRANSIENT_CLASSES = ("08",)
TRANSIENT_CODES = frozenset({"57P01", "57P02", "57P03", "53300", "40001", "40P01"})

UNAVAILABLE_MESSAGE = (
    "Hệ thống tạm thời không truy cập được cơ sở dữ liệu (máy chủ đang khởi động lại hoặc đang quá tải), "
    "thường chỉ trong vài giây. Yêu cầu có thể chưa được thực hiện: hãy thử lại sau {seconds} giây."
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
    if isinstance(cause, CONNECTION_ERRORS):
        return True
    return str(cause) == "database is locked"  # SQLite: another writer held the file past the busy timeout
