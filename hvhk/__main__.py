import sys

from hvhk.cli import main

sys.exit(main())
