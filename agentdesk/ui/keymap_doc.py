"""Print docs/keymap.md, generated from the desk's bindings.

    python -m agentdesk.ui.keymap_doc > docs/keymap.md

A test checks that the committed file is current, so the table never drifts
from the code.
"""

from __future__ import annotations

import sys

from agentdesk.ui.keymap import GROUPS, OTHER_KEYS, display_keys

HEADER = """# Keys of the agent desk

Generated from the bindings by `python -m agentdesk.ui.keymap_doc` (`make keymap`);
do not edit by hand.

Every binding has an **id**. Remap keys in the `[keymap]` table of the config
file (`agentdesk config path`; see docs/configuration.md), several keys
separated by commas: `offer-accept = "f2,ctrl+a"`.
A key is `[modifier+]...name`: modifiers `ctrl`, `shift`, `alt`, `meta`,
`super`, `hyper`; the name a single character (`a`, `/`, `?`) or a key name
Textual knows (`f1`-`f24`, `escape`, `enter`, `tab`, `space`, `backspace`,
`up`, `pageup`, `home`, `slash`, `comma`, ...). The hints on screen (the footer,
the offer bar, F1 help) show the keys you set.
Bad entries are reported when the desk starts and left out, so those bindings
keep their default keys: an unknown id (with the id you probably meant), an
empty value, or a key that is not one (`banana`, `nonsense+key+x`).
The F-keys work while the composer has focus. The keys inside widgets and
dialogs (last section) have ids too, in their source, and are remapped the
same way.
"""


def render() -> str:
    out = [HEADER]
    for title, bindings in GROUPS:
        out.append(f"\n## {title}\n\n| key | action | id |\n|---|---|---|")
        for b in bindings:
            keys = display_keys(b.key).replace("|", "\\|")
            out.append(f"| `{keys}` | {b.description} | `{b.id}` |")
        for group, keys, what in OTHER_KEYS:
            if group == title:
                out.append(f"| `{keys}` | {what} | (widget) |")
    out.append(
        "\n## Inside widgets\n\n"
        "The conversation widgets have their own keys (composer: enter / shift+enter / "
        "ctrl+t note / `/` canned / ctrl+e editor; timeline: arrows, page keys, r retry; "
        "suggestions: 1-3 insert, p preview; link picker: enter choose, escape cancel; "
        "link confirmation: y open, n / escape cancel; customer panel: c call the customer "
        "shown, id `customer-dial`); see their module docstrings under "
        "`agentdesk/ui/widgets/`."
    )
    return "\n".join(out) + "\n"


def main() -> int:
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
