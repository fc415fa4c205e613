#!/usr/bin/env python3
"""batched-4arm with numpy, vectorised per day: the lab's reference for speed and regret.

Four Bernoulli arms p = 0.58, 0.67, 0.65, 0.71; `--days` days × `--users` users; day 0 is assigned uniformly at
random; the policy is refit once a day on all history and assigns the next day's users as one batch;
regret = sum over users of (max p − p[assigned]). Textbook ε-greedy explores uniformly over all four arms (the
greedy one included; ties of the greedy estimate go to the lowest index); Thompson draws Beta(1 + s, 1 + n − s).
Prints one JSON line: users per second (simulation only, interpreter start excluded) and the mean regret with a
95% t interval over replicates.
"""
import numpy as np

import batched4arm
from batched4arm import P


def replicate(rng, policy, epsilon, days, users):
    n = np.zeros(4)
    s = np.zeros(4)
    regret = 0.0
    for day in range(days):
        if day == 0:
            arms = rng.integers(0, 4, users)
        elif policy == "thompson":
            draws = rng.beta(1 + s, 1 + n - s, size=(users, 4))
            arms = draws.argmax(axis=1)
        else:
            means = np.divide(s, n, out=np.zeros(4), where=n > 0)
            arms = np.full(users, int(means.argmax()))
            explore = rng.random(users) < epsilon
            arms[explore] = rng.integers(0, 4, int(explore.sum()))
        rewards = rng.random(users) < P[arms]
        n += np.bincount(arms, minlength=4)
        s += np.bincount(arms, weights=rewards, minlength=4)
        regret += float((P.max() - P[arms]).sum())
    return regret


def main():
    rngs = {}

    def run(r, args):
        # One generator for all replicates, drawn from in order (replicate r continues where r − 1 stopped).
        rng = rngs.setdefault("rng", np.random.default_rng(args.seed))
        return replicate(rng, args.policy, args.epsilon, args.days, args.users)

    batched4arm.main("numpy", __doc__.splitlines()[0], run, default_replicates=100)


if __name__ == "__main__":
    main()
