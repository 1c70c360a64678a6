#!/usr/bin/env python3
"""Macro-F1 of Assay's classifier and scikit-learn's TF-IDF + LogisticRegression over five folds of the Davidson et
al. (2017) tweets, so that one test split's luck (a few hundred hate tweets decide macro-F1) does not decide the
comparison.

Usage: bench/learning/run.sh crossval   (builds the release `assay`, installs scikit-learn, runs this)
       python3 bench/learning/crossval.py ASSAY_BINARY [DATA_CSV]

Fold k tests on the rows whose id leaves remainder k when divided by 5 and trains on the rest; fold 0 is the
dataset README's split. scikit-learn is run as in compare.py (word 1-2 grams, sublinear tf, C=4, balanced) with
min_df 2 (the README's setting) and 1; Assay with its defaults, the median of seeds 1-3. Every model is scored by
scikit-learn's f1_score on the same rows.
"""
import csv, json, os, statistics, subprocess, sys, tempfile
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

ASSAY = os.path.abspath(sys.argv[1])
DATA = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), '../../../shared/data/davidson2017/labeled_data.csv')
NAMES = {'0': 'hate', '1': 'offensive', '2': 'neither'}
rows = list(csv.reader(open(DATA, encoding='utf-8')))[1:]
work = tempfile.mkdtemp(prefix='assay-crossval-')

def write_csv(path, data):
    with open(path, 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f); w.writerow(['id', 'text', 'label']); w.writerows(data)

def sklearn_f1(train, test, min_df):
    v = TfidfVectorizer(ngram_range=(1, 2), min_df=min_df, sublinear_tf=True)
    m = LogisticRegression(C=4, max_iter=2000, class_weight='balanced').fit(v.fit_transform([t for _, t, _ in train]), [l for _, _, l in train])
    return f1_score([l for _, _, l in test], m.predict(v.transform([t for _, t, _ in test])), average='macro')

def assay_f1(train_csv, test, seed):
    model, out = os.path.join(work, 'model'), os.path.join(work, 'predicted.csv')
    subprocess.run([ASSAY, 'train', train_csv, '--out', model, '--seed', str(seed)], check=True, capture_output=True)
    subprocess.run([ASSAY, 'predict', '--model', model, os.path.join(work, 'test.csv'), '--out', out], check=True, capture_output=True)
    predicted = {r['id']: r['label'] for r in csv.DictReader(open(out))}
    return f1_score([l for _, _, l in test], [predicted[i] for i, _, _ in test], average='macro')

print(f'{"fold":>4}  {"sklearn min_df 2":>16}  {"sklearn min_df 1":>16}  {"Assay (median of seeds 1-3)":>28}')
table = []
for k in range(5):
    train = [(r[0], r[6], NAMES[r[5]]) for r in rows if int(r[0]) % 5 != k]
    test = [(r[0], r[6], NAMES[r[5]]) for r in rows if int(r[0]) % 5 == k]
    train_csv = os.path.join(work, 'train.csv')
    write_csv(train_csv, train); write_csv(os.path.join(work, 'test.csv'), test)
    line = (sklearn_f1(train, test, 2), sklearn_f1(train, test, 1), statistics.median(assay_f1(train_csv, test, s) for s in (1, 2, 3)))
    table.append(line)
    print(f'{k:>4}  {line[0]:>16.4f}  {line[1]:>16.4f}  {line[2]:>28.4f}', flush=True)
means = [statistics.mean(column) for column in zip(*table)]
print(f'mean  {means[0]:>16.4f}  {means[1]:>16.4f}  {means[2]:>28.4f}')
differences = [assay - best for _, best, assay in table]
spread = statistics.stdev(differences) / len(differences) ** 0.5
print(f'Assay minus scikit-learn min_df 1, per fold: {" ".join(f"{d:+.4f}" for d in differences)}; '
      f'mean {statistics.mean(differences):+.4f} ± {spread:.4f} (standard error)')
print(f'Assay at or above scikit-learn min_df 1 in {sum(d >= 0 for d in differences)} of 5 folds; '
      f'at or above min_df 2 in {sum(x[2] >= x[0] for x in table)} of 5')
subprocess.run(['rm', '-rf', work])
