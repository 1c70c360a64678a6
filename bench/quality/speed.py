#!/usr/bin/env python3
"""Times `assay aggregate` / `assay agree` beside crowd-kit and krippendorff on the same judgments file.

    speed.py PATH/TO/assay DATA_DIR [--reference] [--methods mv,ds,ods,glad,mace] [--repeats 3]

DATA_DIR holds judgments.csv and truth.csv from make_data.py. For each method, assay runs as a user runs it (the
release binary on the CSV); the figure compared is the fit time it reports on standard error, beside the
whole command's wall time and peak memory (GNU time). With --reference, crowd-kit fits the same DataFrame with the
same settings (n_iter 100, tol 1e-5; MACE 10 restarts of 50 iterations), timed around `fit` only, and the
`krippendorff` package computes alpha from a units x values count matrix (its dense raters x units input would
need 2,000 x 1,000,000 floats, 16 GB). Medians over --repeats runs for assay; crowd-kit runs once (minutes each).
Prints one JSON line per measurement.
"""
import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import time


def run_assay(binary, arguments):
    done = subprocess.run(["/usr/bin/time", "-v", binary, *arguments], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    peak_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", done.stderr).group(1)
    seconds = sum(float(part) * 60 ** index for index, part in enumerate(reversed(wall.split(":"))))
    return done.stdout, done.stderr, seconds, peak_kib / 1024


def assay_aggregate(binary, data, method, repeats):
    fits, walls, peaks, iterations = [], [], [], None
    for _ in range(repeats):
        _, stderr, wall, peak = run_assay(
            binary, ["aggregate", os.path.join(data, "judgments.csv"), "--method", method,
                     "--out", os.path.join(data, f"assay-{method}.csv")])
        summary = [line for line in stderr.splitlines() if "judgments" in line and "read in" in line][-1]
        fits.append(float(re.search(r" in ([\d.]+) s$", summary).group(1)))
        found = re.search(r"(\d+) iterations", summary)
        iterations = int(found.group(1)) if found else None
        walls.append(wall)
        peaks.append(peak)
    return {"tool": "assay", "method": method, "fit_s": statistics.median(fits), "wall_s": statistics.median(walls),
            "peak_mib": max(peaks), "iterations": iterations, "runs": repeats}


def assay_agree(binary, data, repeats):
    results = []
    for _ in range(repeats):
        stdout, stderr, wall, peak = run_assay(binary, ["agree", os.path.join(data, "judgments.csv"), "--json"])
        summary = [line for line in stderr.splitlines() if "Krippendorff" in line][-1]
        alpha_s = float(re.search(r"Krippendorff's α ([\d.]+) s", summary).group(1))
        results.append((alpha_s, wall, peak, json.loads(stdout)["krippendorff_alpha"]))
    return {"tool": "assay", "method": "alpha-nominal", "fit_s": statistics.median(r[0] for r in results),
            "wall_s": statistics.median(r[1] for r in results), "peak_mib": max(r[2] for r in results),
            "alpha": results[0][3], "runs": repeats}


def reference(data, methods):
    import krippendorff
    import numpy as np
    import pandas as pd
    from crowdkit.aggregation import GLAD, MACE, DawidSkene, MajorityVote, OneCoinDawidSkene

    frame = pd.read_csv(os.path.join(data, "judgments.csv")).rename(columns={"item": "task"})
    models = {
        "mv": lambda: MajorityVote(),
        "ds": lambda: DawidSkene(n_iter=100, tol=1e-5),
        "ods": lambda: OneCoinDawidSkene(n_iter=100, tol=1e-5),
        "glad": lambda: GLAD(n_iter=100, tol=1e-5, silent=True),
        "mace": lambda: MACE(n_restarts=10, n_iter=50, random_state=0),
    }
    for method in methods:
        model = models[method]()
        start = time.perf_counter()
        model.fit(frame)
        seconds = time.perf_counter() - start
        history = getattr(model, "loss_history_", None)
        yield {"tool": "crowd-kit", "method": method, "fit_s": seconds,
               "iterations": len(history) if history is not None and method in ("ds", "ods", "glad") else None,
               "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    codes = frame.task.str[1:].astype(np.int64).to_numpy()
    counts = np.zeros((codes.max() + 1, frame.label.max() + 1))
    np.add.at(counts, (codes, frame.label.to_numpy()), 1)
    start = time.perf_counter()
    alpha = krippendorff.alpha(value_counts=counts, level_of_measurement="nominal")
    yield {"tool": "krippendorff", "method": "alpha-nominal", "fit_s": time.perf_counter() - start, "alpha": alpha,
           "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("assay")
    parser.add_argument("data")
    parser.add_argument("--reference", action="store_true")
    parser.add_argument("--methods", default="mv,ds,ods,glad,mace")
    parser.add_argument("--reference-methods", default=None)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    methods = args.methods.split(",")
    for method in methods:
        print(json.dumps(assay_aggregate(args.assay, args.data, method, args.repeats)), flush=True)
    print(json.dumps(assay_agree(args.assay, args.data, args.repeats)), flush=True)
    if args.reference:
        for row in reference(args.data, (args.reference_methods or args.methods).split(",")):
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
