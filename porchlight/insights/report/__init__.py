"""The "what we heard" report: theme shares, breakdowns, reach and equity; page, PDF and CSV tables."""
