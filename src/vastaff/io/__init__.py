"""Reading and writing at the edge: data folders, workbooks, plan folders."""
