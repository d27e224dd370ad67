"""`python -m jupyter_mllens PATH...` is `mllens check PATH...` (what `nbqa` runs)."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
