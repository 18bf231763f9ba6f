"""Formats: converters between papers and text (BibTeX in and out, LaTeX text, CSL-JSON, Markdown).

Each converter is a pure function over models; nothing here reads or writes files, prints or exits.
Which papers to export (keys, a draft's citations, filters) is decided by :mod:`litmap.services.export`.
"""
