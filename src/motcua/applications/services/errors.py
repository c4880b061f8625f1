"""The error every rule of applying online raises, with a message for the citizen."""







class ApplicationError(Exception):
    """A refusal a citizen can act on; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.problems = problems or []


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"
