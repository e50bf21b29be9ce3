"""model_overrides: key names and dotted paths change one value; the result is labelled hypothetical."""

from __future__ import annotations

import pytest
import yaml

from tests.scenario.conftest import ROOT, write_scenario
from vastaff.contract import DEFAULT_MODEL, load_contract
from vastaff.errors import InputError
from vastaff.scenario import load_scenario
from vastaff.scenario.overrides import override_path

RAW = yaml.safe_load(DEFAULT_MODEL.read_text())


def loaded(tmp_path, tiny_data, overrides: dict):
    return load_scenario(write_scenario(tmp_path, "prop", tiny_data, model_overrides=overrides))


@pytest.mark.parametrize(("key", "path"), [
    ("caseload_cap", "special_education.caseload_cap.value"),
    ("stipend_per_course", "courses.stipend_per_course.value"),
    ("courses.max_courses_per_semester.value", "courses.max_courses_per_semester.value"),
    ("band_mean_max.K-3", "class_size.band_mean_max.value.K-3"),
    ("synchronous_window.start", "workday.synchronous_window.value.start"),
    ("multigrade_cost.note", "class_size.multigrade_cost.note"),
])
def test_override_keys_land_on_the_value(key, path):
    assert ".".join(override_path(RAW, key)) == path


def test_overrides_change_exactly_those_values_and_label_the_model_hypothetical(tmp_path, tiny_data):
    sc = loaded(tmp_path, tiny_data, {"caseload_cap": 22, "band_mean_max.K-3": 20, "stipend_per_course": 1500})
    base, c = load_contract(), sc.contract
    assert (c.caseload_cap, c.band_mean_max, c.stipend_per_course) == (22, {"K-3": 20, "4-12": 25}, 1500)
    assert c.hypothetical and not base.hypothetical
    assert c.name == "va-2025-2027+prop"
    assert c.title == (f"HYPOTHETICAL: {base.title} with caseload_cap=22, band_mean_max.K-3=20, stipend_per_course=1500")
    same = base.model_dump(exclude={"special_education", "class_size", "courses", "name", "title", "hypothetical"})
    assert c.model_dump(exclude={"special_education", "class_size", "courses", "name", "title", "hypothetical"}) == same
    assert c.max_courses_per_semester == base.max_courses_per_semester and c.section_max == base.section_max


def test_without_overrides_the_model_is_the_file(tmp_path, tiny_data):
    sc = load_scenario(write_scenario(tmp_path, "plain", tiny_data,
                                      model=str(ROOT / "models" / "va-hypothetical-seven-course-cap.yaml")))
    assert sc.contract.max_courses_per_semester == 7 and sc.contract.name == "va-hypothetical-seven-course-cap"


def test_unknown_and_ambiguous_override_keys(tmp_path, tiny_data):
    with pytest.raises(InputError) as err:
        loaded(tmp_path, tiny_data, {"stipend_per_cours": 3, "rule": "A1"})
    path = tmp_path / "prop.yaml"
    lines = [str(p) for p in err.value.problems]
    assert lines[1] == (
        f"{path}, key model_overrides.stipend_per_cours: expected a key of the contract model (no key "
        "'stipend_per_cours' in it; use a key name such as stipend_per_course, or a dotted path such as "
        "courses.stipend_per_course.value)")
    assert lines[0].startswith(f"{path}, key model_overrides.rule: expected a key that names one place (found at "
                               "periods.max_sections_per_period.rule, ")
    assert lines[0].endswith("; write the dotted path)")


def test_an_invalid_override_value_names_the_override_key(tmp_path, tiny_data):
    with pytest.raises(InputError) as err:
        loaded(tmp_path, tiny_data, {"stipend_per_course": -5, "caseload_cap": 22})
    assert [str(p) for p in err.value.problems] == [
        f"{tmp_path / 'prop.yaml'}, key model_overrides.stipend_per_course: got '-5', expected a number >= 0 "
        "(sets courses.stipend_per_course.value of va-2025-2027.yaml)"]


@pytest.mark.parametrize(("file", "key", "value"), [
    ("va-hypothetical-seven-course-cap.yaml", "max_courses_per_semester", 7),
    ("va-hypothetical-stipend-1500.yaml", "stipend_per_course", 1500),
])
def test_shipped_hypothetical_models_differ_from_the_signed_one_in_one_value(file, key, value):
    base, variant = load_contract(), load_contract(ROOT / "models" / file)
    assert variant.hypothetical and variant.title.startswith("HYPOTHETICAL") and variant.name == file[:-5]
    assert getattr(variant, key) == value != getattr(base, key)
    section = "courses"
    strip = {"name", "title", "hypothetical", section}
    assert variant.model_dump(exclude=strip) == base.model_dump(exclude=strip)
    other = {k: v for k, v in variant.courses.model_dump().items() if k != key}
    assert other == {k: v for k, v in base.courses.model_dump().items() if k != key}
    assert getattr(variant.courses, key).article == getattr(base.courses, key).article


def test_an_override_of_a_key_nothing_reads_is_refused_not_ignored(tmp_path, tiny_data):
    """A what-if that set a notice period or the objective mode used to load and change nothing: now the model
    file carries only keys the code reads, so such an override names the key it cannot find."""
    with pytest.raises(InputError) as err:
        loaded(tmp_path, tiny_data, {"relocation_notice_days": 20, "objective.mode": "weighted"})
    path = tmp_path / "prop.yaml"
    assert [str(p) for p in err.value.problems] == [
        f"{path}, key model_overrides.objective.mode: expected a key of the contract model (no key 'objective.mode')",
        f"{path}, key model_overrides.relocation_notice_days: expected a key of the contract model (no key "
        "'relocation_notice_days' in it; use a key name such as stipend_per_course, or a dotted path such as "
        "courses.stipend_per_course.value)",
    ]


def test_an_unknown_override_and_bad_values_are_reported_at_once(tmp_path, tiny_data):
    """The bad values of the keys that name a place were found only after the unknown key was removed."""
    with pytest.raises(InputError) as err:
        loaded(tmp_path, tiny_data, {"stipend_per_course": "1500", "nosuchkey": 3})
    lines = [str(p) for p in err.value.problems]
    assert len(lines) == 2
    assert "model_overrides.nosuchkey: expected a key of the contract model" in lines[0] + lines[1]
    assert "model_overrides.stipend_per_course: got '1500', expected a number" in lines[0] + lines[1]
