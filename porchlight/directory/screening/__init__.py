"""Eligibility screening: the screener's questions, the rules program managers edit, and stored screenings."""
