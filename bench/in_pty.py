"""Run a command with its stdout on an 80x24 pseudo-terminal, as a user's terminal is.

Usage: python -S -I bench/in_pty.py COMMAND [ARG ...]

pyperf command sends a command's output to /dev/null, where shanxi prints JSON, not a
table; the table cases run under this helper instead. It reads the terminal until the
command closes it (as a terminal would), copies what it read to its own stdout (so a
check can see the table) and exits with the command's status. Standard library only,
and started with -S -I so that it adds as little as it can to the time it is part of.
"""

import errno
import fcntl
import os
import pty
import struct
import sys
import termios

COLUMNS, LINES = 80, 24


def main(argv: list[str]) -> int:
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    pid = os.fork()
    if pid == 0:
        os.dup2(follower, 1)
        os.close(leader)
        os.close(follower)
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    os.close(follower)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError as error:
            if error.errno == errno.EIO:  # Linux: the command closed the terminal
                break
            raise
        if not chunk:
            break
        shown += chunk
    _, status = os.waitpid(pid, 0)
    sys.stdout.buffer.write(shown)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
