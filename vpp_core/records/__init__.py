"""Delivery records: the manifest, the DuckDB tables, disclosure control."""
