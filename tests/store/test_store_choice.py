"""store/choice.py: which run history a command uses, as given, read without SQLAlchemy."""

from __future__ import annotations

import pytest

from vastaff.store.choice import chosen, is_off, store_file
from vastaff.store.connect import resolve_url, sqlite_file


@pytest.mark.parametrize("store, env, expected", [
    ("a.db", {"VASTAFF_STORE": "b.db"}, "a.db"),  # --store wins
    (None, {"VASTAFF_STORE": " b.db "}, "b.db"),
    ("  ", {"VASTAFF_STORE": "b.db"}, "b.db"),  # an empty --store counts as unset
    (None, {"VASTAFF_STORE": ""}, None),  # the default file
    (None, {}, None),
])
def test_the_store_given_is_the_option_then_the_environment(store, env, expected):
    assert chosen(store, env) == expected


@pytest.mark.parametrize("store, env, off", [
    ("off", {}, True), (" Off ", {}, True), (None, {"VASTAFF_STORE": "OFF"}, True),
    ("a.db", {"VASTAFF_STORE": "off"}, False), (None, {}, False), ("offline.db", {}, False),
])
def test_off_is_the_history_turned_off_and_resolves_to_no_url(store, env, off, tmp_path):
    assert is_off(store, env) is off
    assert (resolve_url(store, env, tmp_path) is None) is off


@pytest.mark.parametrize("store", ["h.db", "~/h.db", "runs/x/h.db", "sqlite:///runs/h.db", "sqlite:////tmp/h.db",
                                   "sqlite+pysqlite:///h.db?timeout=5", None, "off", "OFF",
                                   "postgresql://u@localhost/db"])
def test_the_store_file_is_the_file_the_store_url_names(store, tmp_path, monkeypatch):
    """What an output may not replace (io/outpath), read without SQLAlchemy: the same file as the store's URL."""
    monkeypatch.chdir(tmp_path)
    url = resolve_url(store, {})
    expected = None if url is None else sqlite_file(url)
    found = store_file(store, {})
    assert (None if found is None else found.resolve()) == expected


def test_every_name_of_the_package_is_its_module_s():
    import vastaff.store as store

    assert sorted(store.__all__) == sorted(store._HOME)
    for name in store.__all__:
        module = __import__(f"vastaff.store.{store._HOME[name]}", fromlist=[name])
        assert getattr(store, name) is getattr(module, name)
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        store.nothing
