"""DESIGN rule 1: only simulator/tui/ imports textual; the core runs without a terminal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE_PACKAGES = ("content", "audio", "simulator")

PROBE = """
import importlib, json, sys
culprits = []
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
    if "textual" in sys.modules:
        culprits.append(name)
        break
print(json.dumps(culprits))
"""


def core_modules() -> list[str]:
    modules = []
    for package in CORE_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).with_suffix("")
            if relative.parts[:2] == ("simulator", "tui") or relative.name == "__main__":
                continue
            parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
            modules.append(".".join(parts))
    return modules


def test_core_modules_are_found() -> None:
    modules = core_modules()
    assert {"content.bank", "simulator.scoring", "simulator.cli"} <= set(modules)
    assert not any(m.startswith("simulator.tui") for m in modules)


def test_no_core_module_imports_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(core_modules())],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [], f"imports textual: {result.stdout}"


FIRST_PAINT = """
import json, sys
import simulator.cli
import simulator.tui.launch
import simulator.tui.screens.feedback, simulator.tui.screens.interview
import simulator.tui.screens.setup, simulator.tui.screens.summary
heavy = ["numpy", "rapidfuzz", "faster_whisper", "sounddevice", "simulator.scoring"]
print(json.dumps([name for name in heavy if name in sys.modules]))
"""


def test_what_the_first_screen_needs_imports_no_numpy_scoring_or_model() -> None:
    # They load in workers after the first paint (start-up, BENCHMARKS.md).
    result = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [], f"imported before the first paint: {result.stdout}"
