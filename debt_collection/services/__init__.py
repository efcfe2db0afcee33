"""Writes of collections: cases, their claim ledger and letters, and the settings."""
