"""python -m sctdash.importer: the command line (cli.py)."""

import sys

from sctdash.importer.cli import main

sys.exit(main())
