# SPDX-License-Identifier: GPL-2.0-or-later
# tests/loopback-port.bash - where a broker started by a test or by bench/run
# listens: sourced by helper.bash, rabbitmq.bash and bench/run.

# free_loopback_port: a port free on 127.0.0.1, for a broker of a test.
# Picked at random below the kernel's ephemeral range
# (net.ipv4.ip_local_port_range), where no outgoing connection takes it
# between this pick and the broker's bind, and never a broker's usual port
# (1883, 8883, 5672, 5671, 4369, 25672) nor node_exporter's (9100).
free_loopback_port() {
	python3 -c '
import random, socket
lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
usual = {1883, 8883, 5672, 5671, 4369, 25672, 9100}
while True:
    p = random.randint(max(1024, lo - 12000), lo - 1)
    if p in usual:
        continue
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    break'
}
