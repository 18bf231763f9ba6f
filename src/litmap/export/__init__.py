"""Exporters: functions from papers to text (BibTeX, CSL-JSON, a Markdown reading list).

Each exporter is a pure function over models; nothing here reads or writes files, prints or exits.
Which papers to export (keys, a draft's citations, filters) is decided by :mod:`litmap.export.scope`.
"""
