"""Field work inside outreach: target lists, turfs, walk lists and calls, attempts, walk sheets, and the
offline canvassing app (models in outreach/models/field.py, templates in outreach/templates/outreach/)."""
