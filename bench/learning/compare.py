#!/usr/bin/env python3
"""Assay's built-in classifier beside scikit-learn and fastText on the Davidson et al. (2017) tweets.

Usage: bench/learning/run.sh  (builds the release `assay`, installs scikit-learn and fasttext-wheel, runs this)
       python3 bench/learning/compare.py ASSAY_BINARY [DATA_CSV]

Split (as in the dataset's README): a row whose id is divisible by 5 is test, every other row is train.
Every model is scored by the same code (scikit-learn's metrics) on the same test rows. Training time is the median
of 3 runs: for scikit-learn the fit of vectoriser and model in-process; for fastText `train_supervised` on its
input file; for Assay the whole `assay train` process (start, reading the CSV, training, writing the model).
Memory: `assay train` on 1,000,000 short texts (the training tweets resampled with word dropout), peak RSS.
"""
import csv, os, random, statistics, subprocess, sys, tempfile, time

ASSAY = os.path.abspath(sys.argv[1])
DATA = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), '../../../shared/data/davidson2017/labeled_data.csv')
NAMES = {'0': 'hate', '1': 'offensive', '2': 'neither'}
work = tempfile.mkdtemp(prefix='assay-learning-')
rows = list(csv.reader(open(DATA, encoding='utf-8')))[1:]
train = [(r[0], r[6], NAMES[r[5]]) for r in rows if int(r[0]) % 5 != 0]
test = [(r[0], r[6], NAMES[r[5]]) for r in rows if int(r[0]) % 5 == 0]
def write_csv(path, data):
    with open(path, 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f); w.writerow(['id', 'text', 'label']); w.writerows(data)
train_csv, test_csv = os.path.join(work, 'train.csv'), os.path.join(work, 'test.csv')
write_csv(train_csv, train); write_csv(test_csv, test)
y_test = [l for _, _, l in test]
print(f'== data: {len(train)} train, {len(test)} test rows ({DATA})')
print(f'== machine: {os.cpu_count()} cores')

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
import sklearn, fasttext

def score(name, predicted, seconds):
    print(f'{name:58s} macro-F1 {f1_score(y_test, predicted, average="macro"):.4f}  accuracy {accuracy_score(y_test, predicted):.4f}  '
          f'weighted-F1 {f1_score(y_test, predicted, average="weighted"):.4f}  train {seconds:.2f} s')

def median_time(fit, runs=3):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter(); result = fit(); times.append(time.perf_counter() - start)
    return result, statistics.median(times)

print(f'== scikit-learn {sklearn.__version__}: TF-IDF word 1-2 grams, sublinear tf, LogisticRegression C=4 (lbfgs)')
for min_df in (2, 1):
    for weight in (None, 'balanced'):
        def fit():
            v = TfidfVectorizer(ngram_range=(1, 2), min_df=min_df, sublinear_tf=True)
            m = LogisticRegression(C=4, max_iter=2000, class_weight=weight).fit(v.fit_transform([t for _, t, _ in train]), [l for _, _, l in train])
            return v, m
        (v, m), seconds = median_time(fit)
        score(f'scikit-learn min_df={min_df} class_weight={weight}', m.predict(v.transform([t for _, t, _ in test])), seconds)

print('== fastText (fasttext-wheel 0.9.2), train_supervised')
def one_line(text): return ' '.join(text.split())
ft_train = os.path.join(work, 'train.txt')
with open(ft_train, 'w', encoding='utf-8') as f:
    for _, t, l in train: f.write(f'__label__{l} {one_line(t)}\n')
for options in ({}, {'wordNgrams': 2}, {'wordNgrams': 2, 'minn': 3, 'maxn': 5}):
    model, seconds = median_time(lambda: fasttext.train_supervised(ft_train, verbose=0, **options))
    # fasttext's predict() breaks on numpy 2; its C++ binding is called directly.
    predicted = [(lambda r: r[0][1][9:] if r else 'offensive')(model.f.predict(one_line(t) + '\n', 1, 0.0, 'strict')) for _, t, _ in test]
    score(f'fastText {options or "defaults"}', predicted, seconds)

print('== Assay `assay train` / `assay predict` (defaults: words 1-2, characters 3-5, 2^20 buckets, 10 epochs, balanced)')
def assay(args):
    return subprocess.run([ASSAY] + args, check=True, capture_output=True, text=True, cwd=work)
for label, extra in (('defaults', []), ('--class-weight none', ['--class-weight', 'none'])):
    f1s = []
    for seed in (1, 2, 3, 4, 5):
        model = os.path.join(work, f'model-{seed}')
        _, seconds = median_time(lambda: assay(['train', train_csv, '--out', model, '--seed', str(seed)] + extra), runs=3 if seed == 1 else 1)
        assay(['predict', '--model', model, test_csv, '--out', model + '.csv'])
        predicted = {r['id']: r['label'] for r in csv.DictReader(open(model + '.csv'))}
        p = [predicted[i] for i, _, _ in test]
        f1s.append(f1_score(y_test, p, average='macro'))
        if seed == 1: score(f'Assay {label}, seed 1', p, seconds)
    print(f'   macro-F1 over seeds 1-5: {" ".join(f"{x:.4f}" for x in f1s)} (median {statistics.median(f1s):.4f})')

print('== Assay on 1,000,000 short texts: peak memory of `assay train`')
random.seed(7)
big = os.path.join(work, 'big.csv')
with open(big, 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f); w.writerow(['id', 'text', 'label'])
    for i in range(1_000_000):
        _, text, label = train[i % len(train)]
        words = text.split()
        w.writerow([i, ' '.join(x for x in words if random.random() > 0.15) or text, label])
# The peak of the `assay train` process itself, measured by /usr/bin/time (Debian's `time` package), whose own memory
# is small. Python's rusage is no use here: a child forked from this Python, which by now holds scikit-learn's
# matrices, starts with Python's resident-set high-water mark and keeps it across exec (so did the 2,953 MiB once
# reported here), and RUSAGE_CHILDREN also counts `swift build`, which run.sh ran before exec'ing Python.
start = time.perf_counter()
peak_file = os.path.join(work, 'peak')
subprocess.run(['/usr/bin/time', '-o', peak_file, '-f', '%M', ASSAY, 'train', big, '--out', os.path.join(work, 'big.model'),
                '--epochs', '5'], check=True, capture_output=True, cwd=work)
peak_kib = int(open(peak_file).read().split()[-1])
print(f'   1,000,000 texts ({os.path.getsize(big) / 1e6:.0f} MB CSV), 5 epochs: {time.perf_counter() - start:.1f} s, '
      f'peak RSS {peak_kib / 1024:.0f} MiB')
subprocess.run(['rm', '-rf', work])
