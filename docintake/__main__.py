"""`python -m docintake` is the command line."""

import sys

from docintake.app.cli import main

sys.exit(main())
