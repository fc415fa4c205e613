#!/usr/bin/env python3
"""batched-4arm with numpy, vectorised per day: the lab's reference for speed and regret.

Four Bernoulli arms p = 0.58, 0.67, 0.65, 0.71; `--days` days × `--users` users; day 0 is assigned uniformly at
random; the policy is refit once a day on all history and assigns the next day's users as one batch;
regret = sum over users of (max p − p[assigned]). Textbook ε-greedy explores uniformly over all four arms (the
greedy one included; ties of the greedy estimate go to the lowest index); Thompson draws Beta(1 + s, 1 + n − s).
Prints one JSON line: users per second (simulation only, interpreter start excluded) and the mean regret with a
95% t interval over replicates.
"""
import argparse
import json
import time

import numpy as np

P = np.array([0.58, 0.67, 0.65, 0.71])


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policy", choices=["epsilon-greedy", "thompson"], default="epsilon-greedy")
    parser.add_argument("--epsilon", type=float, default=0.1)
    parser.add_argument("--replicates", type=int, default=100)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    start = time.perf_counter()
    regrets = np.array(
        [replicate(rng, args.policy, args.epsilon, args.days, args.users) for _ in range(args.replicates)])
    elapsed = time.perf_counter() - start
    half = 1.96 * regrets.std(ddof=1) / np.sqrt(len(regrets)) if len(regrets) > 1 else float("nan")
    users = args.replicates * args.days * args.users
    print(json.dumps({
        "peer": "numpy", "policy": args.policy, "epsilon": args.epsilon, "replicates": args.replicates,
        "seconds": round(elapsed, 3), "users_per_second": round(users / elapsed),
        "mean_regret": round(float(regrets.mean()), 1),
        "interval": [round(float(regrets.mean() - half), 1), round(float(regrets.mean() + half), 1)],
    }))


if __name__ == "__main__":
    main()
