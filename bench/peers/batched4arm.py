"""What both batched-4arm peers share: the world, the command line, and the timed run with its one-line report."""
import argparse
import json
import time

import numpy as np

P = np.array([0.58, 0.67, 0.65, 0.71])


def main(peer, description, replicate, default_replicates):
    """Parses the common options, runs `replicate(r, args)` for every replicate r, and prints one JSON line:
    users per second (simulation only, interpreter start excluded) and the mean regret with a 95% t interval."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--policy", choices=["epsilon-greedy", "thompson"], default="epsilon-greedy")
    parser.add_argument("--epsilon", type=float, default=0.1)
    parser.add_argument("--replicates", type=int, default=default_replicates)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    start = time.perf_counter()
    regrets = np.array([replicate(r, args) for r in range(args.replicates)])
    elapsed = time.perf_counter() - start
    half = 1.96 * regrets.std(ddof=1) / np.sqrt(len(regrets)) if len(regrets) > 1 else float("nan")
    users = args.replicates * args.days * args.users
    print(json.dumps({
        "peer": peer, "policy": args.policy, "epsilon": args.epsilon, "replicates": args.replicates,
        "seconds": round(elapsed, 3), "users_per_second": round(users / elapsed),
        "mean_regret": round(float(regrets.mean()), 1),
        "interval": [round(float(regrets.mean() - half), 1), round(float(regrets.mean() + half), 1)],
    }))
