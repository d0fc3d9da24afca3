"""The debug log never contains secrets."""

import logging

import pytest

from agentdesk.logging_setup import redact, setup_logging


@pytest.fixture(autouse=True)
def _restore_loggers():
    """setup_logging reconfigures process-wide loggers; undo it for the tests that follow."""
    names = ("agentdesk", "httpx", "websockets")
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).level,
                 logging.getLogger(n).propagate) for n in names}
    yield
    for name, (handlers, level, propagate) in saved.items():
        logger = logging.getLogger(name)
        for handler in logger.handlers[:]:
            if handler not in handlers:
                logger.removeHandler(handler)
                handler.close()
        logger.setLevel(level)
        logger.propagate = propagate


def test_redact_patterns():
    assert "abc.def" not in redact("Authorization: Bearer abc.def")
    assert "s3cret" not in redact("GET /v1/events?since=4&token=s3cret HTTP/1.1")
    assert "hunter2" not in redact('{"username": "a", "password": "hunter2"}')
    assert "since=4" in redact("GET /v1/events?since=4&token=s3cret")


def test_log_file_is_redacted(tmp_path):
    path = setup_logging(debug=True, path=tmp_path / "agentdesk.log")
    log = logging.getLogger("agentdesk.backend")
    log.info("connecting ws://127.0.0.1/v1/events?token=%s", "tok-123456")
    log.debug("headers %r", {"Authorization": "Bearer tok-abcdef"})
    try:
        raise RuntimeError("login failed for password=pw-999")
    except RuntimeError:
        log.exception("boom")
    logging.getLogger("httpx").warning("HTTP Request: GET http://x/?token=tok-httpx")
    for handler in logging.getLogger("agentdesk").handlers:
        handler.flush()
    text = path.read_text()
    for secret in ("tok-123456", "tok-abcdef", "pw-999", "tok-httpx"):
        assert secret not in text
    assert "connecting" in text and "[redacted]" in text
