"""The README's quickstart and .ci/run must not drift apart."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _block_after(marker, text):
    m = re.search(re.escape(marker) + r"\s*```bash\n(.*?)\n```", text, re.S)
    assert m, f"README has no bash block after {marker}"
    return m.group(1).strip()


def test_ci_runs_the_readme_test_command_verbatim():
    readme = (ROOT / "README.md").read_text()
    cmd = _block_after("<!-- quickstart:test -->", readme)
    ci_lines = [
        ln.strip()
        for ln in (ROOT / ".ci" / "run").read_text().splitlines()
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    assert cmd in ci_lines, f"{cmd!r} not found in .ci/run lines {ci_lines}"


def test_demo_command_names_a_real_subcommand():
    from typer.testing import CliRunner

    from geoent.cli import app

    readme = (ROOT / "README.md").read_text()
    cmd = _block_after("<!-- quickstart:demo -->", readme)
    sub = cmd.split("&& geoent", 1)[1].split()[0]
    result = CliRunner().invoke(app, [sub, "--help"])
    assert result.exit_code == 0, result.output
