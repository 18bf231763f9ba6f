"""Duplicates: the one matcher (``matching``), library-wide groups (``groups``), pairs recorded as
distinct (``distinct``) and merging records into one (``merge``)."""
