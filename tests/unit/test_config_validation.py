"""The hand-written settings validation (agentdesk/config.py): every bad key is
reported once with file, line and dotted key, dropped, and the rest applies."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from agentdesk.cli.config_cmd import _to_toml
from agentdesk.config import (
    EVENT_DEFAULTS,
    EventNotifications,
    ServerProfile,
    Settings,
    load_settings,
)


def load(tmp_path, text: str, environ: dict[str, str] | None = None):
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path, load_settings(path, environ=environ or {})


def problem(path, line: int | None, key: str, message: str) -> str:
    where = f"{path}:{line}" if line else str(path)
    return f"{where}: {key}: {message} (using the default)"


def test_settings_defaults():
    settings = Settings()
    assert settings.default_profile is None
    assert settings.profiles == {} and settings.keymap == {}
    assert settings.ui.theme == "agentdesk-dark"
    assert settings.ui.sort_tabs_by_urgency is False and settings.ui.timezone is None
    assert settings.notifications.as_options() == EVENT_DEFAULTS
    assert settings.notifications.message == EventNotifications(bell=False, desktop=False, toast=True)
    assert Settings() is not settings and Settings().keymap is not settings.keymap


def test_a_valid_file_applies_in_full(tmp_path):
    path, loaded = load(tmp_path, 'default_profile = "prod"\n[profiles.prod]\nurl = "https://cc"\n'
                                  'user = "alice"\n[keymap]\nhelp = "f1"\n[ui]\ntimezone = "UTC"\n')
    assert loaded.problems == []
    assert loaded.settings.default_profile == "prod"
    assert loaded.settings.profiles == {"prod": ServerProfile(url="https://cc", user="alice")}
    assert loaded.settings.keymap == {"help": "f1"}
    assert loaded.settings.ui.timezone == "UTC"


def test_wrong_bool(tmp_path):
    path, loaded = load(tmp_path, '[ui]\ntheme = "agentdesk-light"\nsort_tabs_by_urgency = "maybe"\n')
    assert loaded.problems == [
        problem(path, 3, "ui.sort_tabs_by_urgency", "expected true or false, got 'maybe'")]
    assert loaded.settings.ui.theme == "agentdesk-light"
    assert loaded.settings.ui.sort_tabs_by_urgency is False


def test_wrong_string(tmp_path):
    path, loaded = load(tmp_path, 'default_profile = 5\n[ui]\ntheme = true\ntimezone = "UTC"\n')
    assert loaded.problems == [
        problem(path, 1, "default_profile", "expected a string, got 5"),
        problem(path, 3, "ui.theme", "expected a string, got true"),
    ]
    assert loaded.settings.default_profile is None
    assert loaded.settings.ui.theme == "agentdesk-dark"
    assert loaded.settings.ui.timezone == "UTC"


def test_unknown_keys_at_every_level(tmp_path):
    path, loaded = load(tmp_path, (
        'bogus = 1\n'                        # 1
        '[profiles.ok]\n'                    # 2
        'url = "http://ok"\n'                # 3
        'extra = 1\n'                        # 4
        '[notifications]\n'                  # 5
        'sound = true\n'                     # 6
        '[notifications.offer]\n'            # 7
        'bell = false\n'                     # 8
        'volume = 3\n'                       # 9
        '[ui]\n'                             # 10
        'colour = "red"\n'                   # 11
        'theme = "agentdesk-light"\n'        # 12
        '[extras]\n'                         # 13
        'a = 1\n'))                          # 14
    assert loaded.problems == [
        problem(path, 1, "bogus", "unknown setting"),
        problem(path, 4, "profiles.ok.extra", "unknown setting"),
        problem(path, 6, "notifications.sound", "unknown setting"),
        problem(path, 9, "notifications.offer.volume", "unknown setting"),
        problem(path, 11, "ui.colour", "unknown setting"),
        problem(path, 13, "extras", "unknown setting"),
    ]
    assert loaded.settings.profiles == {"ok": ServerProfile(url="http://ok")}
    assert loaded.settings.notifications.offer == EventNotifications(bell=False, desktop=True, toast=True)
    assert loaded.settings.ui.theme == "agentdesk-light"


def test_profile_without_url_is_reported_once_and_left_out(tmp_path):
    path, loaded = load(tmp_path, '[profiles.a]\nuser = "bob"\n\n[profiles.b]\nurl = "http://b"\n'
                                  '[profiles.c]\nurl = 5\n')
    assert loaded.problems == [
        problem(path, 1, "profiles.a.url", "required"),
        problem(path, 7, "profiles.c.url", "expected a string, got 5"),
    ]
    assert loaded.settings.profiles == {"b": ServerProfile(url="http://b", user=None)}


def test_bad_user_keeps_the_profile(tmp_path):
    path, loaded = load(tmp_path, '[profiles.a]\nurl = "http://a"\nuser = 7\n')
    assert loaded.problems == [problem(path, 3, "profiles.a.user", "expected a string, got 7")]
    assert loaded.settings.profiles == {"a": ServerProfile(url="http://a", user=None)}


@pytest.mark.parametrize(("text", "line", "key", "got"), [
    ('ui = "dark"\n', 2, "ui", "'dark'"),
    ('keymap = 3\n', 2, "keymap", "3"),
    ('notifications = [1, 2]\n', 2, "notifications", "a list"),
    ('[notifications]\noffer = true\n', 3, "notifications.offer", "true"),
    ('[profiles]\nprod = "http://x"\n', 3, "profiles.prod", "'http://x'"),
])
def test_not_a_table(tmp_path, text, line, key, got):
    path, loaded = load(tmp_path, 'default_profile = "kept"\n' + text)
    assert loaded.problems == [problem(path, line, key, f"expected a table, got {got}")]
    assert loaded.settings.default_profile == "kept"
    assert loaded.settings.as_dict() == Settings(default_profile="kept").as_dict()


def test_keymap_values_must_be_strings(tmp_path):
    path, loaded = load(tmp_path, '[keymap]\nhelp = "f1"\nquit = 3\nsave = ["f2"]\n')
    assert loaded.problems == [
        problem(path, 3, "keymap.quit", "expected a string, got 3"),
        problem(path, 4, "keymap.save", "expected a string, got a list"),
    ]
    assert loaded.settings.keymap == {"help": "f1"}


def test_line_is_the_key_in_its_own_table(tmp_path):
    # `theme` also appears in [keymap]; the reported line is the one under [ui].
    path, loaded = load(tmp_path, '[keymap]\ntheme = "f5"\n\n[ui]\ntheme = 5\n')
    assert loaded.problems == [problem(path, 5, "ui.theme", "expected a string, got 5")]
    assert loaded.settings.keymap == {"theme": "f5"}


def test_dotted_keys_and_inline_tables(tmp_path):
    path, loaded = load(tmp_path, 'ui.theme = 5\nnotifications.message = { bell = "x" }\n')
    assert loaded.problems == [
        problem(path, 1, "ui.theme", "expected a string, got 5"),
        problem(path, None, "notifications.message.bell", "expected true or false, got 'x'"),
    ]


def test_partial_notification_tables_keep_the_other_defaults(tmp_path):
    path, loaded = load(tmp_path, '[notifications.message]\nbell = true\n'
                                  '[notifications.offer]\ntoast = false\ndesktop = "maybe"\n')
    options = loaded.settings.notifications.as_options()
    assert options["message"] == {"bell": True, "desktop": False, "toast": True}
    assert options["offer"] == {"bell": True, "desktop": True, "toast": False}
    assert options["missed"] == EVENT_DEFAULTS["missed"] and options["error"] == EVENT_DEFAULTS["error"]
    assert loaded.problems == [
        problem(path, 5, "notifications.offer.desktop", "expected true or false, got 'maybe'")]


@pytest.mark.parametrize(("value", "expected"), [
    ("true", True), ("false", False), ("1", True), ("0", False),
    ('"yes"', True), ('"Off"', False), ('"Y"', True), ('"f"', False), ("1.0", True),
])
def test_bool_accepts_booleans_words_and_0_1(tmp_path, value, expected):
    path, loaded = load(tmp_path, f"[ui]\nsort_tabs_by_urgency = {value}\n")
    assert loaded.problems == []
    assert loaded.settings.ui.sort_tabs_by_urgency is expected


@pytest.mark.parametrize(("value", "got"), [
    ("2", "2"), ("0.5", "0.5"), ('"maybe"', "'maybe'"), ('" yes"', "' yes'"), ('""', "''"),
    ("[true]", "a list"), ("{}", "a table"), ("2024-01-01", "2024-01-01"),
])
def test_bool_rejects_the_rest(tmp_path, value, got):
    path, loaded = load(tmp_path, f"[ui]\nsort_tabs_by_urgency = {value}\n")
    assert loaded.problems == [
        problem(path, 2, "ui.sort_tabs_by_urgency", f"expected true or false, got {got}")]


@pytest.mark.parametrize(("value", "got"), [("1", "1"), ("false", "false"), ("1.5", "1.5")])
def test_string_rejects_numbers_and_booleans(tmp_path, value, got):
    path, loaded = load(tmp_path, f"[ui]\ntheme = {value}\n")
    assert loaded.problems == [problem(path, 2, "ui.theme", f"expected a string, got {got}")]


def test_environment_overrides_nested_keys(tmp_path):
    path, loaded = load(tmp_path, '[notifications.message]\ndesktop = true\n[ui]\ntheme = "a"\n', {
        "AGENTDESK_NOTIFICATIONS__MESSAGE__BELL": "yes",
        "AGENTDESK_NOTIFICATIONS__OFFER__TOAST": "off",
        "AGENTDESK_PROFILES__LAB__URL": "http://lab",
        "AGENTDESK_KEYMAP__HELP": "f1",
        "AGENTDESK_UI__TIMEZONE": "Europe/Prague",
        "AGENTDESK_PROFILE": "lab",
        "OTHER_VAR": "ignored",
    })
    settings = loaded.settings
    assert loaded.problems == []
    assert settings.notifications.message == EventNotifications(bell=True, desktop=True, toast=True)
    assert settings.notifications.offer == EventNotifications(bell=True, desktop=True, toast=False)
    assert settings.profiles == {"lab": ServerProfile(url="http://lab")}
    assert settings.keymap == {"help": "f1"}
    assert settings.ui.timezone == "Europe/Prague" and settings.ui.theme == "a"
    assert settings.default_profile == "lab"


def test_environment_text_for_a_string_field_is_kept_as_typed(tmp_path):
    # "on" and "1" are boolean words for bool fields, but a theme or a profile
    # name given in the environment is taken as the text.
    _, loaded = load(tmp_path, "", {"AGENTDESK_UI__THEME": "on", "AGENTDESK_PROFILE": "1"})
    assert loaded.problems == []
    assert loaded.settings.ui.theme == "on" and loaded.settings.default_profile == "1"


def test_bad_environment_values_are_reported_without_a_line(tmp_path):
    path, loaded = load(tmp_path, '[ui]\ntheme = "agentdesk-light"\n', {
        "AGENTDESK_UI__SORT_TABS_BY_URGENCY": "maybe",
        "AGENTDESK_UI__NOPE": "1",
        "AGENTDESK_PROFILES__LAB__USER": "bob",
    })
    assert sorted(loaded.problems) == sorted([
        problem(path, None, "ui.sort_tabs_by_urgency", "expected true or false, got 'maybe'"),
        problem(path, None, "ui.nope", "unknown setting"),
        problem(path, None, "profiles.lab.url", "required"),
    ])
    assert loaded.settings.ui.theme == "agentdesk-light"
    assert loaded.settings.profiles == {}


def test_unreadable_and_undecodable_files_give_defaults(tmp_path):
    directory = tmp_path / "dir.toml"
    directory.mkdir()
    loaded = load_settings(directory, environ={})
    assert len(loaded.problems) == 1
    assert loaded.problems[0].startswith(f"{directory}: cannot read: ")
    assert loaded.problems[0].endswith("(using defaults)")
    latin = tmp_path / "latin.toml"
    latin.write_bytes('[ui]\ntheme = "caf\xe9"\n'.encode("latin-1"))
    loaded = load_settings(latin, environ={})
    assert len(loaded.problems) == 1 and f"{latin}: cannot read: " in loaded.problems[0]
    assert loaded.settings == Settings()


def test_config_show_data_reads_back(tmp_path):
    path, loaded = load(tmp_path, 'default_profile = "p"\n[profiles.p]\nurl = "http://p"\n'
                                  '[keymap]\n"ctrl key" = "x"\n[notifications.error]\nbell = true\n')
    shown = _to_toml(loaded.settings.as_dict())
    path.write_text(shown)
    again = load_settings(path, environ={})
    assert again.problems == [] and again.settings == loaded.settings
    assert tomllib.loads(shown)["notifications"]["error"] == {"bell": True, "desktop": False, "toast": True}


def test_importing_config_loads_neither_pydantic_nor_importlib_metadata():
    # Start-up time: pydantic cost ~60 ms before the first frame (docs/benchmarks.md).
    out = subprocess.run(
        [sys.executable, "-c", "import agentdesk.config, sys; "
         "print('pydantic' in sys.modules, 'importlib.metadata' in sys.modules)"],
        capture_output=True, text=True, check=True,
    )
    assert out.stdout.split() == ["False", "False"]
