"""The errors every outside call may raise: try again later, or give up (retrying cannot help)."""


class DeliveryError(Exception):
    """The outside system could not be reached or answered "later" (5xx, 429, a timeout, a network
    error, an answer that is not JSON): the outbox tries again with its back-off."""


class PermanentDeliveryError(DeliveryError):
    """Retrying cannot help: a refused address, a malformed recipient, a request the system refuses (4xx)."""


class CircuitOpen(DeliveryError):
    """The host failed too often lately: no call was made (see http.CircuitBreaker)."""
