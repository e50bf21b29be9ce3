"""Synthetic district generator (`vastaff generate`): realistic VA data in docs/data-format.md's input format,
feasible by construction, deterministic per seed.

    from vastaff.generate import generate_district, write_district
    write_district(generate_district(60, seed=7), "data/sample")
"""

from vastaff.generate.build import GeneratedDistrict, build_district, check_size, generate_district
from vastaff.generate.writer import write_district

__all__ = ["GeneratedDistrict", "build_district", "check_size", "generate_district", "write_district"]
