"""`python -m agentdesk.ui.web --server URL`: what `agentdesk serve` runs per browser."""

import sys

from agentdesk.ui.web.session import main

if __name__ == "__main__":  # module walkers (tests) import it without running it
    sys.exit(main())
