"""`python -m explorer.bench`: the measured-timings table (`explorer.tools.bench`)."""

import sys

from explorer.tools.bench import main

if __name__ == "__main__":
    sys.exit(main())
