#!/usr/bin/env python3
"""Runs the two PyTorch snippets of docs/MODEL-FILE.md, so the docs cannot drift from the format.

    java -jar target/teagrad.jar train --steps 2000 --seed 3 --out /tmp/m.json
    /usr/bin/python3 tools/model_file_roundtrip.py /tmp/m.json data/names.txt /tmp/back.json
    java -jar target/teagrad.jar eval --model /tmp/back.json --split all      # the same loss again

Loads the teagrad file with the doc's load_teagrad, prints the eval-mode loss over every word of
the list (compare with `eval --model FILE --split all`), and writes it back with save_teagrad.
Needs torch (Debian: apt-get install python3-torch).
"""
import re
import sys

import torch
import torch.nn.functional as F

model_path, words_path, back_path = sys.argv[1:4]
doc = open("docs/MODEL-FILE.md", encoding="utf-8").read()
load_src, save_src = re.findall(r"```python\n(.*?)```", doc, re.S)

ns = {}
exec(load_src.replace('"model.json"', repr(model_path)), ns)   # the doc's example ends by loading
model, vocab, block_size = ns["model"], ns["vocab"], ns["block_size"]
stoi = {ch: i for i, ch in enumerate(vocab)}

# Every word's context windows, '.' padding the start and ending the word, as makemore builds them.
X, Y = [], []
for word in open(words_path, encoding="utf-8").read().split():
    context = [0] * block_size
    for ch in word + ".":
        X.append(context)
        Y.append(stoi[ch])
        context = context[1:] + [stoi[ch]]
with torch.no_grad():
    loss = F.cross_entropy(model(torch.tensor(X)), torch.tensor(Y)).item()
print(f"all   loss {loss:.4f}  ({len(X)} examples, PyTorch {torch.__version__})")

ns = {}
exec(re.sub(r"\nsave_teagrad\(model.*\n?$", "\n", save_src.rstrip() + "\n"), ns)   # the function only
ns["save_teagrad"](model, vocab, block_size, back_path)
print(f"wrote {back_path}")
