import sys

from conversely.cli import main

sys.exit(main())
