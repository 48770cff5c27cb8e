"""``python -m diogelu.matching``: see ``cli.py``."""

import sys

from diogelu.matching.cli import main

sys.exit(main())
