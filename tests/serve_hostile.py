#!/usr/bin/env python3
"""serve_hostile.py — malformed and hostile requests against a running
`invdes serve` (driven by tests/serve_hostile.sh, which starts the server).

Every request is written byte by byte on a raw socket (http.client would
refuse to send most of them) and must get the status docs/serve.md gives it:
bad JSON, wrong types, NaN and Infinity literals and numbers that overflow
(400), missing, unknown or other-role tokens (401, 403), another station's
proposal (403), unknown, negative, overflowing and non-decimal ids (404),
path tricks (404), wrong methods (405 with Allow), bodies over 1 MiB and
JSON nested too deep (413), header floods and huge request lines (the
server's or libmicrohttpd's refusal), slow clients that stall after the
headers or half-way through a body (the server keeps answering others).
After every refused request the SHA-256 of `sqlite3 DB .dump` must be the
one before; after every batch a valid request must succeed. Ends with the
valid report, its idempotent repeat (200) and a different one (409).

usage: serve_hostile.py HOST PORT DB TOKENS_FILE PENDING_ID DONE_ID
(PENDING_ID leased to station s1 for an hour, DONE_ID reported by s1).
Prints one line per failed check and a tally; exit status 1 if any failed.
"""
import hashlib
import json
import socket
import subprocess
import sys
import time

HOST, PORT, DB, TOKENS = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
PENDING, DONE = int(sys.argv[5]), int(sys.argv[6])
tokens = {}
with open(TOKENS, encoding="utf-8") as f:
    for line in f:
        if line.strip() and not line.startswith("#"):
            tok, name, _role = line.split()
            tokens[name] = tok
S1, S2, VIEWER, ADMIN = tokens["s1"], tokens["s2"], tokens["viewer"], tokens["admin"]
passed = failed = refused = 0


def dump_sum():
    out = subprocess.run(["sqlite3", DB, ".dump"], capture_output=True, check=True).stdout
    return hashlib.sha256(out).hexdigest()


def raw(data, stall=0.0, read_timeout=15.0, half_close=True):
    """Sends data (bytes, or a list of byte strings sent with `stall`
    seconds between them) on a new connection, ends our side (half_close),
    reads until the server closes it or read_timeout passes, then closes;
    returns (status or None, headers dict, body bytes)."""
    s = socket.create_connection((HOST, PORT), timeout=read_timeout)
    try:
        for i, part in enumerate(data if isinstance(data, list) else [data]):
            if i and stall:
                time.sleep(stall)
            try:
                s.sendall(part)
            except (BrokenPipeError, ConnectionResetError):
                break   # the server answered early (413, 431) and closed
        try:
            if half_close:
                s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        got = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
        except (ConnectionResetError, socket.timeout):
            pass
    finally:
        s.close()
    head, _, body = got.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        return None, {}, got
    headers = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers, body


def request(method, path, body=None, token=None, headers=(), version="HTTP/1.1"):
    """The bytes of one request; body a str/bytes (sent as is) or an object
    (sent as JSON)."""
    if body is not None and not isinstance(body, (bytes, str)):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogateescape")
    lines = [f"{method} {path} {version}", f"Host: {HOST}:{PORT}", "Connection: close"]
    if token is not None:
        lines.append(f"Authorization: Bearer {token}")
    lines.extend(headers)
    if body is not None and not any(h.lower().startswith(("content-length", "transfer-encoding"))
                                    for h in headers):
        lines.append(f"Content-Length: {len(body)}")
        lines.append("Content-Type: application/json")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


def check(what, want, data, sum_before=None, stall=0.0, json_error=True, timeout=15.0,
          half_close=True):
    """One hostile request: its status must be in want (None: the server
    closed the connection without an answer); a JSON error body when the
    server itself refused (json_error); the dump unchanged (against
    sum_before, by default the sum before the request)."""
    global passed, failed, refused, SUM
    t = time.monotonic()
    status, headers, body = raw(data, stall, timeout, half_close)
    dt = time.monotonic() - t
    problems = []
    if status not in want:
        problems.append(f"status {status}, wanted {'/'.join(sorted(map(str, want)))}: "
                        f"{body[:200]!r}")
    elif json_error and status is not None and status >= 400 and status not in (414, 431, 505):
        try:
            err = json.loads(body)["error"]
            assert isinstance(err["code"], str) and isinstance(err["message"], str)
        except (ValueError, KeyError, TypeError, AssertionError):
            problems.append(f"error body is not {{\"error\": {{code, message}}}}: {body[:200]!r}")
        if status == 405 and "allow" not in headers:
            problems.append("405 without Allow")
        if status == 401 and "bearer" not in headers.get("www-authenticate", "").lower():
            problems.append("401 without WWW-Authenticate: Bearer")
    now = dump_sum()
    if now != (sum_before or SUM):
        problems.append("the database changed")
        SUM = now   # report this one, not every request after it
    if dt > 2.5:
        print(f"note: {what}: {dt:.1f} s")
    refused += 1
    if problems:
        failed += 1
        print(f"FAIL: {what}: " + "; ".join(problems))
    else:
        passed += 1


def alive(batch):
    """A valid request after a batch: the server is up and answers."""
    global passed, failed
    status, _, body = raw(request("GET", "/v1/status", token=VIEWER))
    ok = status == 200 and json.loads(body).get("campaign") == "station-demo"
    passed, failed = passed + ok, failed + (not ok)
    if not ok:
        print(f"FAIL: after {batch}: GET /v1/status answered {status}")


RESULT = f"/v1/proposals/{PENDING}/result"
GOOD = {"values": {"capacity": 180.0, "voltage": 3.7}}
SUM = dump_sum()


def batch_auth():
    # Missing, malformed and unknown tokens: 401 on every endpoint that needs one.
    bad_auth = [None, "", " ", "x", S1[:-1], S1 + "0", S1[:-1] + ("0" if S1[-1] != "0" else "1"),
                S1.upper() if S1.upper() != S1 else S1 + "A", "Bearer " + S1, S1 + " " + S1,
                "\x00" + S1, "%s" % ("a" * 4096)]
    endpoints = [("POST", "/v1/ask", {"n": 1}), ("POST", RESULT, GOOD),
                 ("POST", f"/v1/proposals/{PENDING}/heartbeat", {"lease": 60}),
                 ("GET", "/v1/status", None), ("GET", "/v1/export?format=csv", None),
                 ("GET", "/", None), ("POST", f"/v1/proposals/{DONE}/retract", {"reason": "x"})]
    for method, path, body in endpoints:
        for tok in bad_auth:
            check(f"{method} {path} with token {tok!r:.20}", {401},
                  request(method, path, body, token=tok),
                  json_error=path != "/")
        for scheme in ("Basic " + S1, "Token " + S1, "Bearer", S1):
            check(f"{method} {path} with Authorization: {scheme:.12}", {401},
                  request(method, path, body, headers=[f"Authorization: {scheme}"]),
                  json_error=path != "/")
    # A token in the query or a cookie never authenticates a POST.
    for method, path, body in endpoints[:3]:
        check(f"{method} {path}?token=", {401}, request(method, path + "?token=" + S1, body))
        check(f"{method} {path} with a cookie", {401},
              request(method, path, body, headers=[f"Cookie: invdes_token={S1}"]))
    # Roles: a viewer may not write; a station may not amend, retract, import.
    for path, body in [("/v1/ask", {"n": 1}), (RESULT, GOOD),
                       (f"/v1/proposals/{PENDING}/heartbeat", {"lease": 60})]:
        check(f"viewer POST {path}", {403}, request("POST", path, body, token=VIEWER))
    for tok, who in ((S1, "station"), (VIEWER, "viewer")):
        check(f"{who} amend", {403}, request("POST", f"/v1/proposals/{DONE}/amend",
              {"values": {"capacity": 1}, "reason": "x"}, token=tok))
        check(f"{who} retract", {403}, request("POST", f"/v1/proposals/{DONE}/retract",
              {"reason": "x"}, token=tok))
        check(f"{who} import", {403}, request("POST", "/v1/import", "id,capacity\n", token=tok,
              headers=["Content-Type: text/csv", "Content-Length: 12"]))
    # Another station's proposal: 403 not_yours, whatever the report.
    for body in (GOOD, {"failed": "sabotage"}, {"abandon": True}, {"close": True},
                 {"capacity": 1.0}, {"values": {"capacity": 1.0}, "station": "s1"}):
        check(f"s2 reports on s1's proposal: {body}", {403},
              request("POST", RESULT, body, token=S2))
    check("s2 heartbeats s1's proposal", {403},
          request("POST", f"/v1/proposals/{PENDING}/heartbeat", {"lease": 60}, token=S2))
    check("s2 asks as s1", {403}, request("POST", "/v1/ask", {"n": 1, "station": "s1"}, token=S2))


def batch_json():
    # Bodies that are not JSON, or not the right JSON, for a report: 400.
    bodies = ["", " ", "{", "}", "[", "]", "null", "true", "0", "-1", "\"x\"", "[]", "{}",
              "{\"values\": }", "{\"values\": {}}x", "{'values': {'capacity': 1}}",
              "{\"values\": {\"capacity\": 1,}}", "{values: {capacity: 1}}",
              "{\"values\": {\"capacity\": NaN}}", "{\"values\": {\"capacity\": Infinity}}",
              "{\"values\": {\"capacity\": -Infinity}}", "{\"values\": {\"capacity\": nan}}",
              "{\"values\": {\"capacity\": inf}}", "{\"values\": {\"capacity\": 1e999}}",
              "{\"values\": {\"capacity\": -1e999}}", "{\"values\": {\"capacity\": 0x10}}",
              "{\"values\": {\"capacity\": 01}}", "{\"values\": {\"capacity\": .5}}",
              "{\"values\": {\"capacity\": \"1\"}}", "{\"values\": {\"capacity\": \"NaN\"}}",
              "{\"values\": {\"capacity\": true}}", "{\"values\": {\"capacity\": null}}",
              "{\"values\": {\"capacity\": [1]}}", "{\"values\": {\"capacity\": {}}}",
              "{\"values\": [180, 3.7]}", "{\"values\": \"capacity=1\"}", "{\"values\": null}",
              "{\"values\": {\"capcity\": 1}}", "{\"values\": {\"\": 1}}",
              "{\"values\": {\"capacity\": 1, \"capacity\": 2}}",
              "{\"values\": {\"capacity\": 1}, \"values\": {\"voltage\": 3.7}}",
              "{\"values\": {\"capacity\": 1}, \"sd\": {\"capacity\": -1}}",
              "{\"values\": {\"capacity\": 1}, \"sd\": {\"capacity\": NaN}}",
              "{\"values\": {\"capacity\": 1}, \"sd\": {\"capacity\": \"x\"}}",
              "{\"values\": {\"capacity\": 1}, \"sd\": {\"voltage\": 0.1}}",
              "{\"values\": {\"capacity\": 1}, \"sd\": [1]}",
              "{\"values\": {\"capacity\": 1}, \"failed\": \"x\"}",
              "{\"failed\": \"\"}", "{\"failed\": 1}", "{\"failed\": null}", "{\"failed\": true}",
              "{\"abandon\": \"yes\"}", "{\"abandon\": 1}", "{\"abandon\": false}",
              "{\"abandon\": true, \"values\": {\"capacity\": 1}}", "{\"close\": \"yes\"}",
              "{\"values\": {\"capacity\": 1}, \"colour\": \"red\"}",
              "{\"values\": {\"capacity\": 1}, \"id\": 999999}",
              "{\"values\": {\"capacity\": 1}, \"id\": \"%d\"}" % PENDING,
              "{\"values\": {\"capacity\": 1}, \"campaign\": \"other\"}",
              "{\"values\": {\"capacity\": 1}, \"campaign\": 7}",
              "{\"capacity\": \"1\"}", "{\"capacity\": NaN}", "{\"capcity\": 1}",
              "{\"values\": {\"capacity\": 1}}" + "\x00", "\ufeff{\"values\": {\"capacity\": 1}}",
              "{\"values\": {\"capacity\u0000\": 1}}", "{\"values\": {\"capacity\": 1e400}}",
              "{\"values\": {\"capacity\": 123456789012345678901234567890e300}}",
              "[" * 3 + "]" * 3]
    for body in bodies:
        check(f"report {body[:60]!r}", {400}, request("POST", RESULT, body, token=S1))
    for body in [b"{\"values\": {\"capacity\": \xff\xfe}}", b"{\"values\": {\"\xc3\x28\": 1}}",
                 b"{\"failed\": \"\xed\xa0\x80\"}", b"\xff\xfe{\x00}\x00"]:
        check(f"report in bad UTF-8 {body[:30]!r}", {400}, request("POST", RESULT, body, token=S1))
    # Asks and heartbeats with wrong types or out of range: 400, nothing handed out.
    for body in ["{\"n\": 0}", "{\"n\": -1}", "{\"n\": 1001}", "{\"n\": \"1\"}", "{\"n\": 1.5}",
                 "{\"n\": null}", "{\"n\": true}", "{\"n\": 1e308}", "{\"n\": NaN}",
                 "{\"n\": 99999999999999999999999}", "{\"n\": -9223372036854775808}",
                 "{\"lease\": -1}", "{\"lease\": 315576001}", "{\"lease\": \"60\"}",
                 "{\"lease\": NaN}", "{\"lease\": Infinity}", "{\"lease\": 1e999}",
                 "{\"over_budget\": \"yes\"}", "{\"over_budget\": 1}", "{\"count\": 1}",
                 "{\"n\": 1, \"n\": 2}", "[1]", "1", "{", "{\"station\": 5}"]:
        check(f"ask {body}", {400}, request("POST", "/v1/ask", body, token=S1))
    for body in ["{\"lease\": 0}", "{\"lease\": -5}", "{\"lease\": 315576001}",
                 "{\"lease\": \"x\"}", "{\"lease\": NaN}", "{\"lease\": null}", "{\"ttl\": 5}",
                 "[]", "{"]:
        check(f"heartbeat {body}", {400},
              request("POST", f"/v1/proposals/{PENDING}/heartbeat", body, token=S1))
    # Deep nesting: over 32 levels is 413, however deep, and never a stack overflow.
    for depth in (33, 100, 10000, 200000):
        for body in ("[" * depth + "]" * depth, "{\"values\": " + "[" * depth + "]" * depth + "}",
                     "{\"a\":" * depth + "1" + "}" * depth):
            check(f"nesting {depth}", {413}, request("POST", RESULT, body, token=S1))
    check("unclosed nesting", {400, 413}, request("POST", RESULT, "[" * 50000, token=S1))


def batch_size():
    # Over 1 MiB: 413, whether announced, sent, chunked or only claimed.
    big = b"{\"failed\": \"" + b"x" * (1 << 20) + b"\"}"
    check("a 1 MiB body", {413}, request("POST", RESULT, big, token=S1))
    check("a 1 MiB body to ask", {413}, request("POST", "/v1/ask", big, token=S1))
    check("a 1 MiB body, no token", {401, 413}, request("POST", RESULT, big))
    for claimed in (1 << 20 | 1, 1 << 40, 10 ** 30):
        check(f"Content-Length {claimed} without the body", {413, 400},
              request("POST", RESULT, b"", token=S1, headers=[f"Content-Length: {claimed}"]),
              json_error=claimed < 1 << 62)
    chunk = b"x" * 65536
    chunked = b"".join(b"%x\r\n" % len(chunk) + chunk + b"\r\n" for _ in range(20)) + b"0\r\n\r\n"
    check("1.25 MiB chunked", {413}, request("POST", RESULT, chunked, token=S1,
          headers=["Transfer-Encoding: chunked"]))
    for cl in ("-1", "abc", "1, 2", "0x10"):
        check(f"Content-Length: {cl}", {400, 413}, request("POST", RESULT, b"{}", token=S1,
              headers=[f"Content-Length: {cl}"]), json_error=False)
    check("bad chunk size", {400}, request("POST", RESULT, b"zz\r\n{}\r\n0\r\n\r\n", token=S1,
          headers=["Transfer-Encoding: chunked"]), json_error=False)
    check("Content-Length and chunked", {400, 413}, request("POST", RESULT,
          b"2\r\n{}\r\n0\r\n\r\n", token=S1,
          headers=["Content-Length: 5", "Transfer-Encoding: chunked"]), json_error=False)


def batch_ids_paths():
    # Unknown, negative, overflowing, non-decimal ids: 404 (as the admin, whom
    # no role check stops).
    ids = ["999999", "0", "-1", "-0", "+1", "1.0", "1e3", "0x1", "x", "%20" + str(PENDING),
           str(PENDING) + "%20", "99999999999999999999999", "9223372036854775807",
           "9223372036854775808", "18446744073709551617", "-9223372036854775809", "", "%00",
           "1%00", "NaN", "\u0661".encode("utf-8").decode("latin-1")]
    for pid in ids:
        for tail, method, body in (("/result", "POST", GOOD), ("/heartbeat", "POST", {"lease": 9}),
                                   ("", "GET", None), ("/amend", "POST",
                                   {"values": {"capacity": 1}, "reason": "x"})):
            check(f"{method} id {pid!r}{tail}", {404},
                  request(method, f"/v1/proposals/{pid}{tail}", body, token=ADMIN))
    # Path tricks: nothing is normalized, nothing outside the API is served.
    paths = ["/v1/../v1/status", "/v1/%2e%2e/v1/status", "/v1/%2E%2E/v1/status",
             "/%2e%2e/%2e%2e/etc/passwd", "/../../../../etc/passwd", "/..%2f..%2fetc/passwd",
             "//v1/status", "/v1//status", "///", "/v1/status/", "/v1/status/.", "/v1/./status",
             "/./v1/status", "/V1/STATUS", "/v1/Status", "/v1/status%00", "/v1/status%2f",
             "/v1/status;x", "/v1", "/v1/", "/v2/status", "/v1/proposals/1/result/../../1",
             "/v1/proposals//result", "/v1/proposals/%2e%2e/status",
             "/index.html", "/favicon.ico", "/" + "a" * 2000, "/v1/" + "../" * 500 + "status",
             "/v1/status" + "/" * 1000, "/v1/proposals/" + "1/" * 800 + "result"]
    for path in paths:
        check(f"GET {path[:50]}", {404}, request("GET", path, token=ADMIN))
    # %61 is "a" (RFC 3986: the same path), so this is an ask with a bad body.
    check("POST /v1/%61sk", {400}, request("POST", "/v1/%61sk", GOOD, token=ADMIN))
    for path in ("/v1/ask/", "/v1//ask", "/v1/../v1/ask", "/v1/%2e%2e/v1/ask",
                 "/v1/ask%00", f"/v1/proposals/{PENDING}%00/result", f"/v1/proposals/{PENDING}/result/",
                 f"/v1/proposals/{PENDING}//result", f"/v1/proposals/{PENDING}/../{PENDING}/result",
                 f"/v1/proposals/{PENDING}/Result"):
        check(f"POST {path}", {404}, request("POST", path, GOOD, token=ADMIN))
    for path in ("/v1/export?format=xml", "/v1/export?format=",
                 "/v1/proposals?state=bogus", "/v1/proposals?state=", "/v1/proposals?after=-1",
                 "/v1/proposals?after=abc", "/v1/proposals?after=99999999999999999999999",
                 "/v1/export?history=maybe"):
        check(f"GET {path}", {400}, request("GET", path, token=ADMIN))
    # Request lines the server cannot use.
    check("absolute URI", {400, 404}, request("GET", "http://evil.example/v1/status", token=ADMIN),
          json_error=False)
    check("asterisk", {400, 404, 405}, request("OPTIONS", "*", token=ADMIN), json_error=False)
    check("a 100 KB path", {414, 431, 400}, request("GET", "/v1/" + "a" * 100000, token=ADMIN),
          json_error=False)
    # A TLS hello on the plain port has no line end: an answer or none.
    check("a TLS hello", {400, None}, b"\x16\x03\x01\x02\x00\x01\x00", json_error=False,
          timeout=2.0, half_close=False)
    for line in (b"HELLO\r\n\r\n", b"GET\r\n\r\n", b"GET /v1/status\r\n\r\n",
                 b"GET /v1/status HTTP/9.9\r\nHost: x\r\n\r\n",
                 b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", b"GET /v1/status HTTP/1.1\r\nHost x\r\n\r\n",
                 b"GET /v1/sta tus HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"):
        # (no token: 401 is right for whatever libmicrohttpd made of it)
        check(f"request line {line[:30]!r}", {400, 401, 404, 505, None}, line, json_error=False)
    # Blank lines only: the server waits for a request line (RFC 9112 lets it
    # skip them) and answers nothing; we give up after 2 s.
    check("400 blank lines", {None}, b"\r\n" * 400, json_error=False, timeout=2.0,
          half_close=False)


def batch_methods():
    # The path exists, the method does not: 405 with Allow.
    cases = [("GET", "/v1/ask"), ("PUT", "/v1/ask"), ("DELETE", "/v1/ask"),
             ("GET", RESULT), ("PUT", RESULT), ("DELETE", RESULT), ("PATCH", RESULT),
             ("GET", f"/v1/proposals/{PENDING}/heartbeat"), ("POST", "/v1/status"),
             ("DELETE", "/v1/status"), ("POST", "/v1/best"), ("PUT", "/v1/campaign"),
             ("POST", "/v1/export"), ("POST", "/v1/etag"), ("POST", "/v1/openapi.json"),
             ("DELETE", "/"), ("POST", "/"), ("PUT", "/"), ("GET", "/v1/import"),
             ("DELETE", f"/v1/proposals/{PENDING}"), ("POST", f"/v1/proposals/{PENDING}"),
             ("TRACE", "/v1/status"), ("PATCH", "/v1/ask"), ("FOO", "/v1/status")]
    for method, path in cases:
        body = GOOD if method in ("PUT", "PATCH", "POST", "DELETE") else None
        check(f"{method} {path}", {405, 501} if method == "FOO" else {405},
              request(method, path, body, token=ADMIN), json_error=method != "FOO")


def batch_headers():
    # Header floods and huge headers: refused, nothing changed, server up.
    flood = [f"X-Flood-{i}: {'y' * 20}" for i in range(5000)]
    check("5000 headers", {400, 413, 431, None}, request("POST", RESULT, GOOD, token=S1,
          headers=flood), json_error=False)
    check("one 200 KB header", {400, 413, 431, None}, request("GET", "/v1/status", token=S1,
          headers=["X-Big: " + "z" * 200000]), json_error=False)
    check("a 200 KB token", {400, 401, 413, 431, None}, request("GET", "/v1/status",
          token="t" * 200000), json_error=False)
    # Two tokens: whichever the server reads, never the holder's 2xx.
    for first, second in ((S2, S1), ("x" * 32, S1)):
        check("two Authorization headers", {400, 401, 403}, request("POST", RESULT, GOOD,
              token=first, headers=[f"Authorization: Bearer {second}"]))
    # libmicrohttpd ends a header at a NUL: what follows it is never read.
    check("a NUL before the holder's token", {400, 401}, request("POST", RESULT, GOOD,
          headers=[f"Authorization: Bearer junk\x00{S1}"]), json_error=False)
    check("a NUL after another station's token", {400, 403}, request("POST", RESULT, GOOD,
          headers=[f"Authorization: Bearer {S2}\x00{S1}"]), json_error=False)
    check("a header without a colon", {400}, request("POST", RESULT, GOOD, token=S1,
          headers=["Broken header line"]), json_error=False)


def batch_slow():
    # Slow clients: 16 connections that send headers (or half a body) and
    # stall must not keep the server from answering others, and a body cut
    # off half-way records nothing.
    body = json.dumps(GOOD).encode()
    stalled = []
    for i in range(16):
        s = socket.create_connection((HOST, PORT), timeout=10)
        whole = request("POST", RESULT, body, token=S1)
        cut = len(whole) - len(body) + (len(body) // 2 if i % 2 else 0)
        s.sendall(whole[:cut])
        stalled.append(s)
    for i in range(5):
        status, _, _ = raw(request("GET", "/v1/status", token=VIEWER))
        global passed, failed
        if status == 200:
            passed += 1
        else:
            failed += 1
            print(f"FAIL: with 16 stalled clients, GET /v1/status answered {status}")
    for s in stalled:
        s.close()   # half a body, then gone: nothing may be recorded
    time.sleep(0.2)
    check("after 16 stalled and dropped clients", {200},
          request("GET", "/v1/status", token=VIEWER))
    whole = request("POST", RESULT, body, token=S1)
    # Headers 8 bytes at a time, then half the body: no answer while the
    # server waits for the rest (we wait 2 s, then close; a half-closed socket
    # would keep it waiting until its idle timeout, 30 s, and so hold up a
    # clean stop), and nothing recorded.
    head = len(whole) - len(body)
    parts = [whole[i:i + 8] for i in range(0, head, 8)] + [body[:len(body) // 2]]
    check("slow headers and half a body", {None}, parts, stall=0.01, json_error=False,
          timeout=2.0, half_close=False)


batches = [("auth", batch_auth), ("json", batch_json), ("size", batch_size),
           ("ids and paths", batch_ids_paths), ("methods", batch_methods),
           ("headers", batch_headers), ("slow clients", batch_slow)]
for name, fn in batches:
    t = time.monotonic()
    before = refused
    fn()
    alive(name)
    print(f"batch {name}: {refused - before} requests, {time.monotonic() - t:.1f} s")

# The holder's valid report goes in; the same again is 200 and changes
# nothing; a different one is 409 and changes nothing.
status, _, body = raw(request("POST", RESULT, GOOD, token=S1))
ok = status == 200 and json.loads(body).get("recorded") is True
passed, failed = passed + ok, failed + (not ok)
if not ok:
    print(f"FAIL: the holder's report: {status} {body[:200]!r}")
after = dump_sum()
check("the same report again", {200}, request("POST", RESULT, GOOD, token=S1), after)
check("a different report", {409}, request("POST", RESULT, {"values": {"capacity": 1.0,
      "voltage": 3.7}}, token=S1), after)
check("a failure after the result", {409}, request("POST", RESULT, {"failed": "late"}, token=S1),
      after)
check("s2 repeats s1's report", {403, 409}, request("POST", RESULT, GOOD, token=S2), after)
alive("the valid report")
print(f"serve_hostile: {refused} hostile requests; {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
