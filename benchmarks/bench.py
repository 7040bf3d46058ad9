"""Speed of optlib, side by side with torch.optim when torch is installed (`make bench`).

Five measurements, each the median of several repeats:
1. the cost of one step on a 2-parameter problem (the size the book's figures use), per optimizer;
2. one Adam step on 2,000,000 float32 parameters;
3. `optlib.minimize` from 10,000 start points for 200 steps on Rosenbrock;
4. the live explorer's answer to a slider (recompute and redraw), 6 optimizers x 300 steps,
   on each function of the catalog, for the chapters' usual six and for a six with Muon and
   Schedule-Free AdamW;
5. one Muon step on a 256 x 512 float32 matrix (its Newton-Schulz iteration is the cost).

Targets: (1) under half of torch's time, (2) within 4x of torch's CPU default, (3) under 1 s,
(4) under 100 ms, (5) within 4x of torch.optim.Muon.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

import optlib
from optlib import functions

try:
    import torch
except ImportError:  # the comparison columns are left empty
    torch = None

TWO_PARAMETER_STEPS = 2000


def median_seconds(run, repeats=7):
    run()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def optlib_steps(optimizer, x, grad, steps):
    def run():
        params, state = x, optimizer.init(x)
        for _ in range(steps):
            params, state = optimizer.step(params, grad, state)

    return run


def torch_steps(make_optimizer, x, grad, steps):
    param = torch.nn.Parameter(torch.from_numpy(x.copy()))
    param.grad = torch.from_numpy(grad.copy())
    optimizer = make_optimizer([param])

    def run():
        for _ in range(steps):
            optimizer.step()

    return run


def in_train_mode(optimizer):
    """schedulefree's optimizers step only in train mode."""
    optimizer.train()
    return optimizer


def torch_optimizers():
    """The same methods and hyperparameters in torch.optim (and pytorch-optimizer), keyed like optlib's classes."""
    o = torch.optim
    pairs = {
        "SGD": (optlib.SGD(lr=0.01), lambda p: o.SGD(p, lr=0.01)),
        "Momentum": (optlib.Momentum(lr=0.01, momentum=0.9), lambda p: o.SGD(p, lr=0.01, momentum=0.9)),
        "Nesterov": (
            optlib.Nesterov(lr=0.01, momentum=0.9),
            lambda p: o.SGD(p, lr=0.01, momentum=0.9, nesterov=True),
        ),
        "AdaGrad": (optlib.AdaGrad(), lambda p: o.Adagrad(p, lr=0.01, eps=1e-10)),
        "RMSprop": (optlib.RMSprop(), lambda p: o.RMSprop(p, lr=1e-3, alpha=0.9, eps=1e-8)),
        "AdaDelta": (optlib.AdaDelta(), lambda p: o.Adadelta(p, lr=1.0, rho=0.95, eps=1e-6)),
        "Adam": (optlib.Adam(), lambda p: o.Adam(p)),
        "AMSGrad": (optlib.AMSGrad(), lambda p: o.Adam(p, amsgrad=True)),
        "AdamW": (optlib.AdamW(), lambda p: o.AdamW(p)),
        "AdaMax": (optlib.AdaMax(), lambda p: o.Adamax(p)),
        "NAdam": (optlib.NAdam(), lambda p: o.NAdam(p)),
        "RAdam": (optlib.RAdam(), lambda p: o.RAdam(p)),
    }
    try:
        import schedulefree
    except ImportError:
        schedulefree = None
    if schedulefree is not None:
        pairs["ScheduleFreeAdamW"] = (
            optlib.ScheduleFreeAdamW(),
            lambda p: in_train_mode(schedulefree.AdamWScheduleFree(p, foreach=False)),
        )
    try:
        import pytorch_optimizer as po
    except ImportError:
        return pairs
    pairs["Lion"] = (optlib.Lion(), lambda p: po.Lion(p, lr=1e-4, betas=(0.9, 0.99)))
    pairs["Lookahead"] = (optlib.Lookahead(optlib.Adam()), lambda p: po.Lookahead(o.Adam(p), k=5, alpha=0.5))
    pairs["Ranger"] = (
        optlib.Ranger(),
        lambda p: po.Lookahead(o.RAdam(p, betas=(0.95, 0.999), eps=1e-5), k=6, alpha=0.5),
    )
    return pairs


def bench_two_parameters():
    x = np.array([1.5, -0.5])
    grad = np.array([0.3, -0.2])
    print(f"\n1. One step on 2 parameters (median of 7 runs of {TWO_PARAMETER_STEPS} steps), microseconds")
    print(f"   {'optimizer':<18} {'optlib':>8} {'torch':>8} {'ratio':>7}  target: ratio < 0.5")
    if torch is None:
        pairs = {name: (getattr(optlib, name)(), None) for name in ["SGD", "Adam", "RAdam", "Lion"]}
    else:
        pairs = torch_optimizers()
    ratios = []
    for name, (ours, make_theirs) in pairs.items():
        ours_us = median_seconds(optlib_steps(ours, x, grad, TWO_PARAMETER_STEPS)) / TWO_PARAMETER_STEPS * 1e6
        if make_theirs is None:
            print(f"   {name:<18} {ours_us:8.2f} {'-':>8} {'-':>7}")
            continue
        theirs_us = median_seconds(torch_steps(make_theirs, x, grad, TWO_PARAMETER_STEPS)) / TWO_PARAMETER_STEPS * 1e6
        ratios.append(ours_us / theirs_us)
        print(f"   {name:<18} {ours_us:8.2f} {theirs_us:8.2f} {ours_us / theirs_us:7.2f}")
    if ratios:
        print(f"   worst ratio {max(ratios):.2f} ({'meets' if max(ratios) < 0.5 else 'misses'} the target)")


def bench_large_adam(size=2_000_000, steps=10):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(size).astype(np.float32)
    grad = rng.standard_normal(size).astype(np.float32)
    ours = median_seconds(optlib_steps(optlib.Adam(), x, grad, steps), repeats=5) / steps * 1e3
    print(f"\n2. One Adam step on {size:,} float32 parameters, milliseconds   target: ratio < 4")
    if torch is None:
        print(f"   optlib {ours:.2f}   torch: not installed")
        return
    theirs = median_seconds(torch_steps(lambda p: torch.optim.Adam(p), x, grad, steps), repeats=5) / steps * 1e3
    print(f"   optlib {ours:.2f}   torch {theirs:.2f}   ratio {ours / theirs:.2f} "
          f"({'meets' if ours / theirs < 4 else 'misses'} the target)")
    # numpy runs each operation on one core; torch spreads large ones over all of them.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    one_thread = median_seconds(torch_steps(lambda p: torch.optim.Adam(p), x, grad, steps), repeats=5) / steps * 1e3
    torch.set_num_threads(threads)
    print(f"   for scale: torch on 1 thread {one_thread:.2f} (ratio {ours / one_thread:.2f}); "
          f"torch's default uses {threads} threads")


def bench_muon(shape=(256, 512), steps=10):
    rng = np.random.default_rng(0)
    W = rng.standard_normal(shape).astype(np.float32)
    grad = rng.standard_normal(shape).astype(np.float32)
    ours = median_seconds(optlib_steps(optlib.Muon(), W, grad, steps), repeats=5) / steps * 1e3
    print(f"\n5. One Muon step on a {shape[0]} x {shape[1]} float32 matrix, milliseconds   "
          "target: ratio < 4")
    if torch is None or not hasattr(torch.optim, "Muon"):
        print(f"   optlib {ours:.2f}   torch.optim.Muon: not installed")
        return
    theirs = median_seconds(torch_steps(lambda p: torch.optim.Muon(p), W, grad, steps), repeats=5) / steps * 1e3
    print(f"   optlib {ours:.2f} (Newton-Schulz in float32)   torch {theirs:.2f} (in bfloat16)   "
          f"ratio {ours / theirs:.2f} ({'meets' if ours / theirs < 4 else 'misses'} the target)")


def bench_minimize(starts=10_000, steps=200):
    rosenbrock = functions.rosenbrock()
    rng = np.random.default_rng(0)
    low, high = rosenbrock.window[:, 0], rosenbrock.window[:, 1]
    x0 = rng.uniform(low, high, size=(starts, rosenbrock.dim))
    seconds = median_seconds(lambda: optlib.minimize(rosenbrock, x0, optlib.Adam(lr=0.01), steps), repeats=3)
    print(f"\n3. minimize: {starts:,} start points x {steps} steps of Adam on Rosenbrock")
    print(f"   {seconds:.3f} s   target: < 1 s ({'meets' if seconds < 1 else 'misses'} it)")


def bench_widget(chosen, steps=300, repeats=9):
    import matplotlib

    matplotlib.use("Agg")
    from IPython.utils.capture import capture_output

    from optlib import widgets

    print(f"\n4. The explorer's redraw after a slider moves: {', '.join(chosen)} x {steps} steps, "
          f"median of the learning-rate slider set {repeats} times, milliseconds   target: < 100 ms")
    worst = 0.0
    with capture_output():  # the explorer displays its image; not here
        explorer = widgets.explore(selected=chosen, steps=steps)
    for key, f in explorer.functions.items():
        with capture_output():
            explorer.controls["function"].value = key
            rates = iter(np.geomspace(1e-3, 1e-1, repeats + 1))
            seconds = median_seconds(lambda: explorer.controls["lr"].__setattr__("value", next(rates)), repeats)
        worst = max(worst, seconds)
        print(f"   {f.name:<24} {seconds * 1e3:6.1f}")
    print(f"   worst {worst * 1e3:.1f} ms ({'meets' if worst < 0.1 else 'misses'} the target)")


if __name__ == "__main__":
    print(f"numpy {np.__version__}" + (f", torch {torch.__version__}" if torch else ", torch not installed"))
    bench_two_parameters()
    bench_large_adam()
    bench_minimize()
    bench_widget(["SGD", "Momentum", "Nesterov", "Adam", "RMSprop", "Lion"])
    # Muon on a point runs Newton-Schulz on a 1 x 2 matrix: about 50 us a step, 7 x Adam's
    bench_widget(["SGD", "Momentum", "Adam", "Lion", "Muon", "ScheduleFreeAdamW"])
    bench_muon()
