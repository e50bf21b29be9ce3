"""The import direction of docs/architecture.md, read from the source with `ast` (no module is imported).

Every `import` and `from ... import` counts, inside functions too; only imports under `if TYPE_CHECKING:` do not,
since they never run (a type named in an annotation, e.g. schemas/district.py naming ContractModel).
Packages are the top-level names under src/vastaff (`cpsat`, `check`, ... and the leaf modules `errors`, `rules`,
`text`, ...).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "vastaff"
MAX_LINES = 400


@dataclass(frozen=True)
class Import:
    module: str    # the importing module, e.g. "vastaff.check.report"
    target: str    # the imported module, e.g. "vastaff.io.outpath"
    line: int

    @property
    def source_package(self) -> str:
        return package(self.module)

    @property
    def target_package(self) -> str:
        return package(self.target)

    def __str__(self) -> str:
        return f"{self.module} imports {self.target} (line {self.line})"


def package(module: str) -> str:
    """The top-level package of a dotted module name: "vastaff.cpsat.model" -> "cpsat" ("" for vastaff itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(dotted: str) -> bool:
    path = SRC.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _type_checking_only(tree: ast.Module) -> set[int]:
    """ids of the statements under `if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`)."""
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            inside |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return inside


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """Modules an import statement loads: `from a.b import c` is a.b, and a.b.c when c is a module."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:  # relative: resolved against the importing package
        anchor = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
        base = ".".join(anchor + ([base] if base else []))
    return [base] + [f"{base}.{alias.name}" for alias in node.names if is_module(f"{base}.{alias.name}")]


def imports_of(path: Path) -> list[Import]:
    """Every vastaff module `path` imports at run time, with the line of the import."""
    module = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = _type_checking_only(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in skip:
            for target in _targets(node, module, path.name == "__init__.py"):
                if target == "vastaff" or target.startswith("vastaff."):
                    found.append(Import(module, target, node.lineno))
    return found


MODULES = sorted(SRC.rglob("*.py"))
IMPORTS = [imp for path in MODULES for imp in imports_of(path)]

ABOVE_THE_LEAVES = ("cpsat", "people", "sections", "nightly", "check", "io", "cli", "scenario", "displace", "report",
                    "diff", "meetings")
RULES = {
    "schemas, contract, errors, rules and text import nothing above them":
        (("schemas", "contract", "errors", "rules", "text"), ABOVE_THE_LEAVES),
    "the store imports none of vastaff's packages (a leaf: any command may record a run)":
        (("store",), ABOVE_THE_LEAVES + ("schemas", "contract")),
    "background is a leaf (a thread while this process waits: nightly and the CLI use it)":
        (("background",), ABOVE_THE_LEAVES + ("schemas", "contract", "store", "executor", "interrupt")),
    "forked is a leaf above background and interrupt (a forked process while this one works: nightly, report, cli)":
        (("forked",), ABOVE_THE_LEAVES + ("schemas", "contract", "store", "executor")),
    "imports is a leaf (the vastaff and store packages and the command line load their names through it)":
        (("imports",), ABOVE_THE_LEAVES + ("schemas", "contract", "store", "executor", "interrupt", "background",
                                           "forked")),
    "diff reads plain plan tables: never the optimizer, the checker or io":
        (("diff",), ("cpsat", "people", "sections", "nightly", "check", "io", "scenario", "displace", "report")),
    "check never imports the optimizer":
        (("check",), ("cpsat", "people", "sections", "nightly", "scenario", "generate", "meetings")),
    "cpsat never imports people, nightly, check or cli": (("cpsat",), ("people", "nightly", "check", "cli")),
}


def test_the_executor_imports_only_interrupt_and_errors():
    """vastaff.executor runs the jobs of nightly and scenario: it imports nothing of vastaff but those leaves."""
    assert [str(i) for i in IMPORTS if i.source_package == "executor"
            and i.target_package not in {"executor", "interrupt", "errors"}] == []


def offending(importers: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    return [str(imp) for imp in IMPORTS if imp.source_package in importers and imp.target_package in forbidden]


def test_the_parser_sees_what_python_sees():
    """A guard on the parser itself: imports at the top, inside functions and under TYPE_CHECKING."""
    solver = {imp.target for imp in imports_of(SRC / "cpsat" / "solver.py")}
    assert {"vastaff.cpsat.model", "vastaff.sections.problem"} <= solver
    district = {imp.target for imp in imports_of(SRC / "schemas" / "district.py")}
    assert "vastaff.contract" not in district  # only under `if TYPE_CHECKING:`
    assert package("vastaff.cli.common") == "cli" and package("vastaff") == ""
    assert len(MODULES) > 50 and len(IMPORTS) > 100


@pytest.mark.parametrize("rule", list(RULES))
def test_layers_import_downwards(rule):
    importers, forbidden = RULES[rule]
    assert offending(importers, forbidden) == []


def test_the_checker_imports_only_what_docs_architecture_allows():
    """docs/architecture.md: check imports only schemas, contract, rules, errors, text and io (reading and writing
    files) — never the optimizer — so every hard rule exists twice, written independently."""
    allowed = {"check", "schemas", "contract", "rules", "errors", "text", "io"}
    assert [str(imp) for imp in IMPORTS if imp.source_package == "check" and imp.target_package not in allowed] == []


def test_only_cli_imports_cli():
    assert [str(imp) for imp in IMPORTS
            if imp.target_package == "cli" and imp.source_package not in ("cli", "__main__")] == []


def package_graph() -> dict[str, set[str]]:
    """Top-level package -> the packages it imports (vastaff's own __init__ left out: it only re-exports)."""
    graph: dict[str, set[str]] = {}
    for imp in IMPORTS:
        if imp.source_package != imp.target_package and "" not in (imp.source_package, imp.target_package):
            graph.setdefault(imp.source_package, set()).add(imp.target_package)
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_no_import_cycle_between_packages():
    """An import from package A to package B is in a cycle when B leads back to A."""
    graph = package_graph()
    assert [str(imp) for imp in IMPORTS if imp.source_package != imp.target_package
            and imp.source_package in reachable(graph, imp.target_package)] == []


def test_no_module_is_longer_than_the_style_allows():
    """Modules under ~400 lines (common ground rules): one screenful of ideas, one reason to change."""
    lengths = {module_name(p): len(p.read_text(encoding="utf-8").splitlines()) for p in MODULES}
    assert {m: n for m, n in lengths.items() if n > MAX_LINES} == {}
