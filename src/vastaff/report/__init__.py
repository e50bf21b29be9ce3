"""What people read: summaries and reports built from a district and a plan (no solver)."""
