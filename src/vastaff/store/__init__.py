"""The run history (docs/history.md): every `solve`, `displace`, `scenario run` and
`meetings` run, and what each teacher was given in it, in SQLite (default `runs/vastaff.db`) or PostgreSQL.

SQLAlchemy Core only (no ORM); imports nothing of vastaff but the leaf modules (today: `release`, the version a run
records, and `imports`, which loads the names below).
`choice` reads which store a command uses (no SQLAlchemy), `connect` resolves the URL and opens bounded engines,
`schema` holds the tables and their migrations, `records` the plain records, `repository` the functions below,
`plan_rows` builds records from plan tables.

The names below load their module (and SQLAlchemy, 0.17-0.2 s) when first used (PEP 562), so that `vastaff.store.choice`
tells a command whose history is off without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vastaff.imports import names_of_modules

_HOME = {
    "ENV_VAR": "choice", "StoreError": "connect", "resolve_url": "connect", "shown": "connect",
    "meeting_records": "plan_rows", "run_record": "plan_rows", "teacher_records": "plan_rows",
    "RunRecord": "records", "TeacherRecord": "records", "command_text": "records",
    "count_runs": "repository", "list_runs": "repository", "record_run": "repository", "record_safely": "repository",
    "store_url": "repository", "teacher_trail": "repository", "SCHEMA_VERSION": "schema",
}
__all__ = ["ENV_VAR", "SCHEMA_VERSION", "RunRecord", "StoreError", "TeacherRecord", "command_text", "count_runs",
           "list_runs", "meeting_records", "record_run", "record_safely", "resolve_url", "run_record", "shown",
           "store_url", "teacher_records", "teacher_trail"]

if TYPE_CHECKING:
    from vastaff.store.choice import ENV_VAR
    from vastaff.store.connect import StoreError, resolve_url, shown
    from vastaff.store.plan_rows import meeting_records, run_record, teacher_records
    from vastaff.store.records import RunRecord, TeacherRecord, command_text
    from vastaff.store.repository import count_runs, list_runs, record_run, record_safely, store_url, teacher_trail
    from vastaff.store.schema import SCHEMA_VERSION


__getattr__ = names_of_modules(__name__, _HOME, globals())
