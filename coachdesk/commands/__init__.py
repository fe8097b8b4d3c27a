"""Command-line subcommands, one module per area; coachdesk/cli.py wires them up."""
