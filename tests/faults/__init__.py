"""Fault injection: an operator's bad day (locks, lost secrets, kills, damage), nothing lost."""
