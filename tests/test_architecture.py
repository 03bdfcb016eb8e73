"""The house rules, checked on the source (see README "Development"): which package may import
which, and that the domain does no I/O and never reads the clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "hrtrust"

# package -> module prefixes it must not import
FORBIDDEN = {
    "domain": (
        "typer",
        "click",
        "rich",
        "tomllib",
        "tomli_w",
        "filelock",
        "time",
        "os",
        "pathlib",
        "hrtrust.storage",
        "hrtrust.present",
        "hrtrust.interop",
        "hrtrust.cli",
    ),
    "present": ("typer", "click", "hrtrust.storage", "hrtrust.cli", "hrtrust.interop"),
    "storage": (
        "rich",
        "typer",
        "click",
        "hrtrust.domain",
        "hrtrust.present",
        "hrtrust.interop",
        "hrtrust.cli",
    ),
    "interop": ("typer", "click", "hrtrust.storage", "hrtrust.cli", "hrtrust.present.terminal"),
}
# calls that mean file I/O or the clock, never allowed in the domain
DOMAIN_CALLS = {
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "stat",
    "glob",
    "rglob",
    "listdir",
    "scandir",
    "now",
    "today",
    "utcnow",
}


def modules(package: str) -> list[Path]:
    return sorted((PACKAGE / package).rglob("*.py"))


def imported(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{a.name}" for a in node.names]
    return names


CASES = [(pkg, path) for pkg in FORBIDDEN for path in modules(pkg)]


@pytest.mark.parametrize(("package", "path"), CASES, ids=[f"{p}/{m.name}" for p, m in CASES])
def test_imports_point_down(package: str, path: Path) -> None:
    bad = [
        name
        for name in imported(path)
        for banned in FORBIDDEN[package]
        if name == banned or name.startswith(banned + ".")
    ]
    assert bad == [], f"{package}/{path.name} imports {sorted(set(bad))}"


@pytest.mark.parametrize("path", modules("domain"), ids=lambda p: p.name)
def test_the_domain_does_no_io_and_reads_no_clock(path: Path) -> None:
    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in DOMAIN_CALLS:
                calls.append(f"{name}() at line {node.lineno}")
    assert calls == [], f"domain/{path.name}: {calls}"


def test_few_modules_stay_loose() -> None:
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    # record.py: the base of the models (declared once, validated by a derived pydantic model)
    assert loose == ["__init__.py", "__main__.py", "errors.py", "models.py", "record.py"]


def test_only_record_imports_pydantic_models() -> None:
    # A read from validated records must not import pydantic.main: only hrtrust.record derives
    # the validating models; elsewhere pydantic appears only for its ValidationError (taken
    # from pydantic_core, where pydantic itself takes it).
    users = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.split(".")[0] == "pydantic"]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pydantic"):
                names = [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            users += [
                f"{path.relative_to(PACKAGE)}: {n}"
                for n in names
                if n != "pydantic_core.ValidationError"
            ]
    assert users == ["record.py: pydantic"]


def test_only_cli_and_present_import_rich() -> None:
    users = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if any(n == "rich" or n.startswith("rich.") for n in imported(path))
    )
    assert all(u.startswith(("cli/", "present/")) for u in users), users


def test_the_checks_can_see_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import rich\nfrom hrtrust.storage.store import Store\nopen('x')\n")
    assert "rich" in imported(bad)
    assert "hrtrust.storage.store" in imported(bad)
