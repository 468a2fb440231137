"""python -m sctdash.editing.importer: the command line (cli.py)."""

import sys

from sctdash.editing.importer.cli import main

sys.exit(main())
