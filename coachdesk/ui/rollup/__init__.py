"""The supervisor's window (issue 17): a folder of coaches' bundles imported at once, and the
Roll-up area that shows what they add up to, per coach and per school."""
