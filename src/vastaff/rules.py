"""The rule registry: every rule ID the product speaks, with its article and one line of what it says.

Every layer imports this one table (the optimizer's constraint groups, the checker, the people parts, displacement,
the reports), so a rule's ID and article are written once. The numbers of the rules live in the contract model
file, never here. `Finding` is the one record for what a run says about a rule: a violation, a conflict, a vacancy
reason or an explanation — the rule(s), a sentence, and the rows behind it. `vastaff rules [ID]` prints the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, NamedTuple


@dataclass(frozen=True)
class Rule:
    """One rule ID: its article, what it says in one line, its kind, and the modules that treat it.

    `optimizer` and `checker` name modules under `vastaff` (e.g. "cpsat.periods", "check.periods"):
    where the solver side enforces or computes the rule, and where the independent checker verifies it.
    """

    id: str
    article: str
    text: str
    kind: str  # "hard", "cost", "format" or "flag" (a fact the plan reports about a teacher, never a constraint)
    optimizer: tuple[str, ...] = ()
    checker: tuple[str, ...] = ()


_RULES = (
    # The optimizer's "at most one homeroom per elementary classroom teacher" is STRUCTURE, not CRED: docs/contract.md
    # says so ("elementary sections as `year` homerooms ..., at most one homeroom per elementary classroom teacher"), it
    # bounds the shape of the plan whoever holds the credential, and the checker reports it as STRUCTURE too.
    Rule("STRUCTURE", "plan formats", "plan files are complete and consistent with the data (IDs, sections, "
         "homerooms: at most one per elementary classroom teacher; meetings as their requests ask)", "format",
         ("cpsat.homerooms", "meetings.decode"),
         ("check.structure", "check.people_files", "check.meetings", "check.displacement_form")),
    Rule("DEMAND", "—", "every student of demand.csv sits in exactly one section of that course; a section no "
         "eligible teacher can take is a vacancy", "hard", ("cpsat.demand", "sections.vacancies"),
         ("check.demand", "check.avoidable")),
    Rule("CRED", "9.0(1)", "a teacher teaches only courses of their credentials, grades, school and level", "hard",
         ("sections.problem", "cpsat.variables", "sections.vacancies"), ("check.demand",)),
    Rule("A6.1", "6.0 A(1)", "per teacher, semester and period at most 2 sections, 2 only of one subject", "hard",
         ("cpsat.periods", "sections.decode"), ("check.periods",)),
    Rule("A6.2", "6.0 A(2)", "an ELD section is the only section of its teacher in that period", "hard",
         ("cpsat.periods", "sections.decode"), ("check.periods",)),
    Rule("A6.3", "6.0 B(1)", "at most 8 courses per teacher and semester; more only with stipend consent, "
         "paid per course", "hard", ("cpsat.courses", "sections.costs"), ("check.courses",)),
    Rule("A8.1", "8.0", "mean class size per band and semester at most the band mean, per school or per teacher "
         "(band_mean_scope); no section above section_max", "hard", ("cpsat.class_size",), ("check.class_size",)),
    Rule("A8.2", "8.0", "special-education, TK and UTK sections within their in-person norm", "hard",
         ("cpsat.class_size",), ("check.class_size",)),
    Rule("A8.3", "8.0(1)", "a section holding a grade 1-5 holds one grade only", "hard",
         ("sections.problem", "cpsat.class_size"), ("check.class_size",)),
    Rule("A8.4", "8.0(2)", "a section in grades 6-12 spans at most two consecutive grades", "hard",
         ("sections.problem", "cpsat.class_size"), ("check.class_size",)),
    Rule("A8.5", "8.0(3)", "each multi-grade section costs the multi-grade differential per semester", "cost",
         ("cpsat.class_size", "sections.costs"), ("check.class_size",)),
    # One ID for the matrix (docs/contract.md, A9.1): hard for elementary homerooms (no blocking pair, IX-A 2.0(c)) and
    # for level moves (9.0(1): only into a would-be vacancy); secondary courses (IX-A 2.0(d)) are a preference.
    Rule("A9.1", "9.0; IX-A 2.0(c)-(d)", "matrix.csv choices by seniority: no elementary blocking pair; "
         "level moves only into a would-be vacancy", "hard", ("cpsat.matrix",), ("check.matrix",)),
    # A9.2 constrains nothing: it flags the teachers whose assignment changed too close to the first day of
    # instruction, who may then request preparation time (IX-A 2.0).
    Rule("A9.2", "9.0(2)", "a teacher whose sections changed against --previous within 5 calendar days before the "
         "first day of instruction is flagged prep_time", "flag", ("nightly.prep_time",), ("check.prep_time",)),
    Rule("A12", "12.0", "a teacher switching to a course not taught last time is owed X-time once (a teacher moved "
         "level by displacement too)", "cost", ("cpsat.xtime", "sections.costs", "displace.api"),
         ("check.xtime", "check.displacement")),
    Rule("COSTS", "6.0 B(1); 8.0(3); 12.0", "the plan's costs equal the costs its sections imply", "format",
         ("sections.costs",), ("check.costs",)),
    Rule("A7.1", "7.0 A(1)", "IEP meetings rotate evenly among eligible general-education teachers", "hard",
         ("people.iep", "cpsat.iep_cover"), ("check.iep",)),
    Rule("A7.2", "7.0 A(2)", "no teacher holds two overlapping meetings; coverage in the synchronous window "
         "as rare as possible", "hard", ("people.iep", "cpsat.iep_cover"), ("check.iep",)),
    Rule("A7.3", "7.0 B(1)", "each special-education student has one resource specialist, at most the caseload "
         "cap each", "hard", ("people.caseload",), ("check.caseload",)),
    # The meetings calendar (`vastaff meetings`): limits per teacher of a request's audience. A4.3 also keeps a
    # teacher's IEP meetings clear of their scheduled meetings (solve: people/iep/eligibility.clear_of_meetings;
    # checked whenever meetings.csv is known).
    Rule("A4.1", "4.0 C(1)", "per teacher at most 1 pd/plt meeting a week, only Tuesdays at 13:50, at most 60 "
         "minutes", "hard", ("meetings.problem", "meetings.cpsat"), ("check.meetings",)),
    Rule("A4.2", "4.0 C(2)", "per teacher at most 1 faculty, grade-level, staff-development or committee meeting a "
         "week, 4 a month, 30 a school year, each at most 60 minutes and ending by 15:50", "hard",
         ("meetings.problem", "meetings.cpsat"), ("check.meetings",)),
    Rule("A4.3", "4.0 A; 3.0", "meetings only on instructional days (never on a ROA Friday), after the synchronous "
         "window; no teacher in two meetings at once", "hard",
         ("meetings.problem", "meetings.cpsat", "people.iep.eligibility"), ("check.meetings",)),
    Rule("A16", "16.0", "a teacher with a granted or pending RA may work from home and, after choosing home, "
         "is never placed at a site",
         "hard", ("people.location.eligibility", "people.location.preferences"), ("check.location",)),
    Rule("A19", "19.0", "rooms: one teacher per classroom, shared rooms up to capacity with partitions; a home "
         "chooser gets no room", "hard",
         ("people.location.rooms", "people.location.eligibility"), ("check.location",)),
    Rule("A24", "24.0", "requests fill available space in seniority order; incumbents are never bumped", "hard",
         ("people.location.matching", "people.location.preferences"), ("check.location", "check.incumbents")),
    Rule("A25", "25.0", "nobody at a temporarily closed site; its teachers go home unless they chose site "
         "or listed requests. A closed site's teachers choose from their requests before every other requester, "
         "among themselves by seniority", "hard",
         ("people.location.eligibility", "people.location.preferences", "people.location.matching"),
         ("check.closures", "check.location")),
    Rule("A26", "26.0", "teachers of a closed site whose requests cannot be met work in its region, else the "
         "nearest region with an open site", "hard", ("people.location.eligibility", "people.location.preferences"),
         ("check.closures",)),
    Rule("A10", "10.0", "on overstaffing each school, level and department keeps its most senior teachers", "hard",
         ("displace.retain", "displace.seniority"), ("check.displacement", "check.displacement_form")),
    Rule("A10.1", "10.0(1)", "a displaced teacher fills a vacancy one or more levels down if credential permits",
         "hard", ("displace.move_down",), ("check.displacement", "check.displacement_form")),
    Rule("A11", "11.0", "a teacher still displaced reports to the priority site", "hard",
         ("displace.report_site",), ("check.displacement", "check.displacement_form")),
    # docs/contract.md, "Decisions people made": not an article; hard, and never an excuse for a contract rule.
    Rule("LOCK", "—", "every row of locks.csv holds in the plan", "hard",
         ("sections.locks", "cpsat.locks", "cpsat.timetable_locks", "people.location.locks",
          "people.location.lock_conflicts", "people.iep.locks"), ("check.locks",)),
)

RULES: dict[str, Rule] = {r.id: r for r in _RULES}


def article(rule_id: str) -> str:
    """The article of a registered rule ID (KeyError for an ID the registry does not have)."""
    return RULES[rule_id].article


class RowRef(NamedTuple):
    """A row as docs/data-format.md names it, (file, key): e.g. ("teachers.csv", "T0042"), ("demand.csv", "MATH9:9")."""

    file: str
    key: str

    def __str__(self) -> str:
        return f"{self.file}:{self.key}"


@dataclass(frozen=True)
class Finding:
    """What a run says about one or more rules: a violation, a conflict, a vacancy reason or an explanation.

    `rows` keep the order given (the teacher first, then what explains it); `Finding.of` sorts them.
    """

    rules: tuple[str, ...]
    message: str
    rows: tuple[RowRef, ...] = ()

    def __post_init__(self) -> None:
        unknown = [r for r in self.rules if r not in RULES]
        if unknown or not self.rules:
            raise ValueError(f"unregistered rule ID(s) {unknown or '(none)'}; see vastaff.rules.RULES")
        object.__setattr__(self, "rules", tuple(self.rules))
        object.__setattr__(self, "rows", tuple(RowRef(*r) for r in self.rows))

    @classmethod
    def of(cls, rules: str | Iterable[str], message: str, rows: Iterable[RowRef] = ()) -> Finding:
        """A finding with its rows sorted and unique."""
        ids = (rules,) if isinstance(rules, str) else tuple(rules)
        return cls(ids, message, tuple(sorted(set(rows))))

    @property
    def rule(self) -> str:
        return self.rules[0]

    @property
    def article(self) -> str:
        return "; ".join(dict.fromkeys(RULES[r].article for r in self.rules))

    def __str__(self) -> str:
        return f"{' + '.join(self.rules)}: {self.message}"

    def rows_dicts(self) -> list[dict]:
        """The rows as JSON objects `{file, key}`."""
        return [{"file": f, "key": k} for f, k in self.rows]

    def as_dict(self) -> dict:
        """run.json's form of a conflict: `{rules, message, rows: [{file, key}]}`."""
        return {"rules": list(self.rules), "message": self.message, "rows": self.rows_dicts()}

    def as_violation_dict(self) -> dict:
        """`vastaff check --json`'s form of a violation: `{rule, article, message, rows: [{file, key}]}`."""
        return {"rule": self.rule, "article": self.article, "message": self.message, "rows": self.rows_dicts()}


class Infeasible(Exception):
    """No plan obeys the hard rules; `findings` say why in contract terms."""

    def __init__(self, findings: list[Finding]):
        self.findings = self.conflicts = findings
        super().__init__("\n".join(str(f) for f in findings))

    def __reduce__(self):
        """Pickled as its findings (the people parts made in a forked process, vastaff.forked, send it back)."""
        return type(self), (self.findings,)
