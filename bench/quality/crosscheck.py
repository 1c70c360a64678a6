#!/usr/bin/env python3
"""Cross-checks `assay agree` and `assay aggregate` against the reference implementations.

    crosscheck.py PATH/TO/assay [--seeds 5]

On seeded simulated judgments with missing values (make_data.py), for every seed:
  - Krippendorff's alpha at all four levels equals the `krippendorff` package to 1e-9;
  - Cohen's kappa (two raters) equals scikit-learn's `cohen_kappa_score` to 1e-9;
  - Fleiss' kappa (equal raters per item) equals statsmodels' `fleiss_kappa` to 1e-9;
  - Dawid-Skene labels equal crowd-kit's `DawidSkene` on >= 99.5% of items, with accuracy against the truth no
    lower; one-coin DS, GLAD and MACE agreement with crowd-kit is reported, not asserted (MACE and GLAD start
    from random points and optimise differently).
Exits non-zero if any assertion fails. Needs no network once the packages are installed.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import krippendorff
import numpy as np
import pandas as pd
from crowdkit.aggregation import GLAD, MACE, DawidSkene, OneCoinDawidSkene
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_data import simulate, write  # noqa: E402

FAILURES = []


def check(name, ok, detail):
    print(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}")
    if not ok:
        FAILURES.append(name)


def assay(binary, *arguments):
    done = subprocess.run([binary, *arguments], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"assay {' '.join(arguments)} failed:\n{done.stderr}")
    return done.stdout


def dataset(folder, name, items, workers, labels, overlap_min, overlap, seed):
    item, worker, label, truth = simulate(items, workers, labels, overlap_min, overlap, seed)
    path = os.path.join(folder, f"{name}.csv")
    write(path, "item,worker,label", item, worker, label)
    frame = pd.DataFrame({"task": item, "worker": worker, "label": label})
    return path, frame, truth


def agreement(binary, folder, seed):
    # Alpha: 400 items, 12 workers, 1-5 judgments per item (units with one value are not pairable).
    path, frame, _ = dataset(folder, f"alpha-{seed}", 400, 12, 5, 1, 5, seed)
    reliability = np.full((12, 400), np.nan)
    reliability[frame.worker, frame.task] = frame.label
    for level in ("nominal", "ordinal", "interval", "ratio"):
        ours = json.loads(assay(binary, "agree", path, "--level", level, "--json"))["krippendorff_alpha"]
        theirs = krippendorff.alpha(reliability_data=reliability, level_of_measurement=level)
        check(f"alpha {level}", abs(ours - theirs) <= 1e-9, f"assay {ours:.12f}, krippendorff {theirs:.12f}")

    # Cohen's kappa: two raters on every item.
    path, frame, _ = dataset(folder, f"cohen-{seed}", 500, 2, 4, 2, 2, seed)
    ours = json.loads(assay(binary, "agree", path, "--json"))["cohens_kappa"]
    pivot = frame.pivot(index="task", columns="worker", values="label")
    theirs = cohen_kappa_score(pivot[0], pivot[1])
    check("cohen kappa", abs(ours - theirs) <= 1e-9, f"assay {ours:.12f}, scikit-learn {theirs:.12f}")

    # Fleiss' kappa: three raters on every item (statsmodels assumes equal counts).
    path, frame, _ = dataset(folder, f"fleiss-{seed}", 1000, 40, 5, 3, 3, seed)
    ours = json.loads(assay(binary, "agree", path, "--json"))["fleiss_kappa"]
    per_item = frame.sort_values("task").groupby("task").label.apply(list).tolist()
    table, _ = aggregate_raters(np.array(per_item))
    theirs = fleiss_kappa(table, method="fleiss")
    check("fleiss kappa", abs(ours - theirs) <= 1e-9, f"assay {ours:.12f}, statsmodels {theirs:.12f}")


def aggregation(binary, folder, seed):
    path, frame, truth = dataset(folder, f"crowd-{seed}", 20_000, 300, 5, 2, 4, seed)
    truth = pd.Series(truth)
    methods = {
        "ds": DawidSkene(n_iter=100, tol=1e-5),
        "ods": OneCoinDawidSkene(n_iter=100, tol=1e-5),
        "glad": GLAD(n_iter=100, tol=1e-5, silent=True),
        "mace": MACE(n_restarts=10, n_iter=50, random_state=0),
    }
    for method, model in methods.items():
        out = os.path.join(folder, f"{method}-{seed}.csv")
        assay(binary, "aggregate", path, "--method", method, "--out", out, "--quiet")
        ours = pd.read_csv(out).set_index("item").label
        ours.index = ours.index.str[1:].astype(int)
        theirs = model.fit_predict(frame)
        theirs = theirs.reindex(ours.index).astype(int)
        same = float((ours == theirs).mean())
        our_accuracy = float((ours == truth[ours.index]).mean())
        their_accuracy = float((theirs == truth[theirs.index]).mean())
        detail = f"same label on {same:.4%} of items; accuracy assay {our_accuracy:.4f}, crowd-kit {their_accuracy:.4f}"
        if method == "ds":
            check("dawid-skene vs crowd-kit", same >= 0.995 and our_accuracy >= their_accuracy - 1e-12, detail)
        else:
            print(f"  info {method} vs crowd-kit: {detail}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("assay")
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for seed in range(1, args.seeds + 1):
            print(f"seed {seed}")
            agreement(args.assay, folder, seed)
            aggregation(args.assay, folder, seed)
    print("all cross-checks passed" if not FAILURES else f"{len(FAILURES)} cross-checks FAILED: {FAILURES}")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
