#!/usr/bin/env python3
"""serve_page.py — the live campaign page of `invdes serve` in headless
chromium (driven by tests/serve_page.sh, which starts the server).

Chromium is driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: JSON messages ended by a NUL byte, chromium
reading file descriptor 3 and writing 4), so no websocket library is
needed. The page is opened once, as a person would, at /?token=VIEWER; then:
  * the figures are there: every <figure> holds an <svg> with a non-empty
    data path, and the page loads no external script;
  * the token has left the address bar (the cookie carries it now);
  * a new best result is posted (by the station that holds PROPOSAL); the
    same page, without being reloaded by us, must show it within 5 s
    (its text comes to contain the posted value).
Prints the time the page took to show the result.

usage: serve_page.py CHROMIUM URL VIEWER_TOKEN STATION_TOKEN PROPOSAL VALUE USER_DATA_DIR
Exit status 1 if any check failed.
"""
import json
import os
import subprocess
import sys
import time
import urllib.request

CHROMIUM, URL, VIEWER, STATION, PROPOSAL, VALUE, PROFILE = sys.argv[1:8]
failed = 0


def fail(msg):
    global failed
    failed += 1
    print("FAIL: " + msg)


class Chromium:
    """Headless chromium with the DevTools protocol on fds 3 and 4."""

    def __init__(self):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def wire():   # in the child, before exec: its fd 3 reads, fd 4 writes
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--remote-debugging-pipe", f"--user-data-dir={PROFILE}", "about:blank"],
            preexec_fn=wire, pass_fds=(3, 4), stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(PROFILE, "chromium.log"), "wb"))
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read(self, deadline):
        while b"\0" not in self.buf:
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self.buf += chunk
        msg, _, self.buf = self.buf.partition(b"\0")
        return json.loads(msg)

    def call(self, method, session=None, timeout=30, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._read(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m["result"]
            self.events.append(m)

    def wait_event(self, method, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            for i, m in enumerate(self.events):
                if m.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read(deadline))

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def evaluate(chrome, session, expr):
    """The value of a JS expression in the page; None while the page is
    between two loads (its context destroyed)."""
    try:
        r = chrome.call("Runtime.evaluate", session, expression=expr, returnByValue=True)
    except RuntimeError:
        return None
    return r.get("result", {}).get("value")


FIGURES = """(() => {
  const figs = [...document.querySelectorAll('figure')];
  const drawn = figs.filter(f => [...f.querySelectorAll('svg path')]
      .some(p => (p.getAttribute('d') || '').length > 0));
  return {figures: figs.length, drawn: drawn.length,
          svgs: document.querySelectorAll('svg').length,
          external: document.querySelectorAll('script[src], link[rel=stylesheet][href]').length,
          href: location.href, text: document.body ? document.body.innerText : ''};
})()"""

chrome = Chromium()
try:
    target = chrome.call("Target.createTarget", url="about:blank")["targetId"]
    session = chrome.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    chrome.call("Page.enable", session)
    chrome.call("Page.navigate", session, url=f"{URL}/?token={VIEWER}")
    chrome.wait_event("Page.loadEventFired")
    page = evaluate(chrome, session, FIGURES)
    if not page:
        fail("no page in chromium")
        raise SystemExit(1)
    if page["figures"] < 1 or page["drawn"] != page["figures"]:
        fail(f"figures: {page['drawn']} of {page['figures']} drawn ({page['svgs']} svg elements)")
    if page["external"]:
        fail(f"{page['external']} external scripts or style sheets")
    if VIEWER in page["href"]:
        fail(f"the token is still in the address bar: {page['href']}")
    if VALUE in page["text"]:
        fail(f"the page shows {VALUE} before it was posted")
    print(f"page: {page['figures']} figures drawn, {page['svgs']} svg elements")

    # One more result, by the station, while the page is open.
    req = urllib.request.Request(
        f"{URL}/v1/proposals/{PROPOSAL}/result", method="POST",
        data=json.dumps({"values": {"capacity": float(VALUE), "voltage": 3.75}}).encode(),
        headers={"Authorization": "Bearer " + STATION, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        if resp.status != 200:
            fail(f"posting the result: {resp.status}")
    posted = time.monotonic()
    shown = None
    while time.monotonic() - posted < 5.0:
        now = evaluate(chrome, session, FIGURES)
        if now and VALUE in now["text"]:
            shown = time.monotonic() - posted
            break
        time.sleep(0.1)
    if shown is None:
        fail(f"the page does not show {VALUE} 5 s after it was posted")
    else:
        print(f"page: the new result shown {shown:.2f} s after it was posted")
        if now["drawn"] != now["figures"] or now["figures"] < 1:
            fail(f"figures after the reload: {now['drawn']} of {now['figures']} drawn")
finally:
    chrome.close()
sys.exit(1 if failed else 0)
