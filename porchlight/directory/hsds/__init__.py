"""Open Referral HSDS 3.0: the directory read from and written to CSV packages and JSON files."""
