"""docs/rules.md is generated from the code: it must equal a fresh run, byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
SCRIPT = BASE_DIR / "scripts" / "generate_rules_doc.py"
COMMITTED = BASE_DIR / "docs" / "rules.md"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_generated_doc_equals_the_committed_one(tmp_path):
    output = tmp_path / "rules.md"
    result = run("--output", str(output))
    assert result.returncode == 0, result.stderr
    assert output.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8"), (
        "docs/rules.md is out of date: run python scripts/generate_rules_doc.py"
    )


def test_generation_is_reproducible(tmp_path):
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    assert run("--output", str(first)).returncode == 0
    assert run("--output", str(second)).returncode == 0
    assert first.read_bytes() == second.read_bytes()


def test_check_flag_passes_on_the_committed_doc_and_fails_on_a_stale_one(tmp_path):
    assert run("--check").returncode == 0
    stale = tmp_path / "rules.md"
    stale.write_text(COMMITTED.read_text(encoding="utf-8") + "\nhand edit\n", encoding="utf-8")
    result = run("--check", "--output", str(stale))
    assert result.returncode == 1
    assert "out of date" in result.stdout
    assert stale.read_text(encoding="utf-8").endswith("hand edit\n")  # --check writes nothing


def test_doc_shows_a_refusal_in_both_languages():
    text = COMMITTED.read_text(encoding="utf-8")
    assert "Tidligst 4. februar 2026: fristen i purringen løper til og med 3. februar 2026" in text
    assert "Earliest 4 February 2026: the deadline in the reminder runs until" in text
