"""The tools a team runs when models and diagrams are reviewed like code: ``check`` (one exit
code for a pre-commit hook or CI), the text form of a model for ``git diff`` (``textconv``),
the pull-request comment, and drawing a model library to files (which are stale, drawing them
on every core). Built on the reports and the diagrams; only the command line imports it."""
