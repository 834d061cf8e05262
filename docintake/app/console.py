"""The operator's terminal: exit codes and stderr output, masked and never read as markup."""

from rich.console import Console
from rich.markup import escape

from docintake.core.logmask import redact

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
err = Console(stderr=True)


def say(markup: str, text: object = "") -> None:
    """Print to stderr: `text` (paths, names, library messages) is masked and never read as markup."""
    err.print(markup + escape(redact(text)))
