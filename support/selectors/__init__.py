"""Reads for the support console; every one of them crosses organisations on purpose."""
