"""CP-SAT layer: variables, one module per rule family, objective stages (cold searches, an incumbent),
explanations."""
