"""The command line's commands, one module per kind of work; `bot/__main__.py` dispatches."""
