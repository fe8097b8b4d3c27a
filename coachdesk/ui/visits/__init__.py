"""Visit screens: a school's visit timeline, the visit page, and search everything (Ctrl+K)."""
