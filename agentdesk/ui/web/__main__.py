"""`python -m agentdesk.ui.web --server URL`: what `agentdesk serve` runs per browser."""

import sys

from agentdesk.ui.web.session import main

sys.exit(main())
