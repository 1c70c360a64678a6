#!/usr/bin/env python3
"""Writes seeded, simulated crowd judgments for the quality benchmarks and cross-checks.

    make_data.py OUT_DIR --items 1000000 --workers 2000 --labels 5 --overlap 3 --seed 1

OUT_DIR gets judgments.csv (item,worker,label), truth.csv (item,label) and gold.csv (1% of items, item,label).
Each item's true label follows a skewed prior; each worker has an accuracy drawn from Beta(8, 2) and answers
the truth with that probability, otherwise a uniformly chosen wrong label; one worker in ten is a spammer who
answers uniformly at random. With --overlap-min below --overlap, items get between the two counts of judgments
(missing values, as in real queues); every judgment on an item comes from a different worker.
"""
import argparse
import os

import numpy as np


def simulate(items, workers, labels, overlap_min, overlap, seed):
    rng = np.random.default_rng(seed)
    prior = np.array([0.5 ** k for k in range(labels)])
    prior /= prior.sum()
    truth = rng.choice(labels, size=items, p=prior)
    accuracy = rng.beta(8, 2, size=workers)
    spammer = rng.random(workers) < 0.1
    counts = rng.integers(overlap_min, overlap + 1, size=items)
    item_column = np.repeat(np.arange(items), counts)
    # Distinct workers per item: a random first worker, then overlap - 1 distinct offsets from it in
    # 1..workers-1 (sorted draws plus their rank are strictly increasing, so no worker repeats on an item).
    first = rng.integers(0, workers, size=items)
    draws = np.sort(rng.integers(1, workers - overlap + 2, size=(items, overlap - 1)), axis=1)
    offsets = np.concatenate([np.zeros((items, 1), dtype=np.int64), draws + np.arange(overlap - 1)], axis=1)
    slot = np.arange(len(item_column)) - np.repeat(np.cumsum(counts) - counts, counts)
    worker_column = (first[item_column] + offsets[item_column, slot]) % workers
    true_column = truth[item_column]
    correct = rng.random(len(item_column)) < accuracy[worker_column]
    wrong = (true_column + rng.integers(1, labels, size=len(item_column))) % labels
    answer = np.where(correct, true_column, wrong)
    noise = rng.integers(0, labels, size=len(item_column))
    answer = np.where(spammer[worker_column], noise, answer)
    return item_column, worker_column, answer, truth


def write(path, header, *columns):
    with open(path, "w") as out:
        out.write(header + "\n")
        prefixes = ("i", "w", "") if len(columns) == 3 else ("i", "")
        text = np.char.add(prefixes[0], columns[0].astype(str))
        for prefix, column in zip(prefixes[1:], columns[1:]):
            text = np.char.add(np.char.add(text, ","), np.char.add(prefix, column.astype(str)))
        out.write("\n".join(text.tolist()))
        out.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2000)
    parser.add_argument("--labels", type=int, default=5)
    parser.add_argument("--overlap", type=int, default=3)
    parser.add_argument("--overlap-min", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    items, workers, answers, truth = simulate(
        args.items, args.workers, args.labels, args.overlap_min or args.overlap, args.overlap, args.seed)
    write(os.path.join(args.out, "judgments.csv"), "item,worker,label", items, workers, answers)
    write(os.path.join(args.out, "truth.csv"), "item,label", np.arange(args.items), truth)
    gold = np.random.default_rng(args.seed + 1).choice(args.items, size=max(1, args.items // 100), replace=False)
    write(os.path.join(args.out, "gold.csv"), "item,label", np.sort(gold), truth[np.sort(gold)])


if __name__ == "__main__":
    main()
