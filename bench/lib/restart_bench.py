#!/usr/bin/env python3
"""Analysis for bench/restart-availability.sh: failed/total requests per restart.

Python 3 standard library only; the load logs come from rollout_bench.py load.

  analyze      read events.csv (system, kind, index, t_change, t_end) and the
               load-<system>.csv logs; write restarts.csv and summary.md.
  --self-test  check the analysis on synthetic data.
"""

import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rollout_bench import failed, failure_kinds, kinds_text, longest_gap, read_log, run_cli, window  # noqa: E402

KINDS = [("sigterm", "control plane restart (SIGTERM, new process)"),
         ("sigkill", "control plane crash (SIGKILL, new process)"),
         ("upgrade", "control plane upgrade and downgrade (SIGTERM, the other build)"),
         ("proxy", "data plane restart (SIGTERM, new process)"),
         ("compose-restart", "docker-compose restart berth"),
         ("compose-recreate", "docker-compose up -d --force-recreate berth (a new container)")]


def per_restart(events, logs):
    out = []
    for ev in events:
        rows = logs.get(ev["system"], [])
        t0, t1 = float(ev["t_change"]), float(ev["t_end"])
        w = window(rows, t0, t1)
        out.append({**ev, "sent": len(w), "failed": failed(w), "gap": longest_gap(rows, t0, t1) if w else None,
                    "kinds": failure_kinds(w)})
    return out


def render(results, meta):
    lines = ["# Restart availability", "", *[f"    {m}" for m in meta], "",
             "| system | what restarts | restarts | failed / sent | longest time without an answer | failures |",
             "|---|---|---|---|---|---|"]
    for system in sorted({r["system"] for r in results}):
        for kind, label in KINDS:
            rs = [r for r in results if r["system"] == system and r["kind"] == kind]
            if not rs:
                continue
            sent = sum(r["sent"] for r in rs)
            bad = sum(r["failed"] for r in rs)
            gap = max((r["gap"] for r in rs if r["gap"] is not None), default=None)
            kinds = {}
            for r in rs:
                for k, n in r["kinds"].items():
                    kinds[k] = kinds.get(k, 0) + n
            lines.append(f"| {system} | {label} | {len(rs)} | {bad} / {sent} | "
                         f"{'-' if gap is None else f'{gap:.2f} s'} | {kinds_text(kinds) if kinds else '-'} |")
    return "\n".join(lines) + "\n"


def cmd_analyze(args):
    d = args.dir
    with open(os.path.join(d, "events.csv"), newline="") as f:
        events = list(csv.DictReader(f))
    logs = {}
    for s in {e["system"] for e in events}:
        p = os.path.join(d, f"load-{s}.csv")
        logs[s] = read_log(p) if os.path.exists(p) else []
    results = per_restart(events, logs)
    with open(os.path.join(d, "restarts.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["system", "kind", "index", "sent", "failed", "longest_gap_s"])
        for r in results:
            w.writerow([r["system"], r["kind"], r["index"], r["sent"], r["failed"],
                        "" if r["gap"] is None else f"{r['gap']:.3f}"])
    meta = []
    mp = os.path.join(d, "meta.txt")
    if os.path.exists(mp):
        with open(mp) as f:
            meta = [line.rstrip("\n") for line in f]
    text = render(results, meta)
    with open(os.path.join(d, "summary.md"), "w") as f:
        f.write(text)
    print(text)
    return 0


def self_test():
    checks = 0

    def check(name, cond):
        nonlocal checks
        if not cond:
            raise SystemExit(f"self-test failed: {name}")
        checks += 1

    # 100/s for 10 s; connections refused between 3.0 and 5.0 on system "all".
    rows = [(t / 100, t / 100 + 0.002, 0 if 300 <= t < 500 else 200, "v1") for t in range(1000)]
    events = [{"system": "all", "kind": "sigterm", "index": "1", "t_change": "2.5", "t_end": "8"},
              {"system": "split", "kind": "sigterm", "index": "1", "t_change": "2.5", "t_end": "8"}]
    res = per_restart(events, {"all": rows, "split": [r[:2] + (200, "v1") for r in rows]})
    check("failed in the window", res[0]["failed"] == 200)
    check("sent in the window", res[0]["sent"] == 550)
    check("gap", abs(res[0]["gap"] - 2.0) < 0.02)
    check("none failed on split", res[1]["failed"] == 0)
    text = render(res, ["command: x"])
    check("summary row", "| all | control plane restart (SIGTERM, new process) | 1 | 200 / 550 |" in text)
    print(f"restart_bench self-test: {checks} checks passed")
    return 0


def declare_commands(sub):
    sub.add_parser("analyze").add_argument("--dir", required=True)


def main(argv=None):
    return run_cli(argv, __doc__, self_test, declare_commands, {"analyze": cmd_analyze})


if __name__ == "__main__":
    sys.exit(main())
