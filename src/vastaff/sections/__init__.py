"""The section-staffing problem as data (no solver): section shapes, eligible teachers, capacities.

Shared by the CP-SAT model (`vastaff.cpsat`), the clerk's greedy fill (`vastaff.sections.greedy`) and the decoder that
turns section counts into the rows of sections.csv.
"""
