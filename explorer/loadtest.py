"""`python -m explorer.loadtest`: a class of students at once (`explorer.tools.loadtest`)."""

import sys

from explorer.tools.loadtest import main

if __name__ == "__main__":
    sys.exit(main())
