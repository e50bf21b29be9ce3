import sys

from vastaff.errors import INTERRUPTED

try:
    from vastaff.cli import main
except KeyboardInterrupt:  # a Ctrl-C before vastaff.cli's own handling begins (the interpreter's first moments)
    sys.stderr.write(INTERRUPTED + "\n")
    raise SystemExit(130) from None

main()
