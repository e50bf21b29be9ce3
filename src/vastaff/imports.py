"""Importing vastaff's modules without the garbage collector walking them as they are made, and a package's names
only when first used (`names_of_modules`).

Importing the command line makes some 160,000 objects the collector tracks (pandas, pydantic, OR-Tools and vastaff's
own classes), nearly all of which live as long as the process. While they are made, the collector runs over them
again and again — about 240 collections, one of them full, some 60 ms of a 60-teacher `vastaff solve` before it reads
a file — and frees a few hundred objects. `imports_unwalked` pauses it for the imports and then freezes (`gc.freeze`)
what they made, so that no later collection walks it either; the console command freezes what is alive as it starts
anyway (vastaff.cli.main).
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager


@contextmanager
def imports_unwalked() -> Iterator[None]:
    """The collector paused for the body (the imports), what it made frozen after; a caller that had paused the
    collector itself keeps it paused (and nothing is frozen: the objects are the caller's to manage)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.freeze()
            gc.enable()


def names_of_modules(package: str, home: Mapping[str, str], namespace: dict,
                     computed: Mapping[str, Callable[[], object]] | None = None) -> Callable[[str], object]:
    """A package's `__getattr__` (PEP 562): each name of `home` from its module (`package.<home[name]>`), imported
    when the name is first used, and each name of `computed` from its function; kept in `namespace` (the package's
    globals) so that it is looked up once. Any other name is an AttributeError."""
    computed = computed or {}

    def __getattr__(name: str):
        if name in home:
            value = getattr(importlib.import_module(f"{package}.{home[name]}"), name)
        elif name in computed:
            value = computed[name]()
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    return __getattr__
