#!/usr/bin/env python3
"""batched-4arm with MABWiser 2.7.4: batch predict for each day's users, then partial_fit on that day's outcomes.

The same world as numpy_batched4arm.py (four Bernoulli arms, day 0 uniform, a refit per day); MABWiser's
ε-greedy and Thompson sampling keep their own statistics of all history (partial_fit adds each day's decisions).
Prints one JSON line like the numpy reference.
"""
import argparse
import json
import time

import numpy as np
from mabwiser.mab import MAB, LearningPolicy

P = np.array([0.58, 0.67, 0.65, 0.71])
ARMS = [0, 1, 2, 3]


def replicate(seed, policy, epsilon, days, users):
    rng = np.random.default_rng(seed)
    learning = LearningPolicy.ThompsonSampling() if policy == "thompson" else LearningPolicy.EpsilonGreedy(epsilon)
    mab = MAB(arms=ARMS, learning_policy=learning, seed=seed)
    regret = 0.0
    placeholder = np.zeros((users, 1))  # non-contextual: only the number of rows counts
    for day in range(days):
        if day == 0:
            arms = rng.integers(0, 4, users)
        else:
            arms = np.asarray(mab.predict(placeholder))
        rewards = (rng.random(users) < P[arms]).astype(int)
        if day == 0:
            mab.fit(arms, rewards)
        else:
            mab.partial_fit(arms, rewards)
        regret += float((P.max() - P[arms]).sum())
    return regret


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policy", choices=["epsilon-greedy", "thompson"], default="epsilon-greedy")
    parser.add_argument("--epsilon", type=float, default=0.1)
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    start = time.perf_counter()
    regrets = np.array([
        replicate(args.seed + r, args.policy, args.epsilon, args.days, args.users) for r in range(args.replicates)])
    elapsed = time.perf_counter() - start
    half = 1.96 * regrets.std(ddof=1) / np.sqrt(len(regrets)) if len(regrets) > 1 else float("nan")
    users = args.replicates * args.days * args.users
    print(json.dumps({
        "peer": "mabwiser", "policy": args.policy, "epsilon": args.epsilon, "replicates": args.replicates,
        "seconds": round(elapsed, 3), "users_per_second": round(users / elapsed),
        "mean_regret": round(float(regrets.mean()), 1),
        "interval": [round(float(regrets.mean() - half), 1), round(float(regrets.mean() + half), 1)],
    }))


if __name__ == "__main__":
    main()
