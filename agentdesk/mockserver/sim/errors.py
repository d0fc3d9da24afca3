"""Errors the simulation raises for refused commands; the app maps them to HTTP."""

from __future__ import annotations


class SimError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(SimError):
    status = 404
    code = "not_found"


class Conflict(SimError):
    status = 409
    code = "conflict"


class Invalid(SimError):
    status = 422
    code = "invalid"


class Refused(Conflict):
    """A calling rule or capacity refused the command: 409 with its own code
    (`dnc`, `outside_calling_window`, `no_capacity`), the message in plain words."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
