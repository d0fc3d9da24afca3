"""The `agentdesk` command line: one module per command group.

    dispatch.py     parse, dispatch to a handler, one line instead of a traceback
    parser.py       every command's options (light: no handler is imported to parse)
    connection.py   server, user, backend and token for the commands that sign in
    desk.py         `desk` and `monitor` against a real server
    demo.py         `demo`: a simulated contact center and the desk or the monitor
    credentials.py  `login`, `logout`
    config_cmd.py   `config path|show`
    report.py       `report`: today's interval report
    export.py       `export`: interactions and their events as JSON lines
    mock_server.py  `mock-server`
    kb.py           `kb import|search|rebuild`
    serve.py        `serve`: the desk or the monitor in a browser

The handlers build Textual apps only through agentdesk/ui (the layer below);
everything here imports without Textual.
"""

from agentdesk.cli.dispatch import main

__all__ = ["main"]
