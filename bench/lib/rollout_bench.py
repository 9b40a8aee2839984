#!/usr/bin/env python3
"""Load generator, waiters and analysis for bench/rollout-availability.sh.

Python 3 standard library only. Subcommands:

  load          GET one loopback URL at a fixed aggregate rate from a few
                keep-alive clients until SIGTERM/SIGINT; one CSV row per request
                (t_send, t_recv, status, body): status 0 is a connection error,
                body is the answer's first line (the test app's variant) or the
                error's name.
  wait-berth    poll GET /api/v1/services/<name> until a phase is reached (and,
                with --settled, only the converged revision's replicas are left,
                all ready); print the epoch time it was first seen.
  wait-variant  poll a loopback URL until it answers a given body N times in a
                row; print the epoch time.
  analyze       per-change metrics from events.csv and the load logs; writes
                changes.csv and summary.md into the run directory.
  --self-test   check the analysis functions on synthetic data (and the load
                generator against a local server on 127.0.0.1), no Docker.

Traffic goes to 127.0.0.1 only: every URL is checked.
"""

import argparse
import csv
import http.client
import http.server
import json
import math
import os
import queue
import signal
import socket
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import figures  # noqa: E402

# ----------------------------------------------------------------------------
# load generator


def loopback_only(url):
    u = urllib.parse.urlsplit(url)
    if u.scheme != "http" or u.hostname != "127.0.0.1" or not u.port:
        raise SystemExit(f"refusing {url}: only http://127.0.0.1:<port>/… is allowed")
    return u


class LoadGenerator:
    """`threads` clients, each sending every threads/rate seconds on its own
    keep-alive connection (reconnecting after an error or a server close).
    Missed slots are skipped, not made up: a stalled client does not burst."""

    def __init__(self, url, rate, threads, timeout, sink):
        u = loopback_only(url)
        self.host, self.port = u.hostname, u.port
        self.path = (u.path or "/") + (("?" + u.query) if u.query else "")
        self.interval = threads / float(rate)
        self.threads = threads
        self.timeout = timeout
        self.sink = sink  # callable(row)
        self.stop = threading.Event()
        self.workers = []

    def _client(self, k):
        conn = None
        nxt = time.time() + k * self.interval / self.threads
        while not self.stop.is_set():
            now = time.time()
            if now < nxt:
                if self.stop.wait(nxt - now):
                    break
            nxt += self.interval
            if conn is None:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            t0 = time.time()
            try:
                conn.request("GET", self.path, headers={"Connection": "keep-alive"})
                resp = conn.getresponse()
                data = resp.read()
                status = resp.status
                body = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip()[:60]
                if resp.will_close:
                    conn.close()
                    conn = None
            except Exception as e:  # noqa: BLE001 - every failure is data
                status = 0
                body = type(e).__name__
                try:
                    conn.close()
                except Exception:  # noqa: BLE001
                    pass
                conn = None
            t1 = time.time()
            self.sink((t0, t1, status, body))
            if time.time() - nxt > self.interval:
                nxt = time.time()
        if conn is not None:
            conn.close()

    def start(self):
        for k in range(self.threads):
            t = threading.Thread(target=self._client, args=(k,), daemon=True)
            t.start()
            self.workers.append(t)

    def close(self):
        self.stop.set()
        for t in self.workers:
            t.join(self.timeout + 2)


def cmd_load(args):
    q = queue.SimpleQueue()
    gen = LoadGenerator(args.url, args.rate, args.threads, args.timeout, q.put)
    done = threading.Event()

    def on_signal(_signo, _frame):
        done.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["t_send", "t_recv", "status", "body"])

        def drain():
            while True:
                try:
                    t0, t1, st, body = q.get_nowait()
                except queue.Empty:
                    break
                w.writerow([f"{t0:.6f}", f"{t1:.6f}", st, body])
            f.flush()

        gen.start()
        while not done.wait(0.5):
            drain()
        gen.close()
        drain()
    return 0


# ----------------------------------------------------------------------------
# waiters


def http_get_json(url, token, timeout=2.0):
    loopback_only(url)
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read().decode())


def berth_settled(st):
    """Only the converged revision's replicas are left, `desired` of them, all ready."""
    cs = st.get("containers") or []
    want = st.get("replicas", {}).get("desired")
    return (len(cs) == want
            and all(c.get("revision") == st.get("revision") for c in cs)
            and all(c.get("ready") for c in cs))


def cmd_wait_berth(args):
    token = os.environ.get("BENCH_API_TOKEN", "")
    url = f"{args.api.rstrip('/')}/api/v1/services/{args.service}"
    deadline = time.time() + args.timeout
    seen_phase_at = None
    last = None
    while time.time() < deadline:
        try:
            st = http_get_json(url, token)
        except Exception as e:  # noqa: BLE001
            last = f"{type(e).__name__}: {e}"
            time.sleep(args.poll)
            continue
        last = f"phase={st.get('phase')} revision={st.get('revision')} hash={st.get('specHash')} message={st.get('message')}"
        ok = st.get("phase") == args.phase and (args.not_hash is None or st.get("specHash") != args.not_hash)
        if ok and seen_phase_at is None:
            seen_phase_at = time.time()
        if ok and (not args.settled or berth_settled(st)):
            print(f"{seen_phase_at:.6f} {time.time():.6f} {st.get('revision')} {st.get('specHash')}")
            return 0
        if not ok:
            seen_phase_at = None
        time.sleep(args.poll)
    print(f"wait-berth: timed out after {args.timeout}s waiting for phase {args.phase}; last: {last}", file=sys.stderr)
    return 1


def cmd_wait_variant(args):
    u = loopback_only(args.url)
    deadline = time.time() + args.timeout
    streak = 0
    while time.time() < deadline:
        body = None
        try:
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=1)
            conn.request("GET", u.path or "/")
            r = conn.getresponse()
            data = r.read()
            conn.close()
            if 200 <= r.status < 300:
                body = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip()
        except Exception:  # noqa: BLE001
            pass
        streak = streak + 1 if body == args.variant else 0
        if streak >= args.count:
            print(f"{time.time():.6f}")
            return 0
        time.sleep(args.interval)
    print(f"wait-variant: timed out after {args.timeout}s waiting for {args.variant!r}", file=sys.stderr)
    return 1


# ----------------------------------------------------------------------------
# analysis (pure functions, covered by --self-test)


def read_log(path):
    """Rows (t_send, t_recv, status, body) sorted by t_send."""
    rows = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            rows.append((float(r["t_send"]), float(r["t_recv"]), int(r["status"]), r["body"]))
    rows.sort(key=lambda r: r[0])
    return rows


def ok(row):
    return 200 <= row[2] < 300


def window(rows, t0, t1):
    """Requests sent in [t0, t1)."""
    return [r for r in rows if t0 <= r[0] < t1]


def failed(rows):
    return sum(1 for r in rows if not ok(r))


def longest_gap(rows, t0, t1):
    """Longest time in [t0, t1] without a successful answer: the largest
    distance between consecutive successful completions, with t0 and t1 as
    the window's edges."""
    points = sorted(r[1] for r in rows if ok(r) and t0 <= r[1] <= t1)
    edges = [t0] + points + [t1]
    return max(b - a for a, b in zip(edges, edges[1:]))


def switch_time(rows, t0, t1, new):
    """Seconds from t0 until all traffic is on `new`: the send time of the
    first request after which every request sent in the window was answered
    successfully by `new`, minus t0. None when the window does not end so."""
    w = window(rows, t0, t1)
    if not w or not (ok(w[-1]) and w[-1][3] == new):
        return None
    i = len(w) - 1
    while i > 0 and ok(w[i - 1]) and w[i - 1][3] == new:
        i -= 1
    return max(0.0, w[i][0] - t0)


def answered_by(rows, variant):
    return sum(1 for r in rows if ok(r) and r[3] == variant)


def failure_kinds(rows):
    kinds = {}
    for r in rows:
        if not ok(r):
            k = f"HTTP {r[2]}" if r[2] else r[3]
            kinds[k] = kinds.get(k, 0) + 1
    return kinds


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def maximum(xs):
    xs = [x for x in xs if x is not None]
    return max(xs) if xs else None


def ratio(a, b):
    """a/b as text: 'n/a' when either is missing or both are 0; '∞' for x/0."""
    if a is None or b is None:
        return "n/a"
    if b == 0:
        return "n/a (0/0)" if a == 0 else "∞"
    return f"{a / b:.2f}"


def fmt_s(x):
    return "–" if x is None else f"{x:.2f} s"


def fmt_n(x):
    return "–" if x is None else str(x)


def read_events(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def change_metrics(ev, rows):
    t0, t1 = float(ev["t_change"]), float(ev["t_end"])
    w = window(rows, t0, t1)
    t_done = float(ev["t_done"]) if ev.get("t_done") else None
    return {
        "phase": ev["phase"], "system": ev["system"], "index": int(ev["index"]),
        "from": ev["from"], "to": ev["to"], "note": ev.get("note", ""),
        "sent": len(w), "failed": failed(w),
        "gap": longest_gap(rows, t0, t1),
        "switch": switch_time(rows, t0, t1, ev["to"]) if ev["from"] != ev["to"] else None,
        "done": None if t_done is None else t_done - t0,
        "foreign": sum(1 for r in w if ok(r) and r[3] not in (ev["from"], ev["to"])),
        "kinds": failure_kinds(w),
        "seconds": t1 - t0,
    }


def summarize(ms, system, phase):
    sel = [m for m in ms if m["system"] == system and m["phase"] == phase]
    if not sel:
        return None
    sent = sum(m["sent"] for m in sel)
    fail = sum(m["failed"] for m in sel)
    kinds = {}
    for m in sel:
        for k, v in m["kinds"].items():
            kinds[k] = kinds.get(k, 0) + v
    return {
        "n": len(sel), "sent": sent, "failed": fail,
        "failed_pct": 100.0 * fail / sent if sent else None,
        "failed_max": max(m["failed"] for m in sel),
        "changes_with_failures": sum(1 for m in sel if m["failed"]),
        "gap_med": median(m["gap"] for m in sel), "gap_max": maximum(m["gap"] for m in sel),
        "switch_med": median(m["switch"] for m in sel), "switch_max": maximum(m["switch"] for m in sel),
        "switch_missing": sum(1 for m in sel if m["from"] != m["to"] and m["switch"] is None),
        "done_med": median(m["done"] for m in sel), "done_max": maximum(m["done"] for m in sel),
        "foreign": sum(m["foreign"] for m in sel),
        "rate": sent / sum(m["seconds"] for m in sel),
        "kinds": kinds,
        "notes": [f"#{m['index']}: {m['note']}" for m in sel if m["note"]],
    }


def fmt_pct(x):
    return "–" if x is None else f"{x:.1f} %"


def kinds_text(k):
    return ", ".join(f"{n}× {name}" for name, n in sorted(k.items(), key=lambda kv: -kv[1])) or "none"


def containers_at_once(lines, marker="-app-r"):
    """(max existing, max running) Berth containers from `docker events` lines
    "<time ns> <action> <name>": existing from create to destroy, running from
    start to die."""
    evs = []
    for line in lines:
        parts = line.split()
        if len(parts) >= 3 and marker in parts[2]:
            evs.append((int(parts[0]), parts[1], parts[2]))
    evs.sort()
    existing, running, best_e, best_r = set(), set(), 0, 0
    for _, action, name in evs:
        if action == "create":
            existing.add(name)
        elif action == "destroy":
            existing.discard(name)
            running.discard(name)
        elif action == "start":
            running.add(name)
            existing.add(name)
        elif action == "die":
            running.discard(name)
        best_e, best_r = max(best_e, len(existing)), max(best_r, len(running))
    return best_e, best_r


def figure_rows(ms, floors, setting, one_replica):
    """bench/run-all's rows (see figures.py): each figure beside its peer, ratios per change."""
    rows = []
    def values(system, phase, key):
        return [m[key] for m in ms if m["system"] == system and m["phase"] == phase and m[key] is not None]
    def pairs(phase, key):
        b = {m["index"]: m[key] for m in ms if m["system"] == "berth" and m["phase"] == phase}
        c = {m["index"]: m[key] for m in ms if m["system"] == "compose" and m["phase"] == phase}
        return [(b[i], c[i]) for i in sorted(b) if i in c and b[i] is not None and c[i] is not None]
    def failed_text(system, phase):
        s = summarize(ms, system, phase)
        return s and f"{s['failed']} of {s['sent']} requests failed"
    label = f" ({setting})" if setting else ""
    b_switch = values("berth", "rollout", "switch")
    if b_switch:
        compose = values("compose", "rollout", "switch")
        rs = [b / c for b, c in pairs("rollout", "switch") if c > 0]
        rows.append((f"deploy: change → all traffic on the new revision{label}", figures.spread(b_switch, " s"),
                     "docker-compose v1 `up -d`: " + figures.spread(compose, " s") if compose else "",
                     figures.spread(rs, " ×") if rs else "", "≤ 1.0 × Compose" if rs else "",
                     figures.met(statistics.median(rs), 1.0) if rs else ""))
        s = summarize(ms, "berth", "rollout")
        rows.append((f"deploy: failed requests during the changes{label}", failed_text("berth", "rollout"),
                     "docker-compose v1: " + failed_text("compose", "rollout") if compose else "", "", "0",
                     "yes" if s["failed"] == 0 else "no"))
        if floors:
            extra = [b - f for b, f in zip(b_switch, floors)]
            rows.append((f"deploy beside the engine floor{label}", figures.spread(b_switch, " s"),
                         "`docker run -d` → first 200: " + figures.spread(floors, " s"),
                         "floor + " + figures.spread(extra, " s"), "≤ floor + 1 s" if one_replica else "",
                         figures.met(statistics.median(extra), 1.0) if one_replica else ""))
    a = summarize(ms, "berth", "autorollback")
    if a:
        rows.append((f"automatic rollback under load: manifest write → RolledBack{label}",
                     figures.spread(values("berth", "autorollback", "done"), " s"),
                     "Docker Swarm: see its own row", "", "", ""))
        rows.append((f"automatic rollback under load: failed requests{label}", failed_text("berth", "autorollback"),
                     "", "", "0", "yes" if a["failed"] == 0 else "no"))
    p = summarize(ms, "berth", "rest-rollback")
    if p:
        rows.append((f"REST rollback under load: POST → all traffic on the previous revision{label}",
                     figures.spread(values("berth", "rest-rollback", "switch"), " s"), "", "", "", ""))
        rows.append((f"REST rollback under load: failed requests{label}", failed_text("berth", "rest-rollback"),
                     "", "", "0", "yes" if p["failed"] == 0 else "no"))
    return rows


def render(ms, meta_lines, containers=None, floors=None):
    out = ["# Rollout availability: summary", ""]
    out += [f"    {line}" for line in meta_lines] + [""]
    b, c = summarize(ms, "berth", "rollout"), summarize(ms, "compose", "rollout")
    if b and c:
        out += [f"## Phase 1: {b['n']} rollouts v1↔v2 under load (Berth vs docker-compose v1 `up -d`)", "",
                "| metric | Berth | Compose | Berth/Compose |", "|---|---|---|---|",
                f"| requests sent during changes | {b['sent']} | {c['sent']} | |",
                f"| achieved rate during changes | {b['rate']:.0f}/s | {c['rate']:.0f}/s | |",
                f"| failed requests, total | {b['failed']} ({fmt_pct(b['failed_pct'])}) | {c['failed']} ({fmt_pct(c['failed_pct'])}) | {ratio(b['failed'], c['failed'])} |",
                f"| failed requests, worst change | {b['failed_max']} | {c['failed_max']} | {ratio(b['failed_max'], c['failed_max'])} |",
                f"| changes with a failed request | {b['changes_with_failures']}/{b['n']} | {c['changes_with_failures']}/{c['n']} | |",
                f"| longest gap, median | {fmt_s(b['gap_med'])} | {fmt_s(c['gap_med'])} | {ratio(b['gap_med'], c['gap_med'])} |",
                f"| longest gap, max | {fmt_s(b['gap_max'])} | {fmt_s(c['gap_max'])} | {ratio(b['gap_max'], c['gap_max'])} |",
                f"| switch time, median | {fmt_s(b['switch_med'])} | {fmt_s(c['switch_med'])} | {ratio(b['switch_med'], c['switch_med'])} |",
                f"| switch time, max | {fmt_s(b['switch_max'])} | {fmt_s(c['switch_max'])} | {ratio(b['switch_max'], c['switch_max'])} |",
                f"| changes that never switched | {b['switch_missing']} | {c['switch_missing']} | |",
                f"| Berth: manifest write → phase Available; Compose: `up -d` returned; median (max) | {fmt_s(b['done_med'])} ({fmt_s(b['done_max'])}) | {fmt_s(c['done_med'])} ({fmt_s(c['done_max'])}) | |",
                "",
                f"Failed requests by kind — Berth: {kinds_text(b['kinds'])}; Compose: {kinds_text(c['kinds'])}.", ""]
        if floors:
            out += [f"Engine floor, measured between the changes: `docker run -d` of the new image until its "
                    f"first 200, median {fmt_s(statistics.median(floors))} (max {fmt_s(max(floors))}, "
                    f"{len(floors)} runs).", ""]
        for name, s in (("Berth", b), ("Compose", c)):
            if s["notes"]:
                out += [f"{name} notes: " + "; ".join(s["notes"]), ""]
    a = summarize(ms, "berth", "autorollback")
    r = summarize(ms, "berth", "restore")
    if a:
        out += [f"## Phase 2: {a['n']} automatic rollbacks (Berth only; Compose has none)", "",
                "Manifest → image `unhealthy` (a new revision each time); Berth must roll back by itself.", "",
                "| metric | Berth |", "|---|---|",
                f"| failed requests, total | {a['failed']} of {a['sent']} ({fmt_pct(a['failed_pct'])}) |",
                f"| requests answered by the unhealthy revision | {a['foreign']} |",
                f"| longest gap, median / max | {fmt_s(a['gap_med'])} / {fmt_s(a['gap_max'])} |",
                f"| manifest write → phase RolledBack, median / max | {fmt_s(a['done_med'])} / {fmt_s(a['done_max'])} |"]
        if r:
            out += [f"| restoring the manifest afterwards: failed requests | {r['failed']} of {r['sent']} |"]
        out += ["", f"Failed requests by kind: {kinds_text(a['kinds'])}.", ""]
        if a["notes"]:
            out += ["Notes: " + "; ".join(a["notes"]), ""]
    p = summarize(ms, "berth", "rest-rollback")
    q = summarize(ms, "berth", "rest-prepare")
    if p:
        out += [f"## Phase 3: {p['n']} REST rollbacks v2 → v1 (Berth only; Compose has none)", "",
                "| metric | Berth |", "|---|---|",
                f"| failed requests, total | {p['failed']} of {p['sent']} ({fmt_pct(p['failed_pct'])}) |",
                f"| longest gap, median / max | {fmt_s(p['gap_med'])} / {fmt_s(p['gap_max'])} |",
                f"| POST → all traffic on v1, median / max | {fmt_s(p['switch_med'])} / {fmt_s(p['switch_max'])} |",
                f"| POST → phase RolledBack, median / max | {fmt_s(p['done_med'])} / {fmt_s(p['done_max'])} |",
                f"| rollbacks that never switched | {p['switch_missing']} |"]
        if q:
            out += [f"| the rollouts between them (v1 → v2 and back by manifest): failed requests | {q['failed']} of {q['sent']} |"]
        out += ["", f"Failed requests by kind: {kinds_text(p['kinds'])}.", ""]
        if p["notes"]:
            out += ["Notes: " + "; ".join(p["notes"]), ""]
    if containers:
        out += [f"Berth's containers at once (from `docker events`): at most {containers[0]} existing, "
                f"{containers[1]} running (bound: replicas + maxSurge, plus replicas leaving while a surge is allowed).", ""]
    out += ["Definitions: a request fails on a connection error, a timeout or a non-2xx answer. "
            "Longest gap: longest time within a change window without a successful answer. "
            "Switch time: from the change (manifest written / `docker-compose up -d` started / rollback POSTed) "
            "until every request sent from then on is answered by the new variant. "
            "A change window runs from the change until the system has settled plus a quiet period.", ""]
    return "\n".join(out)


def cmd_analyze(args):
    d = args.dir
    events = read_events(os.path.join(d, "events.csv"))
    # The engine floor has no load on it: only its duration counts.
    floors = [float(e["t_done"]) - float(e["t_change"]) for e in events if e["system"] == "floor" and e["t_done"]]
    events = [e for e in events if e["system"] != "floor"]
    logs = {s: read_log(os.path.join(d, f"load-{s}.csv"))
            for s in sorted({e["system"] for e in events})}
    ms = [change_metrics(e, logs[e["system"]]) for e in events]
    with open(os.path.join(d, "changes.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["phase", "system", "index", "from", "to", "sent", "failed", "longest_gap_s",
                    "switch_s", "done_s", "foreign_answers", "failure_kinds", "note"])
        for m in ms:
            w.writerow([m["phase"], m["system"], m["index"], m["from"], m["to"], m["sent"], m["failed"],
                        f"{m['gap']:.3f}", "" if m["switch"] is None else f"{m['switch']:.3f}",
                        "" if m["done"] is None else f"{m['done']:.3f}", m["foreign"],
                        kinds_text(m["kinds"]), m["note"]])
    meta = []
    mp = os.path.join(d, "meta.txt")
    if os.path.exists(mp):
        with open(mp) as f:
            meta = [line.rstrip("\n") for line in f if line.strip()]
    containers = None
    ep = os.path.join(d, "docker-events.log")
    if os.path.exists(ep):
        with open(ep) as f:
            containers = containers_at_once(f)
    text = render(ms, meta, containers, floors)
    with open(os.path.join(d, "summary.md"), "w") as f:
        f.write(text)
    for row in figure_rows(ms, floors, args.setting, args.one_replica):
        figures.add(d, *row)
    print(text)
    return 0


# ----------------------------------------------------------------------------
# self-test


def synthetic(t_start, t_stop, rate, answer):
    """Rows every 1/rate s; answer(t) -> (status, body); 2 ms latency."""
    rows = []
    for k in range(round((t_stop - t_start) * rate)):
        t = t_start + k / rate
        st, body = answer(t)
        rows.append((t, t + 0.002, st, body))
    return rows


def self_test():
    checks = 0

    def check(name, cond):
        nonlocal checks
        checks += 1
        if not cond:
            raise AssertionError(name)

    def close(a, b, eps=0.011):
        return a is not None and abs(a - b) <= eps

    # Compose-like: v1 until 10.0, refused 10.0–11.5, v2 after.
    comp = synthetic(0, 20, 100, lambda t: (200, "v1") if t < 10 else
                     ((0, "ConnectionRefusedError") if t < 11.5 else (200, "v2")))
    w = window(comp, 9.5, 15)
    check("compose failed count", failed(w) == 150)
    check("compose gap", close(longest_gap(comp, 9.5, 15), 1.5))
    check("compose switch", close(switch_time(comp, 9.5, 15, "v2"), 2.0))
    check("failure kinds", failure_kinds(w) == {"ConnectionRefusedError": 150})

    # Berth-like: v1, then a mix of v1/v2 from 12 to 14 (both serve), v2 only after.
    berth = synthetic(0, 20, 100, lambda t: (200, "v1") if t < 12 else
                      ((200, "v2" if round(t * 100) % 2 else "v1") if t < 14 else (200, "v2")))
    check("berth no failures", failed(window(berth, 10, 18)) == 0)
    check("berth gap is the request spacing", close(longest_gap(berth, 10, 18), 0.01))
    check("berth switch", close(switch_time(berth, 10, 18, "v2"), 4.0))
    check("answered_by", answered_by(window(berth, 10, 18), "v1") == 300)

    # A 503 in the new variant's run restarts the run; a window that ends on the
    # old variant never switched.
    odd = [(1.0, 1.01, 200, "v2"), (2.0, 2.01, 503, "no ready replica"), (3.0, 3.01, 200, "v2")]
    check("switch after a failure", close(switch_time(odd, 0, 4, "v2"), 3.0))
    check("never switched", switch_time(comp, 0, 9, "v2") is None)
    check("empty window never switched", switch_time([], 0, 1, "v2") is None)
    check("empty window gap is the window", close(longest_gap([], 5, 7), 2.0))
    check("gap counts the edges", close(longest_gap(odd, 0, 4), 2.0))
    check("non-2xx fails", failed(odd) == 1)

    evs = ["1 create p-app-r1-1", "2 start p-app-r1-1", "3 create p-app-r2-1", "4 start p-app-r2-1",
           "5 die p-app-r1-1", "6 create p-app-r2-2", "7 destroy p-app-r1-1", "8 start p-compose_app_1"]
    check("containers at once", containers_at_once(evs) == (3, 2))
    check("ratio", ratio(1.0, 4.0) == "0.25")
    check("ratio 0/x", ratio(0, 150) == "0.00")
    check("ratio x/0", ratio(3, 0) == "∞")
    check("ratio 0/0", ratio(0, 0) == "n/a (0/0)")
    check("ratio missing", ratio(None, 1) == "n/a")
    check("median ignores None", median([None, 1.0, 3.0]) == 2.0)
    check("maximum of none", maximum([None]) is None)

    ev = [{"phase": "rollout", "system": "compose", "index": "1", "from": "v1", "to": "v2",
           "t_change": "9.5", "t_done": "10.2", "t_end": "15", "note": ""},
          {"phase": "rollout", "system": "berth", "index": "1", "from": "v1", "to": "v2",
           "t_change": "10", "t_done": "14.5", "t_end": "18", "note": ""}]
    ms = [change_metrics(ev[0], comp), change_metrics(ev[1], berth)]
    check("metrics compose", ms[0]["failed"] == 150 and close(ms[0]["done"], 0.7))
    check("metrics berth", ms[1]["failed"] == 0 and close(ms[1]["switch"], 4.0))
    text = render(ms, ["machine: synthetic"])
    check("render ratio row", "| failed requests, total | 0 (0.0 %) | 150 (27.3 %) | 0.00 |" in text)
    check("render switch row", "| switch time, median | 3.99 s | 2.00 s | 2.00 |" in text)
    rows = {r[0]: r for r in figure_rows(ms, [0.5], "1 replica", True)}
    deploy = rows.get("deploy: change → all traffic on the new revision (1 replica)")
    check("figure: switch beside Compose", deploy is not None and deploy[3] == "2.00 ×" and deploy[5] == "no")
    failed_row = rows.get("deploy: failed requests during the changes (1 replica)")
    check("figure: failed requests", failed_row is not None and failed_row[1].startswith("0 of ")
          and failed_row[2].startswith("docker-compose v1: 150 of ") and failed_row[5] == "yes")
    floor = rows.get("deploy beside the engine floor (1 replica)")
    check("figure: floor + 3.49 s misses floor + 1 s", floor is not None and floor[3] == "floor + 3.49 s"
          and floor[5] == "no")
    check("figure: no rollback rows without rollbacks", len(rows) == 3)

    # CSV round trip and the real load generator against a local server (loopback).
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self):
            body = b"v1\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    rows = []
    lock = threading.Lock()

    def sink(r):
        with lock:
            rows.append(r)

    gen = LoadGenerator(f"http://127.0.0.1:{srv.server_address[1]}/", 100, 2, 2, sink)
    gen.start()
    time.sleep(1.0)
    gen.close()
    srv.shutdown()
    # Pacing is the contract: never faster than asked. How many fit in the second depends on how
    # busy the machine is (a CI runner under load managed 67), so the lower bound is only "some".
    check(f"load generator rate ({len(rows)} in 1 s at 100/s)", 1 <= len(rows) <= 110)
    check("load generator answers", all(r[2] == 200 and r[3] == "v1" for r in rows))
    try:
        loopback_only("http://10.0.0.1:80/")
        check("non-loopback refused", False)
    except SystemExit:
        pass
    print(f"rollout_bench self-test: {checks} checks passed")
    return 0


def run_cli(argv, doc, self_test, declare, commands):
    """A benchmark tool's command line (shared with restart_bench.py). `--self-test` alone runs
    self_test(); otherwise declare(sub) adds the sub-command parsers to `sub`, and the one named
    on the command line runs as commands[name](args). Returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--self-test"]:
        return self_test()
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    declare(p.add_subparsers(dest="cmd", required=True))
    a = p.parse_args(argv)
    return commands[a.cmd](a)


def declare_commands(sub):
    s = sub.add_parser("load")
    s.add_argument("--url", required=True)
    s.add_argument("--rate", type=float, default=200)
    s.add_argument("--threads", type=int, default=4)
    s.add_argument("--timeout", type=float, default=5)
    s.add_argument("--out", required=True)
    s = sub.add_parser("wait-berth", help="token from env BENCH_API_TOKEN")
    s.add_argument("--api", required=True)
    s.add_argument("--service", required=True)
    s.add_argument("--phase", required=True)
    s.add_argument("--not-hash")
    s.add_argument("--settled", action="store_true")
    s.add_argument("--timeout", type=float, default=180)
    s.add_argument("--poll", type=float, default=0.1)
    s = sub.add_parser("wait-variant")
    s.add_argument("--url", required=True)
    s.add_argument("--variant", required=True)
    s.add_argument("--count", type=int, default=10)
    s.add_argument("--interval", type=float, default=0.05)
    s.add_argument("--timeout", type=float, default=120)
    s = sub.add_parser("analyze")
    s.add_argument("--dir", required=True)
    s.add_argument("--setting", default="", help="the replicas and update settings, for the figures' names")
    s.add_argument("--one-replica", action="store_true", help="the deploy target is the engine floor + 1 s")


def main(argv=None):
    return run_cli(argv, __doc__, self_test, declare_commands,
                   {"load": cmd_load, "wait-berth": cmd_wait_berth,
                    "wait-variant": cmd_wait_variant, "analyze": cmd_analyze})


if __name__ == "__main__":
    sys.exit(main())
