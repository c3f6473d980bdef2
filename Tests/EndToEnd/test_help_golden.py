"""The command line's face: `sluice --help` and every command's `--help` (nested ones too, such
as `template preview`) are exactly the committed files in golden/help/, and a few typical
invocations exit with the documented codes. A deliberate change of a help text is recorded by
running this file once with SLUICE_UPDATE_GOLDEN=1, then reviewing the diff of golden/help/."""
import os
import subprocess
from pathlib import Path

import pytest

from conftest import BIN

GOLDEN = Path(__file__).resolve().parent / "golden" / "help"
UPDATE = os.environ.get("SLUICE_UPDATE_GOLDEN") == "1"


def environment():
    """No SLUICE_* variable, no colour, a fixed width: the help reads the same on every machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLUICE_") and k not in ("NO_COLOR", "LINES")}
    env.update(TZ="UTC", COLUMNS="100")
    return env


def sluice(*args, cwd=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=environment(), timeout=60, cwd=cwd)


def help_text(path):
    p = sluice(*path, "--help")
    assert p.returncode == 0, f"sluice {' '.join(path)} --help exited {p.returncode}\n{p.stderr}"
    return p.stdout


def listed_subcommands(text):
    """The command names under SUBCOMMANDS: of a help text (`help` is ArgumentParser's own)."""
    if "SUBCOMMANDS:" not in text:
        return []
    names = []
    for line in text.split("SUBCOMMANDS:")[1].splitlines():
        if not line.strip():
            if names:
                break
            continue
        if line.startswith("  ") and not line.startswith("   "):
            name = line.split()[0]
            if name not in ("help", "See"):
                names.append(name)
    return names


def commands():
    """Every command path, the root first, found by walking the help texts."""
    found, queue = [], [()]
    while queue:
        path = queue.pop(0)
        found.append(path)
        queue.extend((*path, name) for name in listed_subcommands(help_text(path)))
    return found


def golden_file(path):
    return GOLDEN / (("-".join(path) if path else "sluice") + ".txt")


COMMANDS = commands()


def test_the_walk_finds_the_root_every_command_and_the_nested_ones():
    names = {" ".join(p) for p in COMMANDS}
    assert {"", "validate", "run", "serve", "template", "template preview"} <= names, names


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "sluice")
def test_help_matches_its_golden_file(path):
    text = help_text(path)
    golden = golden_file(path)
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
        return
    command = " ".join(("sluice", *path))
    assert golden.exists(), (
        f"no golden file {golden} for `{command} --help`; "
        f"run this test with SLUICE_UPDATE_GOLDEN=1 to write it, then commit it")
    expected = golden.read_text(encoding="utf-8")
    assert text == expected, (
        f"`{command} --help` differs from {golden}; if the change is meant, "
        f"run this test with SLUICE_UPDATE_GOLDEN=1 to rewrite the golden files and review the diff")


def test_no_golden_file_is_left_for_a_command_that_no_longer_exists():
    expected = {golden_file(p).name for p in COMMANDS}
    stale = sorted(f.name for f in GOLDEN.glob("*.txt") if f.name not in expected)
    if UPDATE:
        for name in stale:
            (GOLDEN / name).unlink()
        return
    assert stale == [], f"golden files without a command: {stale}; SLUICE_UPDATE_GOLDEN=1 removes them"


def test_show_in_a_fresh_workspace_exits_1_with_the_message_alone(tmp_path):
    # (unknown option, missing argument → 64 and `validate` → 0 are in test_cli.py.)
    (tmp_path / "pipelines").mkdir()
    p = sluice("show", "nope", "--root", str(tmp_path))
    assert p.returncode == 1 and p.stdout == "", (p.returncode, p.stdout, p.stderr)
    assert p.stderr.startswith("Error: no runs yet in ") and "USAGE" not in p.stderr.upper(), p.stderr
