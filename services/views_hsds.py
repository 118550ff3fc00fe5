"""HSDS export and import pages (written by the HSDS work)."""
