"""``python -m wellflow_devstack``: the same as the ``wellflow`` command."""

import sys

from .cli import main

sys.exit(main())
