"""The people parts of the nightly plan, solved after the sections: work location and rooms (A16, A19, A24-A26),
the IEP-meeting rotation (A7.1, A7.2) and resource-specialist caseloads (A7.3)."""
