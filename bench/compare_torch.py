"""Paired benchmark: automix-onnx's train step (or a method's iteration) against PyTorch's, alternated.

These machines share their cores with other tenants: the same benchmark can run 30% slower a few minutes
later, so two figures taken at different times say little about the ratio. This script runs the two
benchmarks in rounds, in the order A B, B A, A B, ... (drift within a round hits both sides about equally),
and reports each round's ratio and the median over rounds, both of median step times and of minimum step
times (the minimum is the run least disturbed by the neighbours).

    /usr/bin/python3 bench/compare_torch.py --rounds 4
    /usr/bin/python3 bench/compare_torch.py --method automix --steps 5 --warmup 2 --rounds 3

Every other option of `automix-onnx bench` can be passed after `--`, e.g. `-- --device cpu`.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
STEP_TIME = re.compile(r"step time\s+median ([0-9.]+) s, min ([0-9.]+) s")


def run_ours(a, extra):
    cmd = a.launcher + ["bench", "--model", a.model, "--batch-size", str(a.batch_size), "--steps", str(a.steps),
                        "--warmup", str(a.warmup), "--threads", str(a.threads), "--method", a.method] + extra
    out = subprocess.run(cmd, capture_output=True, text=True)
    m = STEP_TIME.search(out.stdout)
    if out.returncode != 0 or m is None:
        sys.exit(f"automix-onnx bench failed ({' '.join(cmd)}):\n{out.stdout}{out.stderr}")
    return float(m.group(1)), float(m.group(2))


def run_torch(a):
    cmd = [sys.executable, os.path.join(HERE, "torch_step.py"), "--method", a.method, "--batch-size",
           str(a.batch_size), "--steps", str(a.torch_steps or a.steps), "--warmup", str(a.warmup), "--threads",
           str(a.threads), "--width", str(a.width), "--json"]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"torch_step.py failed ({' '.join(cmd)}):\n{out.stdout}{out.stderr}")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return r["median_step_s"], r["min_step_s"]


def main(argv):
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    else:
        extra = []
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="resnet18-cifar", help="automix-onnx model name (default: resnet18-cifar)")
    p.add_argument("--width", type=float, default=1.0, help="torch_step.py's width multiplier matching --model")
    p.add_argument("--method", default="vanilla", help="vanilla, mixup or automix (both sides support these)")
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--steps", type=int, default=6, help="timed steps per run")
    p.add_argument("--torch-steps", type=int, default=0, help="timed steps of the torch runs (default: --steps)")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=4)
    p.add_argument("--launcher", default=os.path.join(ROOT, "cli", "automix-onnx"),
                   help="command that runs automix-onnx, e.g. 'java -jar /tmp/a.jar' (default: cli/automix-onnx)")
    a = p.parse_args(argv)
    a.launcher = a.launcher.split()
    if a.rounds < 1:
        sys.exit("--rounds must be at least 1")

    print(f"{'round':<6} {'automix-onnx median/min s':>26} {'torch median/min s':>20} {'ratio (median)':>15} "
          f"{'ratio (min)':>12}")
    by_median, by_min = [], []
    for r in range(a.rounds):
        if r % 2 == 0:
            ours, theirs = run_ours(a, extra), run_torch(a)
        else:
            theirs, ours = run_torch(a), run_ours(a, extra)
        # throughput ratio = torch's step time / ours
        by_median.append(theirs[0] / ours[0])
        by_min.append(theirs[1] / ours[1])
        print(f"{r + 1:<6} {ours[0]:>15.3f} / {ours[1]:<8.3f} {theirs[0]:>10.3f} / {theirs[1]:<7.3f} "
              f"{by_median[-1]:>14.2f}x {by_min[-1]:>11.2f}x", flush=True)
    print(f"median over {a.rounds} rounds: {statistics.median(by_median):.2f}x of PyTorch's throughput "
          f"(median step times), {statistics.median(by_min):.2f}x (minimum step times)")


if __name__ == "__main__":
    main(sys.argv[1:])
