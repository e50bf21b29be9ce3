"""vastaff/imports.py and the lazy `vastaff` package: the command line's modules are imported with the collector
paused and then frozen; `import vastaff` alone imports none of pandas, pydantic or OR-Tools."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

import pytest

from vastaff.imports import imports_unwalked


def _fresh(code: str) -> dict:
    """What `code` prints as JSON in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout)


@pytest.fixture
def collector_on():
    """The collector enabled for the test, and this process's state as it was after it."""
    was = gc.isenabled()
    gc.enable()
    yield
    gc.enable() if was else gc.disable()


def test_the_collector_is_paused_in_the_body_and_back_after(collector_on):
    frozen = gc.get_freeze_count()
    with imports_unwalked():
        assert not gc.isenabled()
        made = [[] for _ in range(100)]  # objects the body makes are frozen after it
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen + len(made)


def test_the_collector_is_back_after_an_error(collector_on):
    with pytest.raises(ValueError), imports_unwalked():
        raise ValueError("an import failed")
    assert gc.isenabled()


def test_a_caller_that_paused_the_collector_keeps_it_paused_and_nothing_frozen():
    was = gc.isenabled()
    gc.disable()
    try:
        frozen = gc.get_freeze_count()
        with imports_unwalked():
            made = [[] for _ in range(100)]
        assert not gc.isenabled()
        assert gc.get_freeze_count() == frozen and made
    finally:
        gc.enable() if was else gc.disable()


def test_importing_the_command_line_runs_no_full_collection_and_freezes_its_modules():
    found = _fresh("import gc, json; before = [s['collections'] for s in gc.get_stats()]; import vastaff.cli; "
                   "after = [s['collections'] for s in gc.get_stats()]; "
                   "print(json.dumps({'full': after[2] - before[2], 'young': after[0] - before[0], "
                   "'frozen': gc.get_freeze_count(), 'enabled': gc.isenabled()}))")
    assert found["full"] == 0 and found["young"] < 20  # ~220 young and 1 full collection when not paused
    assert found["frozen"] > 100_000 and found["enabled"]


def test_import_vastaff_alone_loads_no_heavy_library():
    found = _fresh("import json, sys, vastaff; print(json.dumps(sorted(m for m in ('pandas', 'pydantic', 'ortools', "
                   "'numpy') if m in sys.modules)))")
    assert found == []


def test_the_package_names_load_from_their_modules():
    found = _fresh("import json, vastaff; from vastaff.io.district import load_district; "
                   "from vastaff.contract import ContractModel; from vastaff.release import version; "
                   "print(json.dumps([vastaff.load_district is load_district, vastaff.ContractModel is ContractModel, "
                   "vastaff.__version__ == version(), all(hasattr(vastaff, n) for n in vastaff.__all__)]))")
    assert found == [True, True, True, True]


def test_an_unknown_name_is_an_attribute_error():
    import vastaff

    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        vastaff.no_such_name  # noqa: B018
