"""What a fresh clone on a new machine relies on: the example workspace's folders are in the
clone, the Python tools are pinned and installed into the scripts' own virtual environment, and a
failed install is never hidden."""
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def tracked(*paths):
    p = subprocess.run(["git", "-C", str(REPO), "ls-files", "--", *paths], capture_output=True, text=True, check=True)
    return set(p.stdout.split())


def test_the_example_workspace_folders_are_in_a_clone():
    assert tracked("inbox", "outbox", "archive") == {"inbox/.gitkeep", "outbox/.gitkeep", "archive/.gitkeep"}
    # What runs leave there is not tracked.
    ignored = subprocess.run(["git", "-C", str(REPO), "check-ignore", "inbox/daily-sales/x.csv", "outbox/x/y.csv",
                              "archive/x/2026/11/21/r/run.json"], capture_output=True, text=True)
    assert len(ignored.stdout.split()) == 3


def test_every_python_tool_is_pinned():
    lines = [l.strip() for l in (REPO / "scripts" / "requirements.txt").read_text().splitlines()]
    pins = [l for l in lines if l and not l.startswith("#")]
    assert pins, "scripts/requirements.txt lists nothing"
    for l in pins:
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][A-Za-z0-9.]*", l), f"not pinned to one version: {l}"
    names = {l.split("==")[0].lower().replace("_", "-") for l in pins}
    for needed in ("pytest", "openpyxl", "croniter", "aiosmtpd", "python-calamine"):
        assert needed in names


def test_the_install_script_fails_loudly_and_uses_its_own_environment():
    script = (REPO / "scripts" / "install-deps.sh").read_text()
    code = "\n".join(l for l in script.splitlines() if not l.lstrip().startswith("#"))
    assert "set -euo pipefail" in code
    assert "|| true" not in code
    assert "python3 -m venv" in code
    # pip installs only into the virtual environment, never into the system's Python.
    installs = [l for l in re.findall(r"^.*\bpip3? install\b.*$", code, re.M) if "echo " not in l]
    assert installs and all('"$venv/bin/python" -m pip install' in l for l in installs), installs
    assert re.search(r'"\$venv/bin/python" -m pip install .*-r "\$req"', code)


def test_the_tests_run_from_that_environment():
    import sys
    assert Path(sys.prefix).resolve() == (REPO / ".venv").resolve(), f"pytest runs from {sys.prefix}, not .venv/"
