"""Independent contract checker (`vastaff check DATA PLAN`): one function per rule ID of docs/contract.md."""
