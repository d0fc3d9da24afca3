"""The debug log: a rotating file in the state directory, secrets redacted. Textual-free.

Everything agentdesk logs goes through the `agentdesk` logger into
`<state dir>/agentdesk.log` (INFO; DEBUG with `--debug`). A filter rewrites
every record so bearer tokens, `token=` query parameters, passwords and
Authorization headers never reach the file, whoever logged them.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

from platformdirs import user_state_dir

REDACTED = "[redacted]"

_PATTERNS = [
    # Authorization: Bearer xyz / bearer tokens anywhere
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1" + REDACTED),
    # token=..., password=..., ?token=... in URLs and key=value text
    (re.compile(r"(?i)\b(token|password|passwd|secret|api_key)=([^&\s\"',;]+)"), r"\1=" + REDACTED),
    # "token": "...", 'password': '...' in JSON or reprs
    (re.compile(r"(?i)([\"'](?:token|password|secret)[\"']\s*:\s*[\"'])[^\"']*([\"'])"),
     r"\1" + REDACTED + r"\2"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def log_path() -> Path:
    return Path(user_state_dir("agentdesk")) / "agentdesk.log"


def setup_logging(debug: bool = False, path: Path | None = None) -> Path:
    """Send the `agentdesk` logger to the log file; returns its path."""
    path = path or log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger("agentdesk")
    for handler in list(logger.handlers):
        if getattr(handler, "_agentdesk", False):
            logger.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=5 * 1024 * 1024, backupCount=3, encoding="utf-8"
    )
    handler._agentdesk = True  # type: ignore[attr-defined]
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if debug else logging.INFO)
    logger.propagate = False
    # httpx logs request URLs (which may carry ?token=) at INFO; route them through us too.
    for name in ("httpx", "websockets"):
        lib = logging.getLogger(name)
        lib.addHandler(handler)
        lib.setLevel(logging.DEBUG if debug else logging.WARNING)
    return path
