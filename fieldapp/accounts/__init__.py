"""Accounts: passwords, log-in with throttling, creating users."""
