"""One running coachdesk per profile: a lock file in the profile folder, and a local socket on
which a second launch asks the first to come forward (and to import the file it was given).

    lock = ProfileLock(profile_dir)
    if not lock.acquire():
        answer = hand_over(profile_dir, paths, owner_pid=lock.owner_pid())   # the second launch
    listener = LaunchListener(profile_dir)            # the first, once its event loop runs
    listener.requested.connect(open_requests.add)     # list of paths; [] means "come forward"

Two windows on one profile would each think the other's session marker was a crash, and each
keep edits the other cannot see until restarted.
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QSysInfo, Signal

logger = logging.getLogger(__name__)

LOCK_NAME = "coachdesk.lock"
REPLY = b"ok\n"


def server_name(profile_dir: Path) -> str:
    """The local socket's name for this profile: the same in every launch by this user.

    A hash of the user and the folder's full path, so that it fits a Unix socket path and two
    profiles, or two users on one laptop, never share a name.
    """
    import hashlib  # here, not at the top: 2 ms off the path to the first paint

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    where = os.path.normcase(str(Path(profile_dir).expanduser().resolve()))
    digest = hashlib.sha256(f"{user}\0{where}".encode()).hexdigest()[:24]
    return f"coachdesk-{digest}"


class ProfileLock:
    """The profile folder's lock file. A lock left by a crashed coachdesk is taken over."""

    def __init__(self, profile_dir: Path) -> None:
        self.path = profile_dir / LOCK_NAME
        self._lock = QLockFile(str(self.path))
        # Never judge a lock stale by its age: only a lock whose process has gone is stale
        # (QLockFile checks the process id and name on this host).
        self._lock.setStaleLockTime(0)
        self.unavailable = False  # the lock file could not be written at all

    def acquire(self) -> bool:
        """True when this process now holds the profile; False when another coachdesk does."""
        if self._lock.tryLock(0):
            return True
        if self._lock.error() == QLockFile.LockError.LockFailedError:
            _pid, host, _app = self._lock.getLockInfo()
            if not host or host == QSysInfo.machineHostName():
                return False
            # Written on another computer: the folder was copied (or synced) while open there.
            # Qt cannot tell whether that process lives, so it would never call the lock stale.
            logger.warning("taking over %s, left by coachdesk on %s", self.path, host)
            self._lock.removeStaleLockFile()
            return self._lock.tryLock(0)
        # A folder where no lock file can be made (read-only, full): opening the profile will
        # say what is wrong with it; a lock we cannot take must not be the reason it fails.
        logger.warning("could not create the lock file %s (%s)", self.path, self._lock.error())
        self.unavailable = True
        return True

    def owner_pid(self) -> int | None:
        """The process id of the coachdesk holding the lock, when the lock file names one."""
        pid, _host, _app = self._lock.getLockInfo()  # (0, "", "") when there is none
        return int(pid) or None

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()


# --- the second launch ----------------------------------------------------------------------------


def hand_over(
    profile_dir: Path,
    paths: list[Path],
    *,
    owner_pid: int | None = None,
    patience: float = 10.0,
) -> bool:
    """Ask the coachdesk open on this profile to come forward and open `paths`.

    True once it has said it received the request. Waits up to `patience` seconds for it to
    listen: a first launch that is still starting (a full check after a crash) listens late.
    """
    import json

    from PySide6.QtNetwork import QLocalSocket

    if owner_pid is not None:
        _allow_to_come_forward(owner_pid)
    message = json.dumps({"open": [str(p) for p in paths]}).encode() + b"\n"
    name = server_name(profile_dir)
    deadline = time.monotonic() + patience
    while True:
        socket = QLocalSocket()
        socket.connectToServer(name)
        if socket.waitForConnected(1000):
            socket.write(message)
            socket.flush()
            reply = b""
            while REPLY not in reply and socket.waitForReadyRead(5000):
                reply += bytes(socket.readAll().data())
            socket.disconnectFromServer()
            if REPLY in reply:
                return True
            logger.info("the coachdesk open on %s did not answer", profile_dir)
            return False
        if time.monotonic() >= deadline:
            logger.info("no coachdesk listening on %s: %s", name, socket.errorString())
            return False
        time.sleep(0.2)


def _allow_to_come_forward(pid: int) -> None:
    # Windows lets only the foreground process give the focus away: the launch the coach just
    # started is in the foreground, so it lets the first one take it.
    if sys.platform == "win32":
        try:
            import ctypes

            ctypes.windll.user32.AllowSetForegroundWindow(pid)  # type: ignore[attr-defined]
        except (OSError, AttributeError) as exc:
            logger.info("AllowSetForegroundWindow: %s", exc)


# --- the first launch -----------------------------------------------------------------------------


class LaunchListener(QObject):
    """Listens for later launches on this profile; `requested` carries the paths they bring."""

    requested = Signal(list)  # list[Path]; an empty list asks only to come forward

    def __init__(self, profile_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.profile_dir = profile_dir
        self._server = None  # made in listen(): QtNetwork stays off the path to the first paint
        self._pending: dict[object, bytes] = {}

    def listen(self) -> bool:
        """Start listening; False (logged) if the name cannot be taken."""
        from PySide6.QtNetwork import QLocalServer

        self.name = server_name(self.profile_dir)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        # We hold the profile's lock, so a socket file by this name is a crashed launch's.
        QLocalServer.removeServer(self.name)
        if self._server.listen(self.name):
            return True
        logger.warning(
            "cannot listen for other launches on %s: %s", self.name, self._server.errorString()
        )
        return False

    def close(self) -> None:
        if self._server is not None:
            self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            self._pending[connection] = b""
            connection.readyRead.connect(lambda c=connection: self._read(c))
            connection.disconnected.connect(lambda c=connection: self._forget(c))
            if connection.bytesAvailable():
                self._read(connection)

    def _read(self, connection) -> None:
        buffer = self._pending.get(connection, b"") + bytes(connection.readAll().data())
        if b"\n" not in buffer:
            if len(buffer) > 1_000_000:  # not a launch of ours
                connection.abort()
            self._pending[connection] = buffer
            return
        line = buffer.split(b"\n", 1)[0]
        self._pending[connection] = b""
        paths = parse_request(line)
        if paths is None:
            logger.warning("ignored a malformed request from another launch")
            connection.abort()
            return
        connection.write(REPLY)
        connection.flush()
        connection.disconnectFromServer()
        logger.info("another launch asked to come forward (files: %s)", [str(p) for p in paths])
        self.requested.emit(paths)

    def _forget(self, connection) -> None:
        self._pending.pop(connection, None)
        connection.deleteLater()


def parse_request(line: bytes) -> list[Path] | None:
    """The paths in a launch's request, or None if it is not one."""
    import json

    try:
        message = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(message, dict) or not isinstance(message.get("open"), list):
        return None
    if not all(isinstance(p, str) and p for p in message["open"]):
        return None
    return [Path(p) for p in message["open"]]
