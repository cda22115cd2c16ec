"""The README and docs/ a newcomer reads after cloning: every file they name is in the clone
(nothing under ../shared or another machine's path), and every `make` target they name exists."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TOP = {p.name for p in ROOT.iterdir()} - {"node_modules", ".git", ".venv", "var"}


def named_paths(text: str) -> set[str]:
    """Paths in `code` or in markdown links that start at the repository's root."""
    found = set(re.findall(r"`([^`\s]+)`", text)) | set(re.findall(r"\]\(([^)\s]+)\)", text))
    paths = set()
    for item in found:
        item = item.split("#")[0].split("?")[0].rstrip(".,;:")
        if item.startswith(("http://", "https://", "/")) or not item:
            continue
        if item.split("/")[0] in TOP or item.startswith("../"):
            paths.add(item)
    return paths


def named_targets(text: str) -> set[str]:
    """`make x` in code, or a command line of a code block ("    make bench ...")."""
    return set(re.findall(r"(?:`|^\s*)make ([a-z][a-z-]*)", text, re.M))


def make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M))


def test_every_file_the_docs_name_is_in_the_clone():
    missing = []
    for doc in TEXTS:
        text = doc.read_text()
        assert "../shared" not in text and "/work/" not in text, doc.name
        for path in named_paths(text):
            if "*" in path or "<" in path:
                continue
            if not (ROOT / path).exists():
                missing.append(f"{doc.name}: {path}")
    assert missing == []


def test_every_make_target_the_docs_name_exists():
    targets = make_targets()
    assert {"run", "test", "setup"} <= targets
    package = json.loads((ROOT / "package.json").read_text())
    texts = [doc.read_text() for doc in TEXTS] + [json.dumps(package, ensure_ascii=False)]
    named = {t for text in texts for t in named_targets(text)}
    assert named and named - targets == set()


def test_the_checks_see_a_missing_file_and_a_missing_target():
    assert named_targets("Installed by `make assets`; to make every page fast:\n    make bench") == {"assets", "bench"}
    assert named_paths("see `docs/nothing.md` and [x](../shared/SPEC.md), not `lib/http.py`") == {
        "docs/nothing.md",
        "../shared/SPEC.md",
    }
