"""The manual: docs/steps.md is what `sluice steps --markdown` prints today, and every relative
link in README.md and docs/*.md leads to a file that exists and, for an #anchor, to one of its
headings (GitHub's anchors: lowercase, punctuation dropped, spaces to '-', '-1' for a repeat)."""
import os
import re
import subprocess
from pathlib import Path

from conftest import BIN, REPO

MANUAL = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")


def prose(text: str) -> str:
    """The text with fenced code blocks blanked and inline code spans removed, lines kept in
    place (a link's text may run over a line break)."""
    out, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            out.append("")
        else:
            out.append("" if fenced else CODE_SPAN.sub("", line))
    return "\n".join(out)


def links(path: Path):
    """(line number, target) of every Markdown link outside code."""
    text = prose(path.read_text(encoding="utf-8"))
    for m in LINK.finditer(text):
        yield text.count("\n", 0, m.start()) + 1, m.group(1)


def anchors(path: Path):
    seen = {}
    for _, line in prose_lines_keeping_code(path):
        m = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        slug = re.sub(r"[^\w\- ]", "", m.group(2).lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        yield slug if n == 0 else f"{slug}-{n}"


def prose_lines_keeping_code(path: Path):
    fenced = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            yield number, line


def generated(tmp_path):
    """docs/steps.md and docs/triggers.md as scripts/generate-docs.sh writes them now."""
    steps, triggers = tmp_path / "steps.md", tmp_path / "triggers.md"
    subprocess.run([str(REPO / "scripts" / "generate-docs.sh"), str(steps), str(triggers)], check=True,
                   env={**os.environ, "SLUICE_BIN": BIN})
    return steps.read_text(encoding="utf-8"), triggers.read_text(encoding="utf-8")


def test_steps_reference_is_what_sluice_steps_prints(tmp_path):
    fresh, _ = generated(tmp_path)
    committed = (REPO / "docs" / "steps.md").read_text(encoding="utf-8")
    assert "#### `csv` (extract)" in committed
    assert fresh == committed, \
        "docs/steps.md is stale: run `swift build && scripts/generate-docs.sh` and commit docs/steps.md"


def test_triggers_reference_is_what_sluice_triggers_prints(tmp_path):
    _, fresh = generated(tmp_path)
    committed = (REPO / "docs" / "triggers.md").read_text(encoding="utf-8")
    for key in ("inbox", "manual", "schedule", "after", "event"):
        assert f"### `{key}`" in committed
    assert fresh == committed, \
        "docs/triggers.md is stale: run `swift build && scripts/generate-docs.sh` and commit docs/triggers.md"


def test_every_relative_link_leads_to_a_file_and_heading():
    broken = []
    for doc in MANUAL:
        for number, target in links(doc):
            if re.match(r"^[a-z]+:", target):
                continue  # https:, mailto:
            file, _, anchor = target.partition("#")
            dest = (doc.parent / file).resolve() if file else doc
            where = f"{doc.relative_to(REPO)}:{number}: {target}"
            if not dest.exists():
                broken.append(f"{where}: no file {file}")
            elif anchor and (dest.suffix != ".md" or anchor not in set(anchors(dest))):
                broken.append(f"{where}: no heading #{anchor} in {dest.relative_to(REPO)}")
    assert not broken, "broken links:\n" + "\n".join(broken)


def test_the_readme_links_every_reference_page():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for page in sorted((REPO / "docs").glob("*.md")):
        assert f"](docs/{page.name}" in readme, f"README.md does not link docs/{page.name}"


def test_the_readme_starts_with_the_two_commands():
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[:5] == ["# Sluice", "", "```", "make run", "make test"] and lines[5] == "```"


def test_the_link_checker_sees_a_broken_link(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Titre: un essai\n\n[ok](#titre-un-essai) [ko](#titre) `[code](nowhere.md)`\n"
                    "```\n[fenced](nowhere.md)\n```\n[sur deux\nlignes](autre.md)\n## Titre: un essai\n",
                    encoding="utf-8")
    assert list(anchors(page)) == ["titre-un-essai", "titre-un-essai-1"]
    assert list(links(page)) == [(3, "#titre-un-essai"), (3, "#titre"), (7, "autre.md")]
