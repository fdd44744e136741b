#!/usr/bin/env python3
"""station.py — a complete station loop against `invdes serve`, in the
Python standard library only (urllib, json, argparse).

This is the shape a laboratory's orchestrator (Bluesky, ChemOS, a robot's
SDK) would copy: the coordinator (`invdes serve`) owns the ids and the
database; the station pulls work, runs the experiment, and pushes one result
per proposal:

    ask (with a lease)  ->  evaluate (heartbeat while it runs)  ->  post result
            ^                                                        |
            +------------------- until the budget is spent ----------+

What it takes care of, and why:
  * Identity comes from the bearer token (--token-file, or $INVDES_TOKEN),
    never from the request body: the server decides which station we are.
  * Leases: a proposal we hold is ours until the lease ends; if the
    experiment may take longer than the lease, a heartbeat thread extends it
    every lease/3 seconds while the evaluator runs.
  * Retries: a 503 (database busy; the server says when to come back in
    Retry-After) or a lost connection (the server restarting) is retried
    with capped exponential back-off and jitter. Re-posting the same result
    after a reconnect is safe: the server answers 200 to an identical result
    and 409 only to a different one, so a result whose answer got lost on
    the wire is never recorded twice. Asking again is safe too: the same
    station asking before it reports gets its own proposals back.
  * The end: when an ask returns nothing, the station looks at /v1/status;
    when every evaluation of the budget has a result it stops, otherwise
    (other stations still hold proposals, whose leases may run out) it waits
    and asks again.

Evaluators: --command 'PROGRAM ARGS...' runs a program per proposal with the
same protocol as the campaign's `objective: {kind: command}` (one JSON object
{"id", "parameters"} on standard input, one JSON object of target values, or
{"failed": "reason"}, on standard output); without it, a built-in test
function gives every target a smooth value of the parameters.

Every 2xx answer can be logged as one JSON line (--log FILE), which is what a
lab keeps as its own record, and what tests/serve_kill.sh checks against the
database after killing the server.

Example:
    invdes serve --db demo.db --listen 127.0.0.1:8080 --tokens tokens &
    printf '%s' "$TOKEN" > robot1.token; chmod 600 robot1.token
    examples/station.py --url http://127.0.0.1:8080 --token-file robot1.token \\
        --lease 60 --command 'python3 furnace.py'
Exit status: 0 when the budget is spent (or --cycles were run), 1 on an
error the server will not take back (a 4xx other than 409 on a re-post), 2
on bad usage, 3 when the server stayed unreachable longer than --patience.
"""
import argparse
import http.client
import json
import math
import os
import random
import shlex
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request


class ApiError(Exception):
    """An answer the server gave on purpose: HTTP status plus its error body
    ({"error": {"code": ..., "message": ...}})."""

    def __init__(self, status, code, message):
        super().__init__(f"HTTP {status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


def api_error(status, raw):
    """The ApiError of a refusal's body, whatever it holds."""
    try:
        err = json.loads(raw)["error"]
        return ApiError(status, err["code"], err["message"])
    except (ValueError, KeyError, TypeError):
        return ApiError(status, None, raw.decode(errors="replace")[:200])


class Unreachable(Exception):
    """The server did not answer within --patience seconds."""


class Client:
    """One station's view of the API. Every call goes through request(),
    which sends it again after a 503, a 500 or a lost connection: safe,
    because every call a station makes is idempotent (ask: the same
    proposals come back; result: the same result again is 200, changing
    nothing; heartbeat: a lease is extended, never shortened)."""

    RETRY_STATUS = (500, 503)   # docs/serve.md: "retry? yes"

    def __init__(self, url, token, patience=120.0, timeout=30.0, log=None, station=None):
        self.url = url.rstrip("/")
        self.token = token
        # Only a server without --tokens takes the name from the body; with
        # tokens, the token is the name.
        self.named = {"station": station} if station else {}
        self.patience = patience    # seconds of 503s / lost connections we sit out
        self.timeout = timeout      # seconds one request may take
        self.log = log              # open file for one JSON line per 2xx, or None
        self.log_lock = threading.Lock()
        self.retries = 0            # requests sent again, for the summary
        self.posted = 0             # results answered 2xx

    def request(self, method, path, body=None):
        """Sends one request; returns (status, decoded JSON or text) of a
        2xx, raises ApiError for a refusal and Unreachable when retrying
        (back-off from 0.1 s doubling to 5 s with jitter, or the server's
        Retry-After) went on longer than self.patience."""
        data = None if body is None else json.dumps(body, allow_nan=False).encode()
        deadline = time.monotonic() + self.patience
        delay = 0.1
        while True:
            req = urllib.request.Request(self.url + path, data=data, method=method)
            if self.token:
                req.add_header("Authorization", "Bearer " + self.token)
            if data is not None:
                req.add_header("Content-Type", "application/json")
            wait = None
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    status, raw = resp.status, resp.read()
                    kind = resp.headers.get("Content-Type", "")
                payload = json.loads(raw) if "json" in kind and raw else raw.decode()
                self._log(method, path, body, status, payload)
                return status, payload
            except urllib.error.HTTPError as e:
                if e.code not in self.RETRY_STATUS:
                    raise api_error(e.code, e.read()) from None
                retry_after = e.headers.get("Retry-After", "")
                wait = float(retry_after) if retry_after.isdigit() else None
            except (OSError, http.client.HTTPException):
                # Refused, reset, timed out, cut off mid-answer: the server
                # may be restarting. The request may or may not have been
                # applied; sending it again is safe (see above). (URLError
                # and socket timeouts are OSErrors.)
                pass
            if time.monotonic() >= deadline:
                raise Unreachable(f"{method} {path}: no answer for {self.patience:g} s")
            self.retries += 1
            time.sleep(wait if wait is not None else delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 5.0)

    def _log(self, method, path, body, status, payload):
        if self.log is None:
            return
        line = json.dumps({"t": time.time(), "method": method, "path": path,
                           "status": status, "request": body, "response": payload})
        with self.log_lock:
            self.log.write(line + "\n")
            self.log.flush()

    # --- the verbs a station uses ------------------------------------------
    def ask(self, n, lease):
        """Up to n proposals [{"id", "parameters", "lease_expires"}]; none
        when the budget allows no more."""
        _, out = self.request("POST", "/v1/ask", {"n": n, "lease": lease, **self.named})
        return out["proposals"]

    def result(self, pid, report):
        """Posts one result: {"values": {...}, "sd": {...}} or {"failed":
        "reason"} or {"abandon": true}."""
        out = self.request("POST", f"/v1/proposals/{pid}/result", {**report, **self.named})[1]
        self.posted += 1
        return out

    def heartbeat(self, pid, lease):
        return self.request("POST", f"/v1/proposals/{pid}/heartbeat",
                            {"lease": lease, **self.named})[1]

    def status(self):
        return self.request("GET", "/v1/status")[1]

    def campaign(self):
        return self.request("GET", "/v1/campaign")[1]


# --- evaluators ---------------------------------------------------------------
def builtin_evaluator(targets):
    """A built-in test function: target k gets sum over the parameters of
    sin(0.01 x + k)^2, smooth and deterministic, a categorical label counting
    as (sum of its character codes mod 7) / 7. Good for trying a loop end to
    end without an instrument."""

    def evaluate(proposal):
        params = proposal["parameters"]
        values = {}
        for k, target in enumerate(targets):
            s = 0.0
            for name, v in sorted(params.items()):
                x = float(v) if isinstance(v, (int, float)) else (sum(map(ord, str(v))) % 7) / 7
                s += math.sin(0.01 * x + k) ** 2
            values[target] = round(s, 12)
        return {"values": values}

    return evaluate


def command_evaluator(argv, timeout):
    """Runs argv per proposal with the `kind: command` protocol: a JSON
    request on stdin, one JSON object on stdout ({"target": value, ...} or
    {"failed": "reason"}). A crash or bad output becomes a failed result with
    the reason, so the strategy learns from it and the budget moves on."""

    def evaluate(proposal):
        request = json.dumps({"id": proposal["id"], "parameters": proposal["parameters"]})
        try:
            run = subprocess.run(argv, input=request, capture_output=True, text=True,
                                 timeout=timeout or None)
        except subprocess.TimeoutExpired:
            return {"failed": f"{argv[0]}: no answer in {timeout:g} s"}
        except OSError as e:
            return {"failed": f"{argv[0]}: {e.strerror}"}
        try:
            out = json.loads(run.stdout)
        except ValueError:
            out = None
        if not isinstance(out, dict):
            why = run.stderr.strip().splitlines()[-1:] or [f"exit status {run.returncode}"]
            return {"failed": f"{argv[0]}: {why[0]}"}
        if "failed" in out:
            return {"failed": str(out["failed"])}
        return {"values": {k: v for k, v in out.items()
                           if isinstance(v, (int, float)) and not isinstance(v, bool)}}

    return evaluate


class Heartbeat:
    """Keeps the leases of the proposals a station holds alive while it works
    through them (a with-block around the batch): every lease/3 seconds a
    heartbeat for each one not yet reported (done() takes one off). Not
    started for a lease of 0 (no end) or one long enough for the work
    (--heartbeat-below)."""

    def __init__(self, client, ids, lease, needed):
        self.client, self.lease, self.needed = client, lease, needed
        self.held = set(ids)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def done(self, pid):
        with self.lock:
            self.held.discard(pid)

    def _run(self):
        while not self.stop.wait(self.lease / 3):
            with self.lock:
                ids = sorted(self.held)
            for pid in ids:
                try:
                    self.client.heartbeat(pid, self.lease)
                except (ApiError, Unreachable) as e:
                    # 409: reported meanwhile (a race with done()); anything
                    # else the result's post will meet too.
                    if getattr(e, "status", None) != 409:
                        print(f"station: heartbeat {pid}: {e}", file=sys.stderr)

    def __enter__(self):
        if self.needed:
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        if self.needed:
            self.thread.join()


# --- the loop -----------------------------------------------------------------
def budget_spent(status):
    """True when every evaluation of the budget has a result (done or
    failed): nothing is left for any station to do."""
    budget = status.get("budget")
    counts = status.get("counts", {})
    done = counts.get("done", 0) + counts.get("failed", 0)
    return budget is not None and done >= budget


def run(client, evaluate, campaign, args):
    """The loop: ask, evaluate, report, until --cycles results were posted
    or the budget is spent. Returns the exit status."""
    cycles = 0
    while args.cycles is None or cycles < args.cycles:
        want = args.n if args.cycles is None else min(args.n, args.cycles - cycles)
        proposals = client.ask(want, args.lease)
        if not proposals:
            if budget_spent(client.status()):
                print("station: the budget is spent", file=sys.stderr)
                return 0
            time.sleep(args.idle)   # others hold the rest; their leases may run out
            continue
        # A lease shorter than the work may take: keep every held one alive.
        needed = 0 < args.lease < args.heartbeat_below
        with Heartbeat(client, [p["id"] for p in proposals], args.lease, needed) as beat:
            for p in proposals:
                report = evaluate(p)
                # Naming the campaign makes the server refuse a result meant
                # for another one (ids mean something only inside one database).
                report["campaign"] = campaign
                try:
                    client.result(p["id"], report)
                except ApiError as e:
                    # 409: a *different* result is recorded already (not ours
                    # to overwrite); 403: the lease ran out and another station
                    # took the proposal. Either way a person should look.
                    print(f"station: result for proposal {p['id']}: {e}", file=sys.stderr)
                    return 1
                beat.done(p["id"])
                cycles += 1
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:8080", help="the server")
    ap.add_argument("--token-file", help="file holding this station's bearer token "
                    "(default: $INVDES_TOKEN; none for a server without --tokens)")
    ap.add_argument("--station", help="this station's name, for a server without --tokens "
                    "(with tokens the token names the station)")
    ap.add_argument("-n", type=int, default=1, help="proposals per ask (default 1)")
    ap.add_argument("--lease", type=int, default=3600,
                    help="seconds a proposal stays ours without a heartbeat (default 3600)")
    ap.add_argument("--heartbeat-below", type=int, default=600,
                    help="heartbeat while evaluating when the lease is shorter (default 600 s)")
    ap.add_argument("--cycles", type=int, help="stop after this many results (default: the budget)")
    ap.add_argument("--command", help="evaluator program and arguments (JSON on stdin/stdout)")
    ap.add_argument("--timeout", type=float, default=0, help="seconds per evaluation (0: none)")
    ap.add_argument("--patience", type=float, default=120,
                    help="seconds to keep retrying an unreachable or busy server (default 120)")
    ap.add_argument("--idle", type=float, default=1.0,
                    help="seconds to wait when nothing is offered but the budget is not spent")
    ap.add_argument("--log", help="append one JSON line per 2xx answer to this file")
    args = ap.parse_args(argv)
    if args.n < 1 or (args.cycles is not None and args.cycles < 0) or args.lease < 0:
        ap.error("-n must be >= 1, --cycles and --lease >= 0")

    token = os.environ.get("INVDES_TOKEN")
    if args.token_file:
        with open(args.token_file, encoding="utf-8") as f:
            token = f.read().strip()
    log = open(args.log, "a", encoding="utf-8") if args.log else None
    client = Client(args.url, token, patience=args.patience, log=log, station=args.station)
    try:
        campaign = client.campaign()   # who we work for, and its targets
        if args.command:
            evaluate = command_evaluator(shlex.split(args.command), args.timeout)
        else:
            evaluate = builtin_evaluator([t["name"] for t in campaign["targets"]])
        status = run(client, evaluate, campaign["name"], args)
        print(f"station: {client.posted} results posted, {client.retries} requests "
              "retried", file=sys.stderr)
        return status
    except ApiError as e:
        print(f"station: {e}", file=sys.stderr)
        return 1
    except Unreachable as e:
        print(f"station: {e}", file=sys.stderr)
        return 3
    finally:
        if log:
            log.close()


if __name__ == "__main__":
    sys.exit(main())
