"""Data schemas (pydantic): input tables, plan tables. Never imports ortools."""

from vastaff.schemas.inputs import INPUT_TABLES, Row
from vastaff.schemas.plan import PLAN_COLUMNS, PLAN_TABLES

__all__ = ["INPUT_TABLES", "PLAN_COLUMNS", "PLAN_TABLES", "Row"]
