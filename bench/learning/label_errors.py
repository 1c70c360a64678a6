#!/usr/bin/env python3
"""Label-error detection: `assay label-errors` beside cleanlab on the Davidson et al. (2017) tweets with planted errors.

Usage: bench/learning/run.sh label-errors   (or: python3 bench/learning/label_errors.py ASSAY_BINARY [DATA_CSV])

The training split of compare.py (ids not divisible by 5) gets 5% of its labels replaced by another label at random
(seeded). Both tools are asked which labels are wrong, and are scored against the planted ones: precision (of the
flags, how many were planted), recall (of the planted, how many were flagged), F1. The original labels are noisy too,
so some "false" flags may be real errors of the dataset; the comparison is like for like.

cleanlab gets out-of-fold probabilities from scikit-learn's TF-IDF (word 1-2-grams, min_df 2, sublinear) and
balanced LogisticRegression (C=4) with 5-fold stratified cross-validation, the setting of compare.py, then
`find_label_issues` with `filter_by='confident_learning'` (the method Assay implements) and with cleanlab's default
`prune_by_noise_rate`. Times: the whole `assay label-errors` process; for cleanlab, cross-validation plus
find_label_issues in-process. Medians of 3 runs.
"""
import csv, os, random, statistics, subprocess, sys, tempfile, time

ASSAY = os.path.abspath(sys.argv[1])
DATA = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), '../../../shared/data/davidson2017/labeled_data.csv')
NAMES = {'0': 'hate', '1': 'offensive', '2': 'neither'}
rows = list(csv.reader(open(DATA, encoding='utf-8')))[1:]
train = [(r[0], r[6], NAMES[r[5]]) for r in rows if int(r[0]) % 5 != 0]
rng = random.Random(2017)
noisy, planted = [], set()
for ident, text, label in train:
    if rng.random() < 0.05:
        label = rng.choice([l for l in NAMES.values() if l != label]); planted.add(ident)
    noisy.append((ident, text, label))
work = tempfile.mkdtemp(prefix='assay-label-errors-')
path = os.path.join(work, 'noisy.csv')
with open(path, 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f); w.writerow(['id', 'text', 'label']); w.writerows(noisy)
print(f'== data: {len(noisy)} training rows, {len(planted)} labels planted wrong (5%), {os.cpu_count()} cores')

def report(name, flagged, seconds):
    hits = len(flagged & planted)
    precision = hits / len(flagged) if flagged else 0
    recall = hits / len(planted)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0
    print(f'{name:60s} flagged {len(flagged):5d}  precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  {seconds:.2f} s')

def median_time(run, runs=3):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter(); result = run(); times.append(time.perf_counter() - start)
    return result, statistics.median(times)

out = os.path.join(work, 'flags.csv')
_, seconds = median_time(lambda: subprocess.run(
    [ASSAY, 'label-errors', path, '--id-column', 'id', '--out', out], check=True, capture_output=True))
report('Assay `assay label-errors` (5 folds, confident learning)', {r['id'] for r in csv.DictReader(open(out))}, seconds)

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
import cleanlab
from cleanlab.filter import find_label_issues
labels = sorted(NAMES.values())
y = np.array([labels.index(l) for _, _, l in noisy])
texts = [t for _, t, _ in noisy]
def oof():
    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                          LogisticRegression(C=4, max_iter=2000, class_weight='balanced'))
    return cross_val_predict(model, texts, y, cv=StratifiedKFold(5, shuffle=True, random_state=1), method='predict_proba')
probabilities, oof_seconds = median_time(oof)
for method in ('confident_learning', 'prune_by_noise_rate'):
    issues, find_seconds = median_time(lambda: find_label_issues(y, probabilities, filter_by=method))
    report(f'cleanlab {cleanlab.__version__} {method} (scikit-learn OOF)', {noisy[i][0] for i in np.flatnonzero(issues)},
           oof_seconds + find_seconds)
