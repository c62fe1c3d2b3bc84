"""Docs that cannot drift: every CLI command and option is in the README, and the README's
test command is the one CI runs."""
import re

import click
import typer.main

from bilat.cli.main import app
from bilat_paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> dict[str, click.Command]:
    group = typer.main.get_command(app)
    return dict(group.commands)


def test_every_command_is_documented():
    for name in commands():
        assert f"bilat {name}" in README, name


def test_every_option_is_documented():
    missing = []
    for name, command in commands().items():
        for param in command.params:
            if isinstance(param, click.Option):
                longest = max(param.opts, key=len)
                if longest != "--help" and longest not in README:
                    missing.append(f"{name} {longest}")
    assert missing == []


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test\b", README, re.M)
    assert re.search(r"^make test$", ci, re.M)
