#!/usr/bin/env python3
"""Times the lab and its peers side by side on this machine and prints the ratios (a Markdown table).

Every figure is the median wall time of `--runs` runs of the whole process (interpreter or binary start
included), the programs interleaved in the same run so machine load hits them alike. Run through bench/run.sh,
which builds the release products and installs the Python peers' dependencies into bench/.venv.

With `--baseline DIR` (a folder holding another build's onboarding-lab and lab-bench; `bench/run.sh --baseline REV`
builds one from a git revision) every lab figure is also measured with the baseline, interleaved, and the
speed-up is printed: the before/after of a change on the same machine in the same run.
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAB = os.path.join(ROOT, ".build", "release", "onboarding-lab")
LAB_BENCH = os.path.join(ROOT, ".build", "release", "lab-bench")
PYTHON = sys.executable
PEERS = os.path.join(ROOT, "bench", "peers")


def timed(command):
    """Wall seconds and stdout of one run; a failing command stops the comparison with its stderr."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    return elapsed, done.stdout


def lab_run(replicates, policy, lab=LAB):
    out = tempfile.mkdtemp(prefix="lab-bench-run-")
    shutil.rmtree(out)
    return [lab, "run", "scenarios/batched-4arm.yaml", "--store", "memory", "--replicates", str(replicates),
            "--threads", "1", "--set", f"engine.policy={policy}", "--out", out, "--quiet"]


def peer(script, replicates, policy):
    return [PYTHON, os.path.join(PEERS, script), "--replicates", str(replicates), "--policy", policy]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per program (median reported; default 3)")
    parser.add_argument("--replicates", type=int, default=100, help="batched-4arm replicates against numpy")
    parser.add_argument("--mabwiser-replicates", type=int, default=20)
    parser.add_argument("--skip-lab-bench", action="store_true", help="only the batched-4arm comparison")
    parser.add_argument("--baseline", metavar="DIR",
                        help="a folder with another build's onboarding-lab and lab-bench, timed beside this one")
    args = parser.parse_args()
    baseline = None
    if args.baseline:
        baseline = {name: os.path.join(os.path.abspath(args.baseline), name) for name in ("onboarding-lab", "lab-bench")}
        missing = [path for path in baseline.values() if not os.access(path, os.X_OK)]
        if missing:
            sys.exit(f"--baseline: no executable {', '.join(missing)}")

    pairs = [
        ("batched-4arm, ε-greedy 0.1, %d replicates, 1 thread" % args.replicates,
         lambda lab: lab_run(args.replicates, "epsilon-greedy", lab),
         "numpy", lambda: peer("numpy_batched4arm.py", args.replicates, "epsilon-greedy")),
        ("batched-4arm, ε-greedy 0.1, %d replicates, 1 thread" % args.mabwiser_replicates,
         lambda lab: lab_run(args.mabwiser_replicates, "epsilon-greedy", lab),
         "MABWiser 2.7.4", lambda: peer("mabwiser_batched4arm.py", args.mabwiser_replicates, "epsilon-greedy")),
        ("batched-4arm, Thompson, %d replicates, 1 thread" % args.replicates,
         lambda lab: lab_run(args.replicates, "thompson", lab),
         "numpy", lambda: peer("numpy_batched4arm.py", args.replicates, "thompson")),
    ]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; "
          f"medians of {args.runs} runs, programs interleaved\n")
    if baseline:
        print("| work | OnboardingLab | baseline | speed-up | peer | peer time | lab / peer |")
        print("|---|---:|---:|---:|---|---:|---:|")
    else:
        print("| work | OnboardingLab | peer | peer time | lab / peer |")
        print("|---|---:|---|---:|---:|")
    for work, lab_command, peer_name, peer_command in pairs:
        lab_times, base_times, peer_times = [], [], []
        for _ in range(args.runs):
            lab_times.append(timed(lab_command(LAB))[0])
            if baseline:
                base_times.append(timed(lab_command(baseline["onboarding-lab"]))[0])
            peer_times.append(timed(peer_command())[0])
        lab_s, peer_s = statistics.median(lab_times), statistics.median(peer_times)
        if baseline:
            base_s = statistics.median(base_times)
            print(f"| {work} | {lab_s:.2f} s | {base_s:.2f} s | {base_s / lab_s:.2f}× | {peer_name} | {peer_s:.2f} s "
                  f"| {lab_s / peer_s:.2f}× |", flush=True)
        else:
            print(f"| {work} | {lab_s:.2f} s | {peer_name} | {peer_s:.2f} s | {lab_s / peer_s:.2f}× |", flush=True)

    if args.skip_lab_bench:
        return
    lab_only = [
        ("simulate scenarios/seed-narrative.yaml memory 10000 1 1", r"([\d,]+) users/s", "users/s"),
        ("simulate scenarios/seed-narrative.yaml memory 10000 4 1", r"([\d,]+) users/s", "users/s"),
        ("simulate scenarios/seed-narrative.yaml memory 10000 4 2", r"([\d,]+) users/s", "users/s"),
        ("simulate scenarios/seed-narrative.yaml sqlite 1500 1 1", r"([\d,]+) users/s", "users/s"),
        ("rss scenarios/seed-narrative.yaml 10000000", r"peak RSS ([\d.]+) (\w+)", None),
    ]

    def figure(binary, arguments, pattern, unit):
        _, out = timed([binary] + arguments.split())
        match = re.search(pattern, out)
        if match is None:
            sys.exit(f"lab-bench {arguments}: no figure matching {pattern!r} in:\n{out}")
        return float(match.group(1).replace(",", "")), unit or match.group(2)

    def shown(value, unit):
        return f"{value:,.0f} {unit}" if value >= 100 else f"{value:.2f} {unit}"

    print("\n| lab-bench | median figure |" + (" baseline | change |" if baseline else ""))
    print("|---|---|" + ("---|---|" if baseline else ""))
    medians = {}
    for arguments, pattern, unit in lab_only:
        figures, base_figures = [], []
        for _ in range(args.runs):
            figures.append(figure(LAB_BENCH, arguments, pattern, unit))
            if baseline:
                base_figures.append(figure(baseline["lab-bench"], arguments, pattern, unit))
        value = statistics.median(f[0] for f in figures)
        medians[arguments] = value
        row = f"| `lab-bench {arguments}` | {shown(value, figures[0][1])} |"
        if baseline:
            base = statistics.median(f[0] for f in base_figures)
            row += f" {shown(base, base_figures[0][1])} | {value / base:.2f}× |"
        print(row, flush=True)
    one, two = (medians[f"simulate scenarios/seed-narrative.yaml memory 10000 4 {t}"] for t in (1, 2))
    print(f"\nsweep scaling (4 replicates, 2 threads vs 1): {two / one:.2f}×")


if __name__ == "__main__":
    main()
