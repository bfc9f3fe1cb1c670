"""Wall time and test accuracy of lesson 06's digits recipe, trained by the answer key.

    .venv/bin/python benchmarks/train_digits.py [--seeds 5] [--repeats 3]

The recipe (network, learning rate and schedule, epochs, batch, l2) is read from the lesson's
`digits_recipe` cell, so this measures what the lesson runs. For each seed (initialisation and
shuffling; the data split is the lesson's) it prints the median time over the repeats, the
final test accuracy, and the lowest and highest test accuracy of the last 10 epochs.
"""

import argparse
import statistics
import time

import reference as R
from reference.data import digits, digits_recipe


def run_once(recipe, seed, X_train, X_test, y_train, y_test):
    """(seconds, test accuracy after every epoch, final training loss) for one seed."""
    settings = {k: v for k, v in recipe.items() if k not in ("layer_sizes", "init")}
    params = R.init_params(recipe["layer_sizes"], seed=seed, init=recipe["init"])
    accuracy = []

    def record(epoch, params, epoch_loss):
        accuracy.append(float((R.predict(params, X_test, recipe["activation"]) == y_test).mean()))

    start = time.perf_counter()
    _, history = R.train(params, X_train, y_train, seed=seed, callback=record, **settings)
    # the per-epoch test predictions are part of the lesson's run too (its progress curve)
    return time.perf_counter() - start, accuracy, history[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    recipe = digits_recipe()
    data = digits(seed=0)
    print(f"recipe: {recipe}")
    for seed in range(args.seeds):
        runs = [run_once(recipe, seed, *data) for _ in range(args.repeats)]
        seconds = statistics.median(r[0] for r in runs)
        _, accuracy, final_loss = runs[0]
        print(
            f"seed {seed}: {seconds:.3f} s (median of {args.repeats}), test accuracy "
            f"{accuracy[-1]:.2%}, last 10 epochs {min(accuracy[-10:]):.2%} to "
            f"{max(accuracy[-10:]):.2%}, training loss {final_loss:.4f}"
        )


if __name__ == "__main__":
    main()
