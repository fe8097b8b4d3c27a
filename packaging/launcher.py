"""The frozen app's entry point: PyInstaller runs this file as __main__ in every build."""

from coachdesk.cli import main

raise SystemExit(main())
