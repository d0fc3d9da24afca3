"""Everything outside agentdesk.ui must import without Textual (DESIGN.md section 1)."""

import subprocess
import sys

import pytest

HEADLESS = [
    "agentdesk.domain",
    "agentdesk.protocol",
    "agentdesk.backends",
    "agentdesk.store",
    "agentdesk.desk",
    "agentdesk.backend_choice",
    "agentdesk.kb",
    "agentdesk.mockserver",
    "agentdesk.cli",
    "agentdesk.config",
    "agentdesk.credentials",
    "agentdesk.logging_setup",
    "agentdesk.theme_files",
    "agentdesk.testing",
]


def _all_modules(package: str) -> list[str]:
    import importlib
    import pkgutil

    pkg = importlib.import_module(package)
    names = [package]
    if not hasattr(pkg, "__path__"):  # a plain module
        return names
    for info in pkgutil.walk_packages(pkg.__path__, prefix=package + "."):
        names.append(info.name)
    return names


@pytest.mark.parametrize("package", HEADLESS)
def test_package_imports_without_textual(package: str) -> None:
    modules = _all_modules(package)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{package} pulled in Textual: {out.stdout.strip()}"
