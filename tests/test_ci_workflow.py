"""Does the CI workflow a forked course gets run the README's test command?"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_the_workflow_runs_the_readmes_test_command():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    readme = (ROOT / "README.md").read_text()
    test_command = re.search(r"^(bash scripts/test\.sh)\s+#", readme, re.MULTILINE).group(1)
    steps = workflow["jobs"]["test"]["steps"]
    runs = [step.get("run", "").strip() for step in steps]
    assert test_command in runs, runs
    python = next(s for s in steps if "setup-python" in s.get("uses", ""))
    assert python["with"]["python-version"] == "3.11"  # the oldest Python the README promises
    # "on" is YAML 1.1's True: both events trigger it.
    triggers = workflow.get("on", workflow.get(True))
    assert {"push", "pull_request"} <= set(triggers)
