"""Field work pages: planning (targets), working the lists (canvass) and the offline app (offline)."""
