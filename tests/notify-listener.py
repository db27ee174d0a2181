#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A stand-in for systemd's end of sd_notify(3), for the mqled tests.

notify-listener.py SOCKET LOG CHECK...

Binds the datagram socket SOCKET (then makes SOCKET.up), and for each
message a service sends there appends one line to LOG: the message, its
lines joined by spaces, then "yes" or "no": whether the command CHECK...
succeeded right when the message came (e.g. a client that asks the
controller for its status: was it serving when it said READY=1?). Ends
after STOPPING=1.
"""
import socket
import subprocess
import sys


def main():
    path, log_path, check = sys.argv[1], sys.argv[2], sys.argv[3:]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    open(path + ".up", "w").close()
    with open(log_path, "a", buffering=1) as log:
        while True:
            msg = s.recv(4096).decode()
            ok = subprocess.call(check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0
            log.write(msg.replace("\n", " ") + (" yes" if ok else " no") + "\n")
            if msg.startswith("STOPPING=1"):
                break


main()
