"""What the IEP meetings' explicit eligible lists decide before any plan (A7.1 + A7.2), for `vastaff validate`.

A meeting with an `eligible_teacher_ids` list may go only to a teacher it names, whatever tonight's sections; so
overlapping meetings whose lists together name fewer teachers than there are meetings can never all be held, and
`vastaff solve` stops on them (INFEASIBLE, exit 3) after a whole night's search. The analyst sees them first.
"""

from __future__ import annotations

import pandas as pd

from vastaff.people.iep.eligibility import eligible_pairs, meeting_times
from vastaff.people.iep.explain import too_few_teachers_for_overlaps
from vastaff.rules import Finding
from vastaff.schemas.district import District

NO_SECTIONS = pd.DataFrame({"section_id": pd.Series(dtype=str), "teacher_id": pd.Series(dtype=str)})
NO_GRADES = pd.DataFrame({"section_id": pd.Series(dtype=str), "grade": pd.Series(dtype="int64"),
                          "students": pd.Series(dtype="int64")})


def unholdable_lists(district: District) -> list[Finding]:
    """A7.1 + A7.2: the sets of overlapping meetings, each with an explicit list, that outnumber the teachers their
    lists name (Hall's condition over the lists alone)."""
    iep = district.iep_meetings
    listed = iep[iep.eligible_teacher_ids.map(len) > 0]
    if listed.empty:
        return []
    meetings = meeting_times(listed)
    return too_few_teachers_for_overlaps(meetings, eligible_pairs(district, meetings, NO_SECTIONS, NO_GRADES))


def listed_conflict_warnings(district: District) -> list[str]:
    """`unholdable_lists` as `vastaff validate`'s warning lines."""
    return [f"{' + '.join(f.rules)}: {f.message} — by their eligible lists, so no plan can hold them all: "
            f"`vastaff solve` will stop with an A7.1 + A7.2 conflict (exit 3)" for f in unholdable_lists(district)]
