import sys

from parkbench.cli import main

sys.exit(main())
