"""litmap: a command-line bibliography and taxonomy manager.

The core is usable as a library without the CLI::

    from litmap.store import open_library
    lib = open_library()            # discovered the same way the CLI does
    for paper in lib.papers():
        print(paper.key, paper.title)
"""

__version__ = "0.1.0"
