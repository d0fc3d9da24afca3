"""Issue 14 item 16: plain `agentdesk` is the desk, so the desk's options work
without the `desk` subcommand (as the README says)."""

from __future__ import annotations

import os
import subprocess
import sys

from agentdesk.cli.dispatch import with_default_command
from agentdesk.cli.parser import build_parser


def parse(*argv: str):
    return build_parser().parse_args(with_default_command(list(argv)))


def test_desk_options_without_the_subcommand_are_the_desks():
    args = parse("--server", "http://cc.example:8080")
    assert args.command == "desk" and args.server == "http://cc.example:8080"
    args = parse("--debug", "--server", "http://cc.example")
    assert args.command == "desk" and args.debug and args.server == "http://cc.example"


def test_subcommands_and_top_level_flags_are_untouched():
    assert parse("demo").command == "demo"
    assert parse("--debug", "monitor").command == "monitor"
    assert with_default_command(["--version"]) == ["--version"]
    assert with_default_command([]) == []


def test_server_option_without_subcommand_end_to_end():
    proc = subprocess.run([sys.executable, "-m", "agentdesk", "--server", "http://127.0.0.1:9", "--help"],
                          capture_output=True, text=True, timeout=60, env=dict(os.environ),
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    assert "invalid choice" not in proc.stderr
    assert "usage: agentdesk desk" in proc.stdout
