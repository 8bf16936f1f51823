"""Porchlight: plan outreach, reach residents, capture conversations, connect people to help, report back."""
