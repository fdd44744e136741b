#!/usr/bin/env python3
"""serve_load.py — a load generator for bench/serve.sh: C clients (one
process each, one kept-alive HTTP/1.1 connection each, as a station's
session would be) each run K ask(n=1)+result round trips against `invdes
serve`; prints round_trips_per_s=R over the whole wall time (the clients
start together behind a barrier). Standard library only.

usage: serve_load.py HOST PORT TOKENS_FILE CLIENTS CYCLES_PER_CLIENT
(the tokens file's first CLIENTS station lines are the clients)."""
import http.client
import json
import multiprocessing
import sys
import time


def client(host, port, token, cycles, barrier, errors):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    hdr = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}

    def post(path, body):
        conn.request("POST", path, json.dumps(body), hdr)
        r = conn.getresponse()
        data = r.read()
        if r.status != 200:
            raise RuntimeError(f"{path}: {r.status} {data[:200]!r}")
        return json.loads(data)

    barrier.wait()
    try:
        for k in range(cycles):
            pid = post("/v1/ask", {"n": 1, "lease": 600})["proposals"][0]["id"]
            post(f"/v1/proposals/{pid}/result",
                 {"values": {"capacity": 100.0 + k, "voltage": 3.7}})
    except Exception as e:   # counted; the script reports it
        errors.value += 1
        print(f"serve_load: {e}", file=sys.stderr)


def main():
    host, port, tokens_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    clients, cycles = int(sys.argv[4]), int(sys.argv[5])
    with open(tokens_file) as f:
        tokens = [ln.split()[0] for ln in f if ln.strip() and not ln.startswith("#")
                  and ln.split()[2] == "station"][:clients]
    barrier = multiprocessing.Barrier(clients + 1)
    errors = multiprocessing.Value("i", 0)
    procs = [multiprocessing.Process(target=client, args=(host, port, t, cycles, barrier, errors))
             for t in tokens]
    for p in procs:
        p.start()
    barrier.wait()
    t0 = time.monotonic()
    for p in procs:
        p.join()
    dt = time.monotonic() - t0
    print(f"round_trips_per_s={clients * cycles / dt:.0f} clients={clients} "
          f"cycles={clients * cycles} seconds={dt:.2f} errors={errors.value}")
    return 1 if errors.value else 0


if __name__ == "__main__":
    sys.exit(main())
