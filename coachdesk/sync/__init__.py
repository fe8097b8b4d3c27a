"""Qt-free sync: keys, trust, the signed bundle envelope, export, import and merge."""
