#!/usr/bin/env python3
"""The figures every benchmark hands to bench/run-all, one row each, and the one table made of them.

A benchmark appends rows to BENCH_OUT/figures.tsv (tab-separated, no header):

    figure  Berth  peer-or-floor  Berth/peer  target  met

Berth, peer and ratio are text as the table shows them ("61.2 s (58.0–66.1)", "1.29 × (1.20–1.41)");
met is "yes", "no" or "" (no target). Every ratio is a median over rounds of per-round ratios
measured side by side in one run, with min and max in brackets.

    figures.py add DIR FIGURE BERTH PEER RATIO TARGET MET   append one row to DIR/figures.tsv
    figures.py pairs DIR TITLE BERTH_LABEL PEER_LABEL FIGURE PEER_NAME TARGET LIMIT
                                       DIR/rounds.txt holds "berth peer" seconds per round: prints
                                       their table and adds one row, met when the median of
                                       Berth / peer is at most LIMIT
    figures.py table DIR...            print the rows of DIR/figures.tsv for each DIR as one table
    figures.py rewrite DOC TABLE META  replace the part of DOC between the run-all markers with
                                       the file TABLE and the file META (machine, date, commands)
    figures.py --self-test

Benchmarks in Python import add() and spread(); in bash: common.sh's figure().
"""
import os
import statistics
import sys

BEGIN = "<!-- bench/run-all: begin (generated; edit bench/run-all, not this part) -->"
END = "<!-- bench/run-all: end -->"
HEADER = ["figure", "Berth", "peer or floor, same run", "Berth / peer", "target", "met"]


def spread(values, unit="", digits=2):
    """'median (min–max)unit' of values; one value alone without brackets."""
    vs = [float(v) for v in values]
    if not vs:
        return "–"
    med = f"{statistics.median(vs):.{digits}f}"
    if len(vs) == 1:
        return f"{med}{unit}"
    return f"{med}{unit} ({min(vs):.{digits}f}–{max(vs):.{digits}f})"


def met(value, target, lower_is_better=True):
    """'yes' or 'no': whether value reaches target."""
    return "yes" if (value <= target if lower_is_better else value >= target) else "no"


def add(out_dir, figure, berth, peer="", ratio="", target="", is_met=""):
    for field in (figure, berth, peer, ratio, target, is_met):
        if "\t" in str(field) or "\n" in str(field):
            raise ValueError(f"a figure's field holds a tab or newline: {field!r}")
    with open(os.path.join(out_dir, "figures.tsv"), "a") as f:
        f.write("\t".join(str(x) for x in (figure, berth, peer, ratio, target, is_met)) + "\n")


def pairs(out_dir, title, berth_label, peer_label, figure, peer_name, target, limit):
    """Summary of rounds of (Berth, peer) seconds measured side by side: a table, and one row."""
    with open(os.path.join(out_dir, "rounds.txt")) as f:
        rows = [tuple(map(float, line.split())) for line in f if line.strip()]
    berth, peer = [r[0] for r in rows], [r[1] for r in rows]
    ratios = [b / p for b, p in rows]
    out = [f"| {title} ({len(rows)} rounds) | median (min–max) |", "|---|---|",
           f"| {berth_label} | {spread(berth, ' s')} |", f"| {peer_label} | {spread(peer, ' s')} |",
           f"| Berth / peer, per round | {spread(ratios, ' ×')} |"]
    add(out_dir, figure, spread(berth, " s"), f"{peer_name}: " + spread(peer, " s"), spread(ratios, " ×"),
        target, met(statistics.median(ratios), float(limit)))
    return "\n".join(out) + "\n"


def read_rows(path):
    rows = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            cells = line.split("\t")
            if len(cells) != len(HEADER):
                raise ValueError(f"{path}:{n}: {len(cells)} fields, want {len(HEADER)}")
            rows.append(cells)
    return rows


def table(rows):
    cell = lambda s: (s or "—").replace("|", "\\|")  # noqa: E731
    out = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def rewrite(doc_text, generated):
    """doc_text with the part between the markers replaced; the markers go first in the text
    when they are missing (after the title line)."""
    block = f"{BEGIN}\n{generated.rstrip()}\n{END}"
    if BEGIN in doc_text and END in doc_text:
        head, rest = doc_text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        return head + block + tail
    lines = doc_text.split("\n", 1)
    return lines[0] + "\n\n" + block + "\n" + (lines[1] if len(lines) > 1 else "")


def self_test():
    assert spread([3, 1, 2], " s") == "2.00 s (1.00–3.00)", spread([3, 1, 2], " s")
    assert spread([1.5], " ×", 1) == "1.5 ×"
    assert spread([]) == "–"
    assert met(0.9, 1.0) == "yes" and met(1.1, 1.0) == "no" and met(1.1, 1.0, False) == "yes"
    t = table([["a", "1 s", "", "x|y", "", ""]])
    assert "| a | 1 s | — | x\\|y | — | — |" in t, t
    doc = "# Title\nintro\n"
    once = rewrite(doc, "T1")
    assert once.startswith("# Title\n\n" + BEGIN + "\nT1\n" + END + "\nintro"), once
    twice = rewrite(once, "T2\n")
    assert "T1" not in twice and twice.count(BEGIN) == 1 and twice.endswith("intro\n"), twice
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        add(d, "f", "1", "2", "0.5", "≤ 1", "yes")
        assert read_rows(os.path.join(d, "figures.tsv")) == [["f", "1", "2", "0.5", "≤ 1", "yes"]]
        try:
            add(d, "f\tg", "1")
            raise AssertionError("a tab in a field must be refused")
        except ValueError:
            pass
        with open(os.path.join(d, "rounds.txt"), "w") as f:
            f.write("1.0 2.0\n3.0 2.0\n")
        text = pairs(d, "t", "b", "p", "fig", "peer", "≤ 1 ×", "1")
        assert "| Berth / peer, per round | 1.00 × (0.50–1.50) |" in text, text
        assert read_rows(os.path.join(d, "figures.tsv"))[-1] == [
            "fig", "2.00 s (1.00–3.00)", "peer: 2.00 s (2.00–2.00)", "1.00 × (0.50–1.50)", "≤ 1 ×", "yes"]
    print("figures self-test: ok")


def main(argv):
    if argv[:1] == ["--self-test"]:
        self_test()
        return 0
    if argv[:1] == ["add"] and len(argv) == 8:
        add(*argv[1:])
        return 0
    if argv[:1] == ["pairs"] and len(argv) == 9:
        text = pairs(*argv[1:])
        with open(os.path.join(argv[1], "summary.md"), "w") as f:
            f.write(text)
        sys.stdout.write(text)
        return 0
    if argv[:1] == ["table"] and len(argv) > 1:
        rows = []
        for d in argv[1:]:
            p = os.path.join(d, "figures.tsv")
            if os.path.exists(p):
                rows += read_rows(p)
            else:
                rows.append([f"(no figures from {os.path.basename(d.rstrip('/'))}: it failed; see its log)",
                             "", "", "", "", ""])
        sys.stdout.write(table(rows))
        return 0
    if argv[:1] == ["rewrite"] and len(argv) == 4:
        with open(argv[1]) as f:
            doc = f.read()
        generated = open(argv[2]).read() + "\n" + open(argv[3]).read()
        with open(argv[1] + ".tmp", "w") as f:
            f.write(rewrite(doc, generated))
        os.replace(argv[1] + ".tmp", argv[1])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
