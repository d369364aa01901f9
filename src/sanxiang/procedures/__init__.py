"""Enforcement procedures as data: stages, transitions, guards, deadlines, the engine."""
