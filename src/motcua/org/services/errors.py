"""The errors of the organisation writers, with a message for the official."""







class OrgError(Exception):
    """A request the rules refuse; `message` is Vietnamese and says what to do instead."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class OrgForbidden(OrgError):
    """The actor may not do this here (outside his scope)."""

    status = 403
