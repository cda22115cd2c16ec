"""Importing this package registers every exporter (see registry.py)."""

from wuxiao.documents.exporters import application_form, awards, booklet, lists, salons, summary  # noqa: F401
