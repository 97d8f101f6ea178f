#!/usr/bin/env python3
"""The MonoFlow training iteration in PyTorch, for `monoflow bench` to compare against.

Same shapes, losses, optimiser and order of work as src/train.c: one Adam step of D on the
logistic loss over a real and a generated batch, then
  fit:      push x + eps * h'(D(x)) * grad_x D(x) (h = logit, h' = 1), then K Adam steps of G
            on the mean over rows of ||g(z) - target||^2, the same z;
  one-step: one Adam step of G on mean -D(g(z)).
Adam betas (0.5, 0.9), lr 5e-4, as monoflow's defaults. Prints one JSON line:
seconds per iteration (median of the repeats, and min and max), iterations/s, threads.
--threads 0 (the default) times every thread count from 1 to the number of cores and
reports the fastest, so PyTorch is compared at its best (on small products a second thread
can make it several times slower).

usage: torch_iter.py --config toy|image --mode fit|one-step [--k 1] [--iters 50]
                     [--repeats 5] [--warmup 10] [--threads N]
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

try:
    import torch
    from torch import nn
except ImportError:
    print(json.dumps({"skipped": "python3-torch is not installed (apt-get install python3-torch)"}))
    sys.exit(3)

CONFIGS = {
    # G and D 3x256 LeakyReLU(0.2), batch 256, ring8 in 2D, latent 8 (monoflow's default)
    "toy": dict(g=[8, 256, 256, 256, 2], d=[2, 256, 256, 256, 1], g_out=None, batch=256),
    # the image-size networks of issue 6, on 784-dimensional data in [-1, 1]
    "image": dict(g=[64, 256, 512, 1024, 784], d=[784, 512, 256, 1], g_out="tanh", batch=128),
}


def mlp(widths, out_act):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(nn.LeakyReLU(0.2))
    if out_act == "tanh":
        layers.append(nn.Tanh())
    return nn.Sequential(*layers)


def ring8(n):
    k = torch.randint(0, 8, (n,))
    angle = k.float() * (2 * math.pi / 8)
    centres = torch.stack([2 * torch.cos(angle), 2 * torch.sin(angle)], dim=1)
    return centres + 0.02 * torch.randn(n, 2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", choices=CONFIGS, default="toy")
    ap.add_argument("--mode", choices=["fit", "one-step"], default="fit")
    ap.add_argument("--k", type=int, default=1)
    ap.add_argument("--eps", type=float, default=0.3)
    ap.add_argument("--iters", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--threads", type=int, default=0)
    a = ap.parse_args()
    counts = [a.threads] if a.threads > 0 else list(range(1, len(os.sched_getaffinity(0)) + 1))
    results = [measure(a, t) for t in counts]
    best = min(results, key=lambda r: r["sec_per_iter"])
    best["tried_threads"] = {r["threads"]: r["it_per_s"] for r in results}
    print(json.dumps(best))


def measure(a, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    cfg = CONFIGS[a.config]
    B, latent, dim = cfg["batch"], cfg["g"][0], cfg["g"][-1]
    G, D = mlp(cfg["g"], cfg["g_out"]), mlp(cfg["d"], None)
    opt_g = torch.optim.Adam(G.parameters(), lr=5e-4, betas=(0.5, 0.9))
    opt_d = torch.optim.Adam(D.parameters(), lr=5e-4, betas=(0.5, 0.9))
    pool = torch.rand(4096, dim) * 2 - 1 if a.config == "image" else None
    softplus = nn.functional.softplus

    def real():
        return ring8(B) if pool is None else pool[torch.randint(0, pool.shape[0], (B,))]

    def iteration():
        # D step (3)
        z = torch.randn(B, latent)
        with torch.no_grad():
            fake = G(z)
        logits = D(torch.cat([real(), fake]))
        d_loss = softplus(-logits[:B]).mean() + softplus(logits[B:]).mean()
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        if a.mode == "one-step":
            z = torch.randn(B, latent)
            g_loss = -D(G(z)).mean()
            opt_g.zero_grad(set_to_none=True)
            g_loss.backward()  # D's grads are made too, as in any GAN step; D is not stepped
            opt_g.step()
            return
        # push (6) with h = logit: target = x + eps * grad_x D(x)
        z = torch.randn(B, latent)
        with torch.no_grad():
            x = G(z)
        x.requires_grad_(True)
        (gx,) = torch.autograd.grad(D(x).sum(), x)
        target = (x + a.eps * gx).detach()
        # K least-squares steps toward the fixed targets (8)
        for _ in range(a.k):
            fit = ((G(z) - target) ** 2).sum(dim=1).mean()
            opt_g.zero_grad(set_to_none=True)
            fit.backward()
            opt_g.step()

    for _ in range(a.warmup):
        iteration()
    per_iter = []
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        for _ in range(a.iters):
            iteration()
        per_iter.append((time.perf_counter() - t0) / a.iters)
    med = statistics.median(per_iter)
    return {"framework": "pytorch " + torch.__version__, "config": a.config, "mode": a.mode,
            "k": a.k, "batch": B, "threads": torch.get_num_threads(), "sec_per_iter": med,
            "sec_min": min(per_iter), "sec_max": max(per_iter), "it_per_s": 1.0 / med}


if __name__ == "__main__":
    main()
