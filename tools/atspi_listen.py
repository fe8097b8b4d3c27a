"""Listen to coachdesk as a screen reader does: its AT-SPI tree and the events it sends.

    /usr/bin/python3 tools/atspi_listen.py [--app coachdesk] [--settle 1.0] STEP...

Runs with the system Python and Debian's pyatspi (apt-get install python3-pyatspi at-spi2-core
xdotool openbox), against a coachdesk already running on the same session bus and display with
QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 (it is not a test and imports nothing of coachdesk). For
example, under Xvfb:

    Xvfb :93 -screen 0 1366x768x24 &  export DISPLAY=:93
    openbox &    # a window manager gives focus back to the window when a dialog closes
    eval "$(dbus-launch --sh-syntax)"
    /usr/libexec/at-spi-bus-launcher --launch-immediately &
    .venv/bin/python -m coachdesk --data-dir DEMO demo     # a demo profile, once
    PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring \
        QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 .venv/bin/python -m coachdesk --data-dir DEMO &
    /usr/bin/python3 tools/atspi_listen.py tree key:ctrl+k type:reading wait:2 focused

(Without the keyring setting, a bare session bus starts gnome-keyring when coachdesk first
reads its keys, and an export waits on its "Unlock Login Keyring" prompt; with it, coachdesk
asks for its own passphrase, as on a laptop with no keyring.)

Each STEP runs in turn; after each, what was heard during `--settle` seconds is printed (focus
moving, announcements, a status label's text changing, a window or dialog opening):

    tree            every node of the active window: role, name, description (and its state
                    when it is a check box or toggle: checked or not); what is under a hidden
                    node is counted, not listed
    tree-all        the same, hidden nodes' children too
    focused         the focused node (of the last focus event heard) and the nodes above it
    key:KEYS        xdotool key KEYS (ctrl+k, Tab, shift+Tab, Return, Escape, space)
    type:TEXT       xdotool type TEXT
    press:NAME      do the first action of the first node named NAME (as a screen reader's
                    "activate" does), in the active window
    focus:NAME      give focus to the first node named NAME (Qt does it for buttons, boxes,
                    one-line fields and tables, not for a multi-line text field: Tab there)
    wait:SECONDS    listen for that long
    say:TEXT        print TEXT (a heading in the transcript)

What a screen reader such as Orca says is printed as "heard": focus moving ("heard focus: push
button 'Add a school'"), announcements ("heard announcement (polite): 'Saved 9:25 AM'"), a
change to the focused node's name or checked state, a window opening. What changes silently is
printed as "seen ... (not said)": a label's text changing (a label is not a live region), a
check box ticked while focus is elsewhere. Exits 1 with one sentence when the app is not found.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import pyatspi
from gi.repository import GLib

MOST_CHILDREN = 40  # a table lists its first cells, then how many more there are
DEEPEST = 25
EVENTS = (
    "object:announcement",
    "object:state-changed:focused",
    "object:state-changed:checked",
    "object:property-change:accessible-name",
    "object:property-change:accessible-description",
    "object:text-changed:insert",
    "window:activate",
    "window:create",
)
# Typing into a field echoes each letter: only text changing elsewhere (a status label) is news.
EDITABLE = {pyatspi.ROLE_ENTRY, pyatspi.ROLE_TEXT, pyatspi.ROLE_PASSWORD_TEXT}
TOGGLES = {pyatspi.ROLE_CHECK_BOX, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_RADIO_BUTTON}


def describe(node) -> str:
    """label: role 'name' (description) [checked], as a screen reader would begin to say it
    (the label is the one it is labelled by, when that differs from its name)."""
    try:
        role = node.getRoleName()
        name = node.name or ""
        description = node.description or ""
        states = node.getState()
    except Exception as exc:  # noqa: BLE001  (a node that went away while being read)
        return f"(gone: {type(exc).__name__})"
    text = f"{role} '{name}'"
    label = labelled_by(node)
    if label and label != name:
        text = f"{label}: {text}"  # a screen reader says the label first
    if description:
        text += f" ({description})"
    if node.getRole() in TOGGLES:
        text += " [checked]" if states.contains(pyatspi.STATE_CHECKED) else " [not checked]"
    if not states.contains(pyatspi.STATE_SHOWING) and node.getRole() != pyatspi.ROLE_APPLICATION:
        text += " [hidden]"
    return text


def labelled_by(node) -> str:
    """The text of the label the node is labelled by (a QLabel's buddy), if any."""
    try:
        for relation in node.getRelationSet():
            if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY:
                return " ".join(
                    relation.getTarget(i).name for i in range(relation.getNTargets())
                ).strip()
    except Exception:  # noqa: BLE001  (no relations to read)
        return ""
    return ""


def find_app(name: str):
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is not None and app.name == name:
            return app
    return None


def active_window(app):
    """The app's active top-level window (a dialog when one is open), else its last shown one."""
    windows = [w for w in app if w is not None]
    for window in reversed(windows):
        if window.getState().contains(pyatspi.STATE_ACTIVE):
            return window
    shown = [w for w in windows if w.getState().contains(pyatspi.STATE_SHOWING)]
    return (shown or windows or [None])[-1]


def give_back_focus(app) -> None:
    """When no window of the app is active, activate its main window (without a window
    manager, the X focus can stay on a dialog that closed)."""
    if not any(w is not None and w.getState().contains(pyatspi.STATE_ACTIVE) for w in app):
        print("(no window of the app is active: its main window is activated)")
        focus_x_window(app)


def print_tree(node, depth: int = 0, *, hidden: bool = False) -> None:
    """The node and those under it; a hidden node's own (not on screen) are only counted."""
    line = describe(node)
    count = node.childCount
    if not hidden and line.endswith("[hidden]") and count:
        print("  " * depth + f"{line} ({count} under it, not shown)")
        return
    print("  " * depth + line)
    if depth >= DEEPEST:
        return
    for index in range(min(count, MOST_CHILDREN)):
        child = node.getChildAtIndex(index)
        if child is not None:
            print_tree(child, depth + 1, hidden=hidden)
    if count > MOST_CHILDREN:
        print("  " * (depth + 1) + f"... {count - MOST_CHILDREN} more")


def focused_node(window):
    """The showing node with the focused state under `window` (depth first), or None."""
    stack = [window]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        try:
            states = node.getState()
            if not states.contains(pyatspi.STATE_SHOWING):
                continue  # (a hidden page keeps the focused state its widget had)
            if states.contains(pyatspi.STATE_FOCUSED):
                return node
            stack.extend(node.getChildAtIndex(i) for i in range(min(node.childCount, 400)))
        except Exception:  # noqa: BLE001, S112  (gone while walking)
            continue
    return None


def focus_x_window(app) -> None:
    """Activate the app's shown X window (through the window manager, else straight)."""
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--pid", str(app.get_process_id())],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    if found:
        activated = subprocess.run(
            ["xdotool", "windowactivate", "--sync", found[0]], capture_output=True, check=False
        )
        if activated.returncode != 0:  # no window manager: set the X focus
            subprocess.run(["xdotool", "windowfocus", "--sync", found[0]], check=False)


def find_named(window, name: str):
    stack = [window]
    while stack:
        node = stack.pop(0)
        if node is None:
            continue
        if node.name == name and node.getState().contains(pyatspi.STATE_SHOWING):
            return node
        stack.extend(node.getChildAtIndex(i) for i in range(min(node.childCount, 400)))
    return None


class Listener:
    def __init__(self, app_name: str, *, everything: bool) -> None:
        self.app_name = app_name
        self.everything = everything
        self.last_focus = None  # the node of the last focus event: where a reader's focus is

    def __call__(self, event) -> None:
        try:
            source = event.source
            app = source.getApplication() if source is not None else None
            if app is None or app.name != self.app_name:
                return
            self.hear(event, source)
        except Exception as exc:  # noqa: BLE001  (a source gone before it was read)
            print(f"heard {event.type} (unreadable: {type(exc).__name__})")

    def hear(self, event, source) -> None:
        """What a screen reader says ("heard"), and changes it does not say ("seen")."""
        kind = event.type
        focused = source.getState().contains(pyatspi.STATE_FOCUSED)
        if kind.startswith("object:announcement"):
            politeness = {1: "polite", 2: "assertive"}.get(event.detail1, str(event.detail1))
            print(f"heard announcement ({politeness}): '{event.any_data}' from {describe(source)}")
        elif kind.startswith("object:state-changed:focused"):
            if event.detail1:
                self.last_focus = source
                print(f"heard focus: {describe(source)}")
        elif kind.startswith("object:state-changed:checked"):
            said = "heard" if focused else "seen (not focused, not said)"
            print(f"{said} {'checked' if event.detail1 else 'unchecked'}: {describe(source)}")
        elif kind.startswith("object:property-change:accessible-"):
            what = kind.rsplit("-", 1)[1]
            if focused:
                print(f"heard {what} changed: {describe(source)}")
            elif self.everything:
                print(f"seen {what} changed (not focused, not said): {describe(source)}")
        elif kind.startswith("object:text-changed"):
            if source.getRole() not in EDITABLE:
                # A label's text is not a live region: nothing is said unless it is announced.
                print(f"seen text changed (not said): '{source.name}' in {describe(source)}")
        elif kind.startswith("window:"):
            print(f"heard window {kind.split(':')[1]}: {describe(source)}")


def run_step(app, step: str, listener: Listener) -> None:
    command, _, argument = step.partition(":")
    print(f"\n== {step}")
    if command in ("key", "type"):
        give_back_focus(app)
    window = active_window(app)
    if command in ("tree", "tree-all"):
        print_tree(window, hidden=command == "tree-all")
    elif command == "focused":
        # The last focus event is where a screen reader is (a table's current cell can keep its
        # focused state after focus left the table); without one, the walk finds it.
        node = listener.last_focus or focused_node(window)
        chain = []
        while node is not None and node.getRole() != pyatspi.ROLE_APPLICATION and len(chain) < 8:
            chain.append(describe(node))
            node = node.parent
        print("focused: " + (" < ".join(chain) if chain else "nothing"))
    elif command == "key":
        subprocess.run(["xdotool", "key", "--clearmodifiers", *argument.split()], check=True)
    elif command == "type":
        subprocess.run(["xdotool", "type", "--delay", "60", argument], check=True)
    elif command in ("press", "focus"):
        node = find_named(window, argument)
        if node is None:
            print(f"nothing named '{argument}' is showing in {describe(window)}")
        elif command == "press":
            node.queryAction().doAction(0)
        else:
            node.queryComponent().grabFocus()
    elif command == "wait":
        pass  # the listening below is the step
    elif command == "say":
        print(argument)
    else:
        print(f"unknown step '{step}' (see --help)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--app", default="coachdesk", help="the application's AT-SPI name")
    parser.add_argument("--settle", type=float, default=1.0, help="seconds heard after a step")
    parser.add_argument(
        "--everything",
        action="store_true",
        help="also print name and description changes of nodes without focus (not said)",
    )
    parser.add_argument("steps", nargs="*", default=["tree"])
    args = parser.parse_args(argv)

    app = find_app(args.app)
    if app is None:
        print(
            f"No application named '{args.app}' is on the accessibility bus: start it with "
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 on this display and session bus.",
            file=sys.stderr,
        )
        return 1
    listener = Listener(args.app, everything=args.everything)
    focus_x_window(app)
    pyatspi.Registry.registerEventListener(listener, *EVENTS)
    steps = list(args.steps)

    def next_step() -> bool:
        if not steps:
            pyatspi.Registry.stop()
            return False
        step = steps.pop(0)
        run_step(app, step, listener)
        seconds = float(step.partition(":")[2]) if step.startswith("wait:") else args.settle
        sys.stdout.flush()
        GLib.timeout_add(int(seconds * 1000), next_step)
        return False

    GLib.timeout_add(200, next_step)
    started = time.monotonic()
    pyatspi.Registry.start()
    print(f"\n(listened {time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
