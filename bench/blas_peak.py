#!/usr/bin/env python3
"""The machine's SGEMM ceiling as PyTorch's BLAS (OpenBLAS on Debian) reaches it: GFLOP/s of
square products and of the training shapes, at each thread count. It bounds what any
implementation of the training iteration can do on this CPU: an iteration's matrix
products cannot run faster than this, whatever runs them.

usage: blas_peak.py [--sizes 1024,512x256x256,256x256x256] [--seconds 2]
"""
import argparse
import os
import time

import torch


def rate(m, n, k, seconds):
    a, b = torch.randn(m, k), torch.randn(k, n)
    for _ in range(3):
        a @ b
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        a @ b
        count += 1
    return 2.0 * m * n * k * count / (time.perf_counter() - start) * 1e-9


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1024,512x256x256,256x256x256,128x1024x512")
    ap.add_argument("--seconds", type=float, default=2.0)
    a = ap.parse_args()
    shapes = []
    for s in a.sizes.split(","):
        d = [int(x) for x in s.split("x")]
        shapes.append(d * 3 if len(d) == 1 else d)
    print("torch %s, %s" % (torch.__version__, torch.__config__.parallel_info().splitlines()[0]))
    for threads in range(1, (os.cpu_count() or 1) + 1):
        torch.set_num_threads(threads)
        for m, n, k in shapes:
            print("threads %d  %5dx%5dx%5d  %7.1f GFLOP/s" % (threads, m, n, k,
                                                            rate(m, n, k, a.seconds)))


if __name__ == "__main__":
    main()
