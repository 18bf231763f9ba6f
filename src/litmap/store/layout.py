"""The names of a library's files and folders: the one place they are spelled.

::

    litmap.toml        settings; marks the library's root
    taxonomy.toml      the category tree
    papers/KEY.toml    one file per paper
    distinct.toml      pairs of look-alike papers declared different (``litmap dedupe --not``)
    .litmap/           git-ignored working state: lock, journal, search index
"""

CONFIG_FILE = "litmap.toml"
TAXONOMY_FILE = "taxonomy.toml"
PAPERS_DIR = "papers"
DISTINCT_FILE = "distinct.toml"
STATE_DIR = ".litmap"
#: The name of a library whose ``litmap.toml`` gives none.
DEFAULT_LIBRARY_NAME = "litmap library"
