"""The apps import only the apps below them, in the order written once in pyproject.toml
([tool.importlinter]): core < audit < partnership < accounts < reviews < tracker | concerns < linking
< insight < demo. import-linter (a maintained library of the field) checks the contract.

The second test shows the check has teeth: it puts back, one at a time, each of the upward imports
the codebase had before the apps were layered (issue 8), in a copy of the package, and expects the
contract to break.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# (module that would import upwards, the line it would add): one for each pair of apps that leaned
# the wrong way before the layering.
UPWARD_IMPORTS = [
    ("concerns/forms.py", "from safeguarding.tracker.forms import ActionForm"),
    ("tracker/services.py", "from safeguarding.concerns.models import Team"),
    ("core/views.py", "from safeguarding.reviews.selectors import review_list"),
    ("core/middleware.py", "from safeguarding.partnership.models import Partnership"),
    ("partnership/services.py", "from safeguarding.reviews.importers.review_pack import review_pack_write"),
    ("accounts/admin.py", "from safeguarding.concerns.api.authentication import AgencyTokenAuthentication"),
]


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our own tool on our own files)
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(root / "pyproject.toml")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_app_imports_only_the_apps_below_it():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Apps import only the apps below them KEPT" in result.stdout


@pytest.mark.parametrize(("module", "line"), UPWARD_IMPORTS, ids=[m for m, _ in UPWARD_IMPORTS])
def test_an_upward_import_breaks_the_contract(tmp_path, module, line):
    shutil.copytree(
        ROOT / "safeguarding", tmp_path / "safeguarding", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "safeguarding" / module
    target.write_text(target.read_text() + f"\n{line}  # noqa\n")

    result = _lint(tmp_path)

    assert result.returncode != 0, result.stdout
    assert "Apps import only the apps below them BROKEN" in result.stdout
    importer = "safeguarding." + module.removesuffix(".py").replace("/", ".")
    assert importer in result.stdout
