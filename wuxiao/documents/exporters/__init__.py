"""Importing this package registers every exporter (see registry.py)."""

from wuxiao.documents.exporters import application_form, booklet, lists, summary  # noqa: F401
