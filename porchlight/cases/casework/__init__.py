"""Casework inside cases: cases, their plan of tasks, notes, documents and follow-ups."""
