"""Wall time of training the answer key's network on the 8x8 digits (a script, not a test).

    .venv/bin/python benchmarks/train_digits.py [--repeats 5]

Prints the time of each run, the median, and the test accuracy (the same every run: seeded).
"""

import argparse
import statistics
import time

import reference as R
from reference.data import digits


def run_once(seed=0):
    X_train, X_test, y_train, y_test = digits(seed=seed)
    params = R.init_params([64, 64, 10], seed=seed, init="he")
    start = time.perf_counter()
    params, history = R.train(
        params,
        X_train,
        y_train,
        activation="relu",
        lr=0.1,
        epochs=30,
        batch_size=32,
        l2=1e-4,
        seed=seed,
    )
    seconds = time.perf_counter() - start
    accuracy = float((R.predict(params, X_test, "relu") == y_test).mean())
    return seconds, accuracy, history[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    times = []
    for i in range(args.repeats):
        seconds, accuracy, final_loss = run_once()
        times.append(seconds)
        print(f"run {i + 1}: {seconds:.3f} s, test accuracy {accuracy:.2%}, loss {final_loss:.4f}")
    print(
        f"median {statistics.median(times):.3f} s over {args.repeats} runs "
        "(30 epochs, 1,347 images, batch 32: 1,290 forward/backward/SGD steps)"
    )


if __name__ == "__main__":
    main()
