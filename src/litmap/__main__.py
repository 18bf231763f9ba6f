"""Allow ``python -m litmap``."""

from litmap.cli import main

main()
