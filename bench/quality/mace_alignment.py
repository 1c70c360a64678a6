#!/usr/bin/env python3
"""Shows that crowd-kit's MACE misaligns its expected counts unless names sort in order of first appearance.

    mace_alignment.py [PATH/TO/assay] [--iterations 1,50] [--seed 1]

(the binary defaults to $ASSAY_BINARY, then .build/release/assay; run it with bench/.venv-quality/bin/python,
which run.sh creates, or any Python with crowd-kit 1.4.2, numpy and pandas.)

crowd-kit 1.4.2, crowdkit/aggregation/classification/mace.py: `fit` numbers workers and labels with `pd.factorize`
(order of first appearance) and indexes `thetas_[workers, labels]` with those codes, but `_e_step` builds the spam
habit counts with `annotation.groupby(["worker", "label"]).sum()...unstack()`, whose rows and columns are sorted by
name, and the M-step takes their `.values` as the new `thetas_`. So from the first M-step on, each worker is scored
with another worker's habit for another label, whenever the sorted order differs from the order of appearance
(e.g. w10 sorts before w2). The knowing/spamming counts are assigned into a frame indexed by name, so they stay
aligned; only the habit ξ is scrambled.

On a seeded dataset (400 items, 40 workers, 4 labels, 2-4 judgments per item, names in scrambled order), for each
iteration count it fits, from the same start as assay's first restart (θ = ½, uniform ξ; one restart, variational
Bayes, no tolerance):
  - crowd-kit on the data as-is;
  - crowd-kit on a copy with workers and labels renamed (w000, w001, ... and L0, L1, ... in order of first
    appearance), which is the same data, so the model should give the same posteriors;
  - crowd-kit on the data as-is with its habit table reindexed to the factorize order (the one-line fix);
and prints, against `assay aggregate --method mace` on the same file, the largest difference in each item's
top posterior (assay writes only that one) and the share of items given the same label. Needs no network.
"""
import argparse
import io
import os
import subprocess
import tempfile
import warnings

import numpy as np
import pandas as pd
from crowdkit.aggregation import MACE

warnings.filterwarnings("ignore")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def simulate(seed, items=400, workers=40, labels=4):
    """Judgments as strings: workers w0..w39 and labels named out of alphabetical order, in shuffled order."""
    rng = np.random.default_rng(seed)
    names = np.array(["neutral", "positive", "negative", "mixed"])[:labels]
    truth = rng.integers(0, labels, size=items)
    accuracy = rng.beta(6, 2, size=workers)
    habit = rng.dirichlet(np.ones(labels), size=workers)  # what a worker answers when not answering the truth
    rows = []
    for item in rng.permutation(items):
        for worker in rng.choice(workers, size=rng.integers(2, 5), replace=False):
            answer = truth[item] if rng.random() < accuracy[worker] else rng.choice(labels, p=habit[worker])
            rows.append((f"i{item}", f"w{worker}", names[answer]))
    return pd.DataFrame(rows, columns=["item", "worker", "label"])


def sorts_in_appearance_order(column):
    first_seen = pd.unique(column)
    return list(first_seen) == sorted(first_seen)


def renamed(frame):
    """The same judgments with workers and labels renamed so that their names sort in order of first appearance."""
    copy = frame.copy()
    workers, labels = pd.unique(frame.worker), pd.unique(frame.label)
    copy["worker"] = frame.worker.map({name: f"w{rank:03d}" for rank, name in enumerate(workers)})
    copy["label"] = frame.label.map({name: f"L{rank}" for rank, name in enumerate(labels)})
    return copy


def assay_start(self, n_workers, n_labels):
    """Replaces crowd-kit's random start with assay's first restart: θ = ½ (spam vs knowing) and uniform ξ."""
    self.spamming_ = np.full((n_workers, 2), 0.5)
    self.thetas_ = np.full((n_workers, n_labels), 1.0 / n_labels)
    if self.method == "vb":
        self.theta_priors_ = np.empty((n_workers, 2))
        self.theta_priors_[:, 0] = self.alpha
        self.theta_priors_[:, 1] = self.beta
        self.strategy_priors_ = np.full((n_workers, n_labels), 10.0)


ORIGINAL_E_STEP = MACE._e_step


def aligned_e_step(self, annotation, task_names, worker_names, label_names, tasks, workers, labels):
    """crowd-kit's E-step with the habit table put back in factorize order (rows worker_names, columns label_names)."""
    result = ORIGINAL_E_STEP(self, annotation, task_names, worker_names, label_names, tasks, workers, labels)
    likelihood, marginals, strategy, knowing = result
    return likelihood, marginals, strategy.reindex(index=worker_names, columns=label_names, fill_value=0.0), knowing


def crowdkit(frame, iterations, fixed=False):
    model = MACE(n_restarts=1, n_iter=iterations, method="vb")
    model._initialize = assay_start.__get__(model)
    if fixed:
        model._e_step = aligned_e_step.__get__(model)
    model.fit(frame.rename(columns={"item": "task"}))
    return model.probas_.max(axis=1), model.labels_


def assay(binary, path, iterations):
    done = subprocess.run(
        [binary, "aggregate", path, "--method", "mace", "--restarts", "1", "--max-iterations", str(iterations),
         "--tolerance", "0", "--out", "/dev/stdout"], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"assay aggregate {path} failed:\n{done.stderr}")
    if "stopped at the cap" not in done.stderr:
        print(f"  note: assay did not run all {iterations} iterations: {done.stderr.strip()}")
    out = pd.read_csv(io.StringIO(done.stdout), dtype={"item": str, "label": str}).set_index("item")
    return out.confidence, out.label


def compare(name, ours, theirs):
    (our_top, our_label), (their_top, their_label) = ours, theirs
    their_top, their_label = their_top.reindex(our_top.index), their_label.reindex(our_label.index).astype(str)
    gap = float(np.abs(our_top - their_top).max())
    same = float((our_label == their_label).mean())
    print(f"  {name:<38} max |top posterior diff| {gap:.3e}   same label {same:7.2%}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("assay", nargs="?",
                        default=os.environ.get("ASSAY_BINARY", os.path.join(ROOT, ".build/release/assay")))
    parser.add_argument("--iterations", default="1,50", help="comma-separated iteration counts")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    frame = simulate(args.seed)
    sorted_frame = renamed(frame)
    print(f"{frame.item.nunique()} items, {frame.worker.nunique()} workers, {len(frame)} judgments, "
          f"labels in order of appearance {list(pd.unique(frame.label))}")
    print(f"as-is: workers sort in order of appearance {sorts_in_appearance_order(frame.worker)}, "
          f"labels {sorts_in_appearance_order(frame.label)}; renamed: workers "
          f"{sorts_in_appearance_order(sorted_frame.worker)}, labels {sorts_in_appearance_order(sorted_frame.label)}")
    with tempfile.TemporaryDirectory() as folder:
        as_is_path, sorted_path = os.path.join(folder, "as_is.csv"), os.path.join(folder, "renamed.csv")
        frame.to_csv(as_is_path, index=False)
        sorted_frame.to_csv(sorted_path, index=False)
        back = {f"L{rank}": name for rank, name in enumerate(pd.unique(frame.label))}
        for iterations in (int(part) for part in args.iterations.split(",")):
            print(f"{iterations} iteration(s), one restart from θ = ½ and uniform ξ, variational Bayes:")
            ours = assay(args.assay, as_is_path, iterations)
            ours_renamed = assay(args.assay, sorted_path, iterations)
            compare("crowd-kit, as-is", ours, crowdkit(frame, iterations))
            compare("crowd-kit, renamed to sort in order", ours_renamed, crowdkit(sorted_frame, iterations))
            compare("crowd-kit, as-is, habit table aligned", ours, crowdkit(frame, iterations, fixed=True))
            compare("assay renamed vs assay as-is", ours, (ours_renamed[0], ours_renamed[1].map(back)))


if __name__ == "__main__":
    main()
