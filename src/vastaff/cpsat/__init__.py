"""CP-SAT layer: variables, one module per rule family, objective stages, hints, explanations."""
