"""The run history (SPEC.md, "Run history (`--store`)"): every `solve`, `displace`, `scenario run` and
`meetings` run, and what each teacher was given in it, in SQLite (default `runs/vastaff.db`) or PostgreSQL.

SQLAlchemy Core only (no ORM); imports nothing of vastaff but the leaf modules (today: `release`, the version a run
records).
`connect` resolves the URL and opens bounded engines, `schema` holds the tables and their migrations,
`records` the plain records, `repository` the functions below, `plan_rows` builds records from plan tables.
"""

from vastaff.store.connect import ENV_VAR, StoreError, resolve_url, shown
from vastaff.store.plan_rows import meeting_records, run_record, teacher_records
from vastaff.store.records import RunRecord, TeacherRecord, command_text
from vastaff.store.repository import count_runs, list_runs, record_run, record_safely, store_url, teacher_trail
from vastaff.store.schema import SCHEMA_VERSION

__all__ = ["ENV_VAR", "SCHEMA_VERSION", "RunRecord", "StoreError", "TeacherRecord", "command_text", "count_runs",
           "list_runs", "meeting_records", "record_run", "record_safely", "resolve_url", "run_record", "shown",
           "store_url", "teacher_records", "teacher_trail"]
