#!/usr/bin/env python3
"""batched-4arm with MABWiser 2.7.4: batch predict for each day's users, then partial_fit on that day's outcomes.

The same world as numpy_batched4arm.py (four Bernoulli arms, day 0 uniform, a refit per day); MABWiser's
ε-greedy and Thompson sampling keep their own statistics of all history (partial_fit adds each day's decisions).
Prints one JSON line like the numpy reference.
"""
import numpy as np
from mabwiser.mab import MAB, LearningPolicy

import batched4arm
from batched4arm import P

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
    batched4arm.main(
        "mabwiser", __doc__.splitlines()[0],
        lambda r, args: replicate(args.seed + r, args.policy, args.epsilon, args.days, args.users),
        default_replicates=20)


if __name__ == "__main__":
    main()
