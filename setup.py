"""Package list only; everything else is in pyproject.toml.

The built-in themes live in the top-level themes/ folder (one TOML file per
theme) and are installed as the package data `agentdesk.builtin_themes`
(agentdesk/theme_files.py). pyproject.toml cannot add a package mapped from
another folder to an automatic package search, so this file does.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["agentdesk", "agentdesk.*"]), "agentdesk.builtin_themes"],
    package_dir={"agentdesk.builtin_themes": "themes"},
)
