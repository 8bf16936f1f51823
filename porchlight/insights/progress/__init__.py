"""Field outreach progress (doors knocked, contacts, conversations, referrals, coverage): analysis of outreach
and cases, so it lives in insights; its page keeps the name outreach:progress (see porchlight/urls.py)."""
