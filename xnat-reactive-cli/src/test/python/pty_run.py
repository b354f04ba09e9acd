"""Runs a command under a pseudo-terminal, as a user at a terminal would.

Usage: pty_run.py TRIGGER ANSWER COMMAND [ARG...]

The command's stdin, stdout, stderr and controlling terminal (/dev/tty) are the pty. When TRIGGER (if not
empty) first appears in what the command wrote to the terminal, ANSWER and a newline are typed. Everything written
to the terminal is copied to this script's stdout; the exit code is the command's.
"""
import os
import pty
import sys

trigger, answer, command = sys.argv[1], sys.argv[2], sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

seen = b""
answered = not trigger
while True:
    try:
        data = os.read(fd, 65536)
    except OSError:  # EIO: the command closed the terminal
        break
    if not data:
        break
    seen += data
    if not answered and trigger.encode() in seen:
        os.write(fd, (answer + "\n").encode())
        answered = True

_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(seen)
sys.stdout.flush()
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
