"""The one exception type whose message a user reads (in Dutch) instead of a traceback."""


class GebruikersFout(Exception):
    """A mistake the user can fix: bad input file, unknown name, out-of-range value.

    The message is Dutch and names the file, row and field where known; the CLI prints it on one
    line and exits with a non-zero code.
    """
