"""Paired benchmark: automix-onnx's train step (or a method's iteration) against PyTorch's, alternated.

These machines share their cores with other tenants: the same benchmark can run 30% slower a few minutes
later, so two figures taken at different times say little about the ratio. This script runs the two
benchmarks in rounds, in the order A B, B A, A B, ... (drift within a round hits both sides about equally),
and reports each round's ratio and the median over rounds, both of median step times and of minimum step
times (the minimum is the run least disturbed by the neighbours).

    /usr/bin/python3 bench/compare_torch.py --rounds 4
    /usr/bin/python3 bench/compare_torch.py --method automix --steps 5 --warmup 2 --rounds 3

`--matrix` compares every model x input x method of MODELS, INPUTS and METHODS (or the subsets given with
--models, --inputs, --methods), with the steps, warm-up steps and rounds of PLANS, and also reports each side's
peak RSS (its process measured by /usr/bin/time: JVM or Python interpreter included). It prints a line per cell
as the cell finishes and a Markdown table at the end; --json-out keeps the results, --table-from prints one
table from such files (e.g. of runs over different subsets):

    /usr/bin/python3 bench/compare_torch.py --matrix --json-out matrix.json
    /usr/bin/python3 bench/compare_torch.py --matrix --models mobilenetv2-w0.5 --inputs 1x28x28 --methods automix
    /usr/bin/python3 bench/compare_torch.py --table-from matrix.json more.json

Every other option of `automix-onnx bench` can be passed after `--`, e.g. `-- --device cpu`.
"""
import argparse
import collections
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
STEP_TIME = re.compile(r"step time\s+median ([0-9.]+) s, min ([0-9.]+) s")

MODELS = ["resnet18-cifar-w0.25", "resnet18-cifar-w0.5", "resnet18-cifar", "mobilenetv2-w0.5",
          "resnet50-cifar-w0.25"]
INPUTS = ["1x28x28", "3x32x32"]
METHODS = ["vanilla", "mixup", "automix"]
Plan = collections.namedtuple("Plan", "steps warmup rounds")
# Sized so that the whole matrix takes under 30 minutes on 2 cores (an estimated 25): every run also spends 2-8 s
# starting (JVM and graph building, or importing torch), and an AutoMix iteration costs about three vanilla steps.
# Vanilla steps of resnet18-cifar-w0.25, -w0.5 and mobilenetv2-w0.5 take 0.15-0.6 s, so they get more steps and
# rounds; resnet18-cifar's take about 2 s (AutoMix: 5-6 s), and resnet50-cifar-w0.25's (its bottleneck stages
# output 4x the channels) about as long, PyTorch's 3-9 s.
PLANS = {
    "resnet18-cifar-w0.25": Plan(steps=8, warmup=2, rounds=3),
    "resnet18-cifar-w0.5": Plan(steps=5, warmup=1, rounds=3),
    "resnet18-cifar": Plan(steps=3, warmup=1, rounds=2),
    "mobilenetv2-w0.5": Plan(steps=8, warmup=2, rounds=3),
    "resnet50-cifar-w0.25": Plan(steps=2, warmup=1, rounds=2),
}
DEFAULT_PLAN = Plan(steps=3, warmup=1, rounds=2)  # models not in PLANS
SINGLE_CELL_PLAN = Plan(steps=6, warmup=2, rounds=4)
# PyTorch's OpenMP threads collapse when anything else competes for the cores: above this 1-minute load
# average before the start, the figures are unreliable
QUIET_LOAD = 0.5

Cell = collections.namedtuple("Cell", "model channels size method")
Run = collections.namedtuple("Run", "median_s min_s peak_rss_mb")


def timed(cmd):
    """Runs cmd under /usr/bin/time; returns its stdout and peak RSS in MB (time's %M: kB, the last stderr line)."""
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stdout}{out.stderr}")
    return out.stdout, int(out.stderr.strip().splitlines()[-1]) / 1024


def run_ours(a, cell, steps, warmup, extra):
    cmd = a.launcher + ["bench", "--model", cell.model, "--channels", str(cell.channels), "--image-size",
                        str(cell.size), "--batch-size", str(a.batch_size), "--steps", str(steps), "--warmup",
                        str(warmup), "--threads", str(a.threads), "--method", cell.method] + extra
    stdout, rss_mb = timed(cmd)
    m = STEP_TIME.search(stdout)
    if m is None:
        sys.exit(f"no step time in the output of {' '.join(cmd)}:\n{stdout}")
    return Run(float(m.group(1)), float(m.group(2)), rss_mb)


def run_torch(a, cell, steps, warmup):
    cmd = [sys.executable, os.path.join(HERE, "torch_step.py"), "--model", cell.model, "--channels",
           str(cell.channels), "--image-size", str(cell.size), "--method", cell.method, "--batch-size",
           str(a.batch_size), "--steps", str(steps), "--warmup", str(warmup), "--threads", str(a.threads), "--json"]
    stdout, rss_mb = timed(cmd)
    r = json.loads(stdout.strip().splitlines()[-1])
    return Run(r["median_step_s"], r["min_step_s"], rss_mb)


def paired_rounds(a, cell, plan, extra, torch_steps=None):
    """Yields (ours, torch) per round, the two runs in the order A B, B A, A B, ..."""
    torch_steps = torch_steps or plan.steps
    for r in range(plan.rounds):
        if r % 2 == 0:
            ours = run_ours(a, cell, plan.steps, plan.warmup, extra)
            theirs = run_torch(a, cell, torch_steps, plan.warmup)
        else:
            theirs = run_torch(a, cell, torch_steps, plan.warmup)
            ours = run_ours(a, cell, plan.steps, plan.warmup, extra)
        yield ours, theirs


def single_cell(a, plan, extra):
    cell = Cell(a.model, a.channels, a.image_size, a.method)
    print(f"{'round':<6} {'automix-onnx median/min s':>26} {'torch median/min s':>20} {'ratio (median)':>15} "
          f"{'ratio (min)':>12}")
    by_median, by_min = [], []
    for r, (ours, theirs) in enumerate(paired_rounds(a, cell, plan, extra, a.torch_steps)):
        # throughput ratio = torch's step time / ours
        by_median.append(theirs.median_s / ours.median_s)
        by_min.append(theirs.min_s / ours.min_s)
        print(f"{r + 1:<6} {ours.median_s:>15.3f} / {ours.min_s:<8.3f} {theirs.median_s:>10.3f} / "
              f"{theirs.min_s:<7.3f} {by_median[-1]:>14.2f}x {by_min[-1]:>11.2f}x", flush=True)
    print(f"median over {plan.rounds} rounds: {statistics.median(by_median):.2f}x of PyTorch's throughput "
          f"(median step times), {statistics.median(by_min):.2f}x (minimum step times)")


def wait_for_load(limit, seconds):
    """Waits up to `seconds` for the 1-minute load average to drop to `limit`; returns the last one seen."""
    deadline = time.monotonic() + seconds
    load = os.getloadavg()[0]
    while load > limit and time.monotonic() < deadline:
        time.sleep(max(0.0, min(10.0, deadline - time.monotonic())))
        load = os.getloadavg()[0]
    return load


def machine():
    """Date, uptime's load averages and the CPU, as printed above the matrix."""
    with open("/proc/cpuinfo") as f:
        cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "unknown")
    return {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
            "cpu": f"{cpu}, {os.cpu_count()} logical cores"}


def cell_result(a, cell, plan, pairs, load_before):
    ratios = [theirs.median_s / ours.median_s for ours, theirs in pairs]
    ours_rss = max(ours.peak_rss_mb for ours, _ in pairs)
    torch_rss = max(theirs.peak_rss_mb for _, theirs in pairs)
    return {
        "model": cell.model, "input": f"{cell.channels}x{cell.size}x{cell.size}", "method": cell.method,
        "batch_size": a.batch_size, "threads": a.threads, **plan._asdict(), "load_before": load_before,
        "runs": [{"ours": ours._asdict(), "torch": theirs._asdict()} for ours, theirs in pairs],
        "ours_images_per_s": statistics.median(a.batch_size / ours.median_s for ours, _ in pairs),
        "torch_images_per_s": statistics.median(a.batch_size / theirs.median_s for _, theirs in pairs),
        "ratio": statistics.median(ratios), "ratio_min": min(ratios), "ratio_max": max(ratios),
        "ours_peak_rss_mb": ours_rss, "torch_peak_rss_mb": torch_rss, "rss_ratio": ours_rss / torch_rss,
    }


def markdown_table(cells):
    lines = ["| model | input | method | automix-onnx img/s | PyTorch img/s | throughput ratio (rounds' min-max) "
             "| automix-onnx peak RSS MB | PyTorch peak RSS MB | RSS ratio |",
             "|---|---|---|---|---|---|---|---|---|"]
    for c in cells:
        lines.append(f"| {c['model']} | {c['input']} | {c['method']} | {c['ours_images_per_s']:.0f} | "
                     f"{c['torch_images_per_s']:.0f} | **{c['ratio']:.2f}x** ({c['ratio_min']:.2f}-"
                     f"{c['ratio_max']:.2f}x, {c['rounds']} rounds) | {c['ours_peak_rss_mb']:.0f} | "
                     f"{c['torch_peak_rss_mb']:.0f} | {c['rss_ratio']:.2f}x |")
    return "\n".join(lines)


def matrix(a, plan_overrides, extra):
    cells = [Cell(model, *parse_input(i), method) for model in a.models for i in a.inputs for method in a.methods]
    host = machine()
    for k, v in host.items():
        print(f"{k}: {v}")
    print(f"{len(cells)} cells, batch {a.batch_size}, {a.threads} threads; throughput ratio = PyTorch's step time "
          f"/ automix-onnx's (above 1: automix-onnx is faster), RSS ratio = automix-onnx's / PyTorch's", flush=True)
    load = wait_for_load(QUIET_LOAD, a.wait_quiet)
    if load > QUIET_LOAD:
        print(f"\n{'!' * 100}\nWARNING: the 1-minute load average is {load:.2f} (above {QUIET_LOAD}): something else "
              f"is running. PyTorch's OpenMP threads\ncollapse when anything else runs, so the figures of this run "
              f"will be unreliable.\n{'!' * 100}\n", file=sys.stderr, flush=True)
    # builds the jar now if the sources changed, so that no run's time or peak RSS includes Maven
    host["automix_onnx"] = subprocess.run(a.launcher + ["--version"], check=True, capture_output=True,
                                          text=True).stdout.strip()
    print(host["automix_onnx"], flush=True)

    results, matrix_started = [], time.monotonic()
    busy_limit = a.threads + QUIET_LOAD  # our own runs keep --threads cores busy; load beyond that is someone else's
    for cell in cells:
        load = wait_for_load(busy_limit, a.wait_quiet)
        if load > busy_limit:
            print(f"WARNING: load average {load:.2f} before {cell.model} {cell.channels}x{cell.size}x{cell.size} "
                  f"{cell.method}: something else is running, this cell's figures are unreliable",
                  file=sys.stderr, flush=True)
        plan = PLANS.get(cell.model, DEFAULT_PLAN)._replace(**plan_overrides)
        started = time.monotonic()
        r = cell_result(a, cell, plan, list(paired_rounds(a, cell, plan, extra)), load)
        print(f"{r['model']} {r['input']} {r['method']}: automix-onnx {r['ours_images_per_s']:.0f} img/s, "
              f"PyTorch {r['torch_images_per_s']:.0f} img/s, ratio {r['ratio']:.2f}x ({r['ratio_min']:.2f}-"
              f"{r['ratio_max']:.2f}x), peak RSS {r['ours_peak_rss_mb']:.0f} / {r['torch_peak_rss_mb']:.0f} MB; "
              f"load before {load:.2f}, {time.monotonic() - started:.0f} s", flush=True)
        results.append(r)
        if a.json_out:  # rewritten after every cell, so an interrupted matrix keeps what it measured
            with open(a.json_out, "w") as f:
                json.dump({**host, "cells": results}, f, indent=1)
    print(f"\n{len(cells)} cells in {(time.monotonic() - matrix_started) / 60:.1f} min\n")
    print(markdown_table(results))


def parse_input(spec):
    """'CxSxS' -> (C, S); both benchmarks take square images."""
    m = re.fullmatch(r"(\d+)x(\d+)x(\d+)", spec)
    if m is None or m.group(2) != m.group(3):
        sys.exit(f"input '{spec}' is not CxSxS (channels x size x size), e.g. 3x32x32")
    return int(m.group(1)), int(m.group(2))


def main(argv):
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    else:
        extra = []
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="resnet18-cifar", help="automix-onnx model name (default: resnet18-cifar)")
    # torch_step.py now builds --model itself; the older option that had to repeat its width is accepted and unused
    p.add_argument("--width", type=float, help=argparse.SUPPRESS)
    p.add_argument("--method", default="vanilla", help="vanilla, mixup or automix (both sides support these)")
    p.add_argument("--channels", type=int, default=3)
    p.add_argument("--image-size", type=int, default=32)
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--steps", type=int, help="timed steps per run (default: 6; --matrix: PLANS' for the model)")
    p.add_argument("--torch-steps", type=int, help="timed steps of the torch runs (default: --steps)")
    p.add_argument("--warmup", type=int, help="untimed steps first (default: 2; --matrix: PLANS')")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, help="(default: 4; --matrix: PLANS')")
    p.add_argument("--launcher", default=os.path.join(ROOT, "cli", "automix-onnx"),
                   help="command that runs automix-onnx, e.g. 'java -jar /tmp/a.jar' (default: cli/automix-onnx)")
    p.add_argument("--matrix", action="store_true", help="compare every cell of --models x --inputs x --methods")
    p.add_argument("--models", default=",".join(MODELS), help="--matrix: comma-separated (default: all five)")
    p.add_argument("--inputs", default=",".join(INPUTS), help="--matrix: comma-separated CxSxS (default: %(default)s)")
    p.add_argument("--methods", default=",".join(METHODS), help="--matrix: comma-separated (default: %(default)s)")
    p.add_argument("--json-out", metavar="FILE", help="--matrix: write the results to FILE as JSON")
    p.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                   help="--matrix: wait up to SECONDS for the load average to drop before the start and each cell")
    p.add_argument("--table-from", nargs="+", metavar="FILE",
                   help="print the Markdown table of the cells in these --json-out files and exit")
    a = p.parse_args(argv)
    a.launcher = a.launcher.split()
    plan_overrides = {k: v for k, v in (("steps", a.steps), ("warmup", a.warmup), ("rounds", a.rounds))
                      if v is not None}
    if plan_overrides.get("rounds", 1) < 1:
        sys.exit("--rounds must be at least 1")

    if a.table_from:
        cells = []
        for path in a.table_from:
            with open(path) as f:
                cells += json.load(f)["cells"]
        print(markdown_table(cells))
    elif a.matrix:
        a.models, a.inputs, a.methods = a.models.split(","), a.inputs.split(","), a.methods.split(",")
        matrix(a, plan_overrides, extra)
    else:
        single_cell(a, SINGLE_CELL_PLAN._replace(**plan_overrides), extra)


if __name__ == "__main__":
    main(sys.argv[1:])
