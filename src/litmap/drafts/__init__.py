"""Draft scanning: which keys a document cites, with the file and line of each citation."""
