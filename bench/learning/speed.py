#!/usr/bin/env python3
"""Training speed of `assay train` beside fastText's `train_supervised`, interleaved so that the machine's noise
falls on every tool alike.

Usage: bench/learning/run.sh speed [ROUNDS] [OTHER_ASSAY]
       python3 bench/learning/speed.py ASSAY ROUNDS [OTHER_ASSAY [DATA_CSV]]

Each round runs one `assay train` process on the Davidson et al. training rows (ids not divisible by 5, as in
compare.py), one of OTHER_ASSAY when given (an older build, say), and one fastText `train_supervised` with its
defaults in-process; the medians, minima and maxima of the wall times are printed.
"""
import csv, os, statistics, subprocess, sys, tempfile, time
import fasttext

assay, rounds = os.path.abspath(sys.argv[1]), int(sys.argv[2])
other = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else None
data = sys.argv[4] if len(sys.argv) > 4 else os.path.join(os.path.dirname(__file__), '../../../shared/data/davidson2017/labeled_data.csv')
names = {'0': 'hate', '1': 'offensive', '2': 'neither'}
work = tempfile.mkdtemp(prefix='assay-speed-')
train = [(r[0], r[6], names[r[5]]) for r in list(csv.reader(open(data, encoding='utf-8')))[1:] if int(r[0]) % 5 != 0]
train_csv, train_txt = os.path.join(work, 'train.csv'), os.path.join(work, 'train.txt')
with open(train_csv, 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f); w.writerow(['id', 'text', 'label']); w.writerows(train)
with open(train_txt, 'w', encoding='utf-8') as f:
    for _, text, label in train: f.write(f"__label__{label} {' '.join(text.split())}\n")

runs = [('assay', assay)] + ([('other assay', other)] if other else [])
times = {name: [] for name, _ in runs}
times['fastText defaults'] = []
for _ in range(rounds):
    for name, binary in runs:
        start = time.perf_counter()
        subprocess.run([binary, 'train', train_csv, '--out', os.path.join(work, 'model')], check=True, capture_output=True)
        times[name].append(time.perf_counter() - start)
    start = time.perf_counter()
    fasttext.train_supervised(train_txt, verbose=0)
    times['fastText defaults'].append(time.perf_counter() - start)
print(f'== {len(train)} training rows, {rounds} interleaved rounds, {os.cpu_count()} cores')
for name, values in times.items():
    print(f'{name:18s} median {statistics.median(values):.3f} s  min {min(values):.3f} s  max {max(values):.3f} s')
subprocess.run(['rm', '-rf', work])
