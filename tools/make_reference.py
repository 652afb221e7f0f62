"""
PyTorch reference vectors for teagrad's parity tests.

    /usr/bin/python3 tools/make_reference.py        # Debian: apt-get install python3-torch

writes four files to src/test/resources/reference/ (or to the folder given as argument):

  bn_mlp_tiny.json             the chapter's network, tiny: vocab 5, block 2, embed 3, 4 hidden, batch 6
  bn_mlp_karpathy_config.json  the chapter's network as in the lecture: 27, 3, 10, 200 hidden, batch 32,
                               momentum 0.001
  deep_bn_mlp.json             the lecture's deep network: 5 x (Linear 100, BatchNorm1d, Tanh) and a last
                               Linear + BatchNorm1d, batch 32
  deep_mlp_nobn.json           3 x (Linear 64 with bias, Tanh) and a last Linear, batch 32

Each holds random parameters and one random batch, then what PyTorch computes from them: one
training step (loss, activations, gradients, running statistics after it), the lecture's
diagnostics of that step (deep files), and the eval-mode loss and logits. The `about` field of
every file states the conventions; src/test/java/teagrad/parity/ReferenceConventionsTest checks that the numbers
carry them, by recomputing what it can from the stored values; its own comment says what it checks.

Conventions (torch's own, which teagrad follows):
  - linear weights are stored [in, out]: y = x @ W + b (torch.nn.Linear keeps W transposed);
  - training-mode batch norm (torch.nn.functional.batch_norm) normalises with the biased batch
    variance + eps and updates running = (1 - momentum) * running + momentum * batch, the
    variance tracked unbiased (m / (m - 1) times the biased one);
  - the loss is the mean cross-entropy over the batch;
  - diagnostics as in the lecture: for a tanh output t, mean, std (unbiased, as torch.std),
    saturated = fraction of |t| > 0.97, the same mean/std of dloss/dt, and the 100-bin density
    histogram over [min, max] (torch.histogram(t, 100, density=True)); for every 2-D weight
    (embedding, linear): grad mean/std, grad:data = std(grad) / std(W), and
    log10 update:data = log10(std(lr * grad) / std(W)).

Precision: parameters, running statistics and inputs are drawn as float32, so teagrad loads the
very same numbers. Everything computed is computed in float64 from them and rounded once to
float32 for storage: that rounding (at most 2^-24 of a value, 6e-8) is 300 times below the
tightest parity tolerance (2e-5 of a tensor's largest magnitude), so the tests still measure
teagrad's float32 error, and the files stay compact. Scalars (losses, diagnostics) are float64.

Storage: JSON. Every tensor is {"shape": [...], "f32": "<base64>"}: the row-major values as
little-endian IEEE-754 float32, base64-encoded (RFC 4648, with padding). Scalars are JSON numbers
written as Python's repr (the shortest text that reads back as the same float64); token indices
are JSON integers.

Determinism: fixed seeds and one thread; running the script again rewrites the same bytes (on the
same torch build: another BLAS may change the last digits of float64 scalars).
"""
import base64
import json
import math
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

torch.set_num_threads(1)   # reductions in one fixed order: the same bytes on every run

CONVENTIONS = (
    "Linear weights are [in, out] (y = x @ W + b). Training-mode batch norm normalises with the biased batch "
    "variance + eps and updates running = (1 - momentum) * running + momentum * batch with the unbiased variance. "
    "The loss is the mean cross-entropy.")
STORAGE = (
    "Tensors are {\"shape\": [...], \"f32\": base64 of the row-major values as little-endian float32}. Parameters, "
    "running statistics and inputs were drawn as float32 (exact); computed values were computed in float64 and "
    "rounded once to float32. Scalars are float64 JSON numbers. Written by tools/make_reference.py.")

# ---------------------------------------------------------------------------------------------
# storage


def f32(t):
    """A tensor as {"shape", "f32"}: little-endian float32, base64."""
    a = t.detach().to(torch.float32).contiguous().numpy()
    return {"shape": list(a.shape), "f32": base64.b64encode(a.astype("<f4").tobytes()).decode("ascii")}


def dump(v, indent=0):
    """JSON with objects one key per line and short lists on one line: diffable and compact."""
    pad = " " * indent
    if isinstance(v, dict):
        items = [f'{pad} {json.dumps(k)}: {dump(x, indent + 1)}' for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(v, list) and any(isinstance(x, dict) for x in v):
        return "[\n" + ",\n".join(pad + "  " + dump(x, indent + 2) for x in v) + "\n" + pad + "]"
    if isinstance(v, list):
        return "[" + ", ".join(dump(x, indent) for x in v) + "]"
    if isinstance(v, float):
        assert math.isfinite(v), v
        return repr(v)
    return json.dumps(v)


def write(folder, name, doc):
    path = Path(folder) / name
    path.write_text(dump(doc) + "\n", encoding="utf-8")
    print(f"{path}: {path.stat().st_size:,} bytes")


# ---------------------------------------------------------------------------------------------
# random float32 parameters and a random batch


class Draw:
    """Seeded float32 draws; the generator is the file's own, so files do not depend on each other."""

    def __init__(self, seed):
        self.g = torch.Generator().manual_seed(seed)

    def randn(self, *shape, scale=1.0, shift=0.0):
        return torch.randn(*shape, generator=self.g, dtype=torch.float32) * scale + shift

    def uniform(self, *shape, lo, hi):
        return torch.rand(*shape, generator=self.g, dtype=torch.float32) * (hi - lo) + lo

    def batch(self, batch, block, vocab):
        """Uniform random contexts and targets: with more rows than symbols, every position repeats symbols."""
        x = torch.randint(vocab, (batch, block), generator=self.g)
        y = torch.randint(vocab, (batch,), generator=self.g)
        return x, y


def leaf(t):
    """A float32 value as a float64 leaf that collects its gradient."""
    return t.double().requires_grad_()


# ---------------------------------------------------------------------------------------------
# the chapter's network: C, W1, bngain/bnbias, tanh, W2/b2 (names as in the lecture)


def chapter_params(seed, vocab, block, embed, hidden, batch):
    """Float32 parameters, eval-mode running statistics and a batch for the chapter's network."""
    d = Draw(seed)
    fan_in = block * embed
    params = {
        "C": d.randn(vocab, embed),
        "W1": d.randn(fan_in, hidden, scale=(5 / 3) / fan_in ** 0.5),   # Kaiming for tanh; no bias before batch norm
        "bngain": d.randn(hidden, scale=0.2, shift=1.0),   # not 1 and 0, so a swapped γ/β shows
        "bnbias": d.randn(hidden, scale=0.2),
        "W2": d.randn(hidden, vocab, scale=0.3),
        "b2": d.randn(vocab, scale=0.1),
    }
    running = (d.randn(hidden, scale=0.3), d.uniform(hidden, lo=0.5, hi=3.0))
    return params, running, *d.batch(batch, block, vocab)


def chapter(config, params, eval_running, X, Y):
    """One training step and one eval-mode forward of the chapter's network, in float64."""
    P = {k: leaf(v) for k, v in params.items()}
    batch, hidden, momentum, eps = config["batchSize"], config["hidden"], config["momentum"], config["eps"]

    def forward(running_mean, running_var, training):
        emb = P["C"][X].view(batch, -1)
        hpreact = emb @ P["W1"]
        hbn = F.batch_norm(hpreact, running_mean, running_var, P["bngain"], P["bnbias"], training, momentum, eps)
        h = torch.tanh(hbn)
        logits = h @ P["W2"] + P["b2"]
        return hpreact, hbn, h, logits, F.cross_entropy(logits, Y)

    rm, rv = torch.zeros(hidden, dtype=torch.float64), torch.ones(hidden, dtype=torch.float64)   # BatchNorm1d's start
    hpreact, hbn, h, logits, loss = forward(rm, rv, training=True)   # updates rm, rv in place
    loss.backward()
    with torch.no_grad():
        *_, eval_logits, eval_loss = forward(*(s.double() for s in eval_running), training=False)

    return {
        "about": "The chapter's network (Embedding C, Flatten, Linear W1 without bias, BatchNorm1d bngain/bnbias, Tanh, "
                 "Linear W2/b2) from PyTorch, computed in float64. " + CONVENTIONS + " train: one training-mode forward and "
                 "backward from running statistics 0 and 1; eval: the same batch in eval mode with eval.runningMean/Var.",
        "storage": STORAGE,
        "config": config,
        "inputs": {"X": X.tolist(), "Y": Y.tolist()},
        "params": {k: f32(v) for k, v in params.items()},
        "train": {
            "loss": loss.item(),
            "activations": {"hpreact": f32(hpreact), "hbn": f32(hbn), "h": f32(h), "logits": f32(logits)},
            "grads": {k: f32(v.grad) for k, v in P.items()},
            "runningMeanBefore": f32(torch.zeros(hidden)),
            "runningVarBefore": f32(torch.ones(hidden)),
            "runningMeanAfter": f32(rm),
            "runningVarAfter": f32(rv),
        },
        "eval": {"runningMean": f32(eval_running[0]), "runningVar": f32(eval_running[1]), "loss": eval_loss.item(),
                 "logits": f32(eval_logits)},
    }


def chapter_file(seed, vocab, block, embed, hidden, batch, momentum, eps=1e-5):
    config = {"vocabSize": vocab, "blockSize": block, "embedDim": embed, "hidden": hidden, "batchSize": batch,
              "eps": eps, "momentum": momentum}
    return chapter(config, *chapter_params(seed, vocab, block, embed, hidden, batch))


# ---------------------------------------------------------------------------------------------
# deep networks in the model file's vocabulary (embedding, flatten, linear, batchnorm1d, tanh)


def deep_layers(d, vocab, block, embed, widths, batch_norm, momentum, eps, gain=5 / 3):
    """The lecture's deep MLP, initialised as there (Kaiming · gain, last layer less confident), then perturbed."""
    layers = [{"type": "embedding", "weight": d.randn(vocab, embed)}, {"type": "flatten"}]
    sizes = [block * embed] + widths + [vocab]
    for k in range(len(sizes) - 1):
        fan_in, fan_out = sizes[k], sizes[k + 1]
        last = k == len(sizes) - 2
        scale = (1 if last else gain) / fan_in ** 0.5
        if last and not batch_norm:
            scale *= 0.1   # the lecture: make the last layer less confident
        layers.append({"type": "linear", "weight": d.randn(fan_in, fan_out, scale=scale),
                       "bias": None if batch_norm else d.randn(fan_out, scale=0.1)})
        if batch_norm:
            layers.append({"type": "batchnorm1d",
                           "weight": d.randn(fan_out, scale=0.02 if last else 0.2, shift=0.1 if last else 1.0),
                           "bias": d.randn(fan_out, scale=0.2),
                           "runningMean": d.randn(fan_out, scale=0.1),
                           "runningVar": d.uniform(fan_out, lo=1.0, hi=1.1),
                           "eps": eps, "momentum": momentum})
        if not last:
            layers.append({"type": "tanh"})
    return layers


def run(layers, P, X, training, running):
    """Every layer's output in order; P holds the float64 leaves, running the batch norms' statistics (updated in training)."""
    outputs, h = [], None
    for i, l in enumerate(layers):
        t = l["type"]
        if t == "embedding":
            h = P[i, "weight"][X]
        elif t == "flatten":
            h = h.reshape(h.shape[0], -1)
        elif t == "linear":
            h = h @ P[i, "weight"] + (P[i, "bias"] if (i, "bias") in P else 0)
        elif t == "batchnorm1d":
            h = F.batch_norm(h, *running[i], P[i, "weight"], P[i, "bias"], training, l["momentum"], l["eps"])
        elif t == "tanh":
            h = torch.tanh(h)
        outputs.append(h)
    return outputs


def histogram(t):
    density, edges = torch.histogram(t.detach(), bins=100, density=True)
    return {"min": edges[0].item(), "max": edges[-1].item(), "density": [v.item() for v in density]}


def diagnostics(layers, P, outputs, lr):
    tanh, weights = [], []
    for i, l in enumerate(layers):
        if l["type"] == "tanh":
            t, g = outputs[i].detach(), outputs[i].grad
            tanh.append({"layer": i, "mean": t.mean().item(), "std": t.std().item(),
                         "saturated": (t.abs() > 0.97).double().mean().item(),
                         "gradMean": g.mean().item(), "gradStd": g.std().item(), "histogram": histogram(t)})
        elif l["type"] in ("embedding", "linear"):
            w = P[i, "weight"]
            weights.append({"layer": i, "shape": list(w.shape), "gradMean": w.grad.mean().item(), "gradStd": w.grad.std().item(),
                            "gradToData": (w.grad.std() / w.std()).item(),
                            "log10UpdateToData": math.log10((lr * w.grad).std().item() / w.std().item())})
    return {"tanh": tanh, "weights": weights}


def deep(config, layers, X, Y):
    """One training step, its diagnostics and one eval-mode forward of a deep network, in float64."""
    P = {(i, k): leaf(v) for i, l in enumerate(layers) for k, v in l.items() if k in ("weight", "bias") and v is not None}

    def running():
        return {i: (l["runningMean"].double(), l["runningVar"].double()) for i, l in enumerate(layers) if l["type"] == "batchnorm1d"}

    with torch.no_grad():
        eval_logits = run(layers, P, X, False, running())[-1]
        eval_loss = F.cross_entropy(eval_logits, Y)

    stats = running()
    outputs = run(layers, P, X, True, stats)
    for o in outputs:
        o.retain_grad()
    loss = F.cross_entropy(outputs[-1], Y)
    loss.backward()

    return {
        "about": "Deep Sequential makemore MLP from PyTorch, computed in float64. layers are in the teagrad model-file "
                 "vocabulary. " + CONVENTIONS + " train: one training-mode forward and backward; outputs[i] / "
                 "outputGrads[i] are layer i's output and dloss/doutput; paramGrads the gradient of every parameter; "
                 "runningAfter the running statistics after the step, per batch norm in order. diagnostics follow "
                 "Karpathy's lecture: tanh layers: mean, unbiased std, saturated = fraction of |t| > 0.97, gradient "
                 "mean/std, 100-bin density histogram over [min, max]; 2-D weights (embedding and linear): grad "
                 "mean/std, gradToData = std(grad)/std(W), log10UpdateToData = log10(std(lr*grad)/std(W)) with "
                 "config.lr. eval: loss and logits in eval mode with the running statistics in layers (before the step).",
        "storage": STORAGE,
        "config": config,
        "layers": [{k: (f32(v) if isinstance(v, torch.Tensor) else v) for k, v in l.items()} for l in layers],
        "inputs": {"X": X.tolist(), "Y": Y.tolist()},
        "train": {
            "loss": loss.item(),
            "outputs": [f32(o) for o in outputs],
            "outputGrads": [f32(o.grad) for o in outputs],
            "paramGrads": [{"layer": i, "name": k, "grad": f32(p.grad)} for (i, k), p in P.items()],
            "runningAfter": [{"runningMean": f32(m), "runningVar": f32(v)} for m, v in stats.values()],
        },
        "diagnostics": diagnostics(layers, P, outputs, config["lr"]),
        "eval": {"loss": eval_loss.item(), "logits": f32(eval_logits)},
    }


def deep_file(seed, widths, batch_norm, vocab=27, block=3, embed=10, batch=32, momentum=0.1, eps=1e-5, lr=0.1):
    d = Draw(seed)
    layers = deep_layers(d, vocab, block, embed, widths, batch_norm, momentum, eps)
    config = {"vocabSize": vocab, "blockSize": block, "embedDim": embed, "batchSize": batch, "widths": widths,
              "batchNorm": batch_norm, "eps": eps, "momentum": momentum, "gain": 5 / 3, "lr": lr}
    return deep(config, layers, *d.batch(batch, block, vocab))


# ---------------------------------------------------------------------------------------------

if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "src/test/resources/reference"
    out.mkdir(parents=True, exist_ok=True)
    write(out, "bn_mlp_tiny.json", chapter_file(seed=1, vocab=5, block=2, embed=3, hidden=4, batch=6, momentum=0.1))
    write(out, "bn_mlp_karpathy_config.json", chapter_file(seed=2, vocab=27, block=3, embed=10, hidden=200, batch=32, momentum=0.001))
    write(out, "deep_bn_mlp.json", deep_file(seed=3, widths=[100] * 5, batch_norm=True))
    write(out, "deep_mlp_nobn.json", deep_file(seed=4, widths=[64] * 3, batch_norm=False))
