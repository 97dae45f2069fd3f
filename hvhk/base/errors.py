"""The one exception type whose message a user reads (in Dutch) instead of a traceback."""

import errno


class GebruikersFout(Exception):
    """A mistake the user can fix: bad input file, unknown name, out-of-range value.

    The message is Dutch and names the file, row and field where known; the CLI prints it on one
    line and exits with a non-zero code.
    """


_OS_ERRORS_DUTCH = {
    errno.ENOENT: "bestaat niet",
    errno.EACCES: "geen toegang",
    errno.EPERM: "geen toelating",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EISDIR: "is een map, geen bestand",
    errno.EEXIST: "bestaat al als bestand; een map werd verwacht",
    errno.ENOSPC: "de schijf is vol",
    errno.EROFS: "staat op een schijf waarop niet geschreven mag worden",
}


def describe_os_error(error: OSError) -> str:
    """A one-line Dutch description of a failed file operation, naming the file."""
    problem = _OS_ERRORS_DUTCH.get(error.errno, f"kan niet gelezen of geschreven worden ({error.strerror})")
    return f"{error.filename}: {problem}" if error.filename else problem
