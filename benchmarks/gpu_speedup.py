"""CPU vs GPU training time of the TP3/TP4 network (Linear, tanh, Linear, cross-entropy, SGD).

Two data sets: scikit-learn's digits (1,797 × 64, 10 classes, what the TPs grade) and an
MNIST-sized synthetic set (60,000 × 784, 10 classes; no download needed). Prints the time
per epoch on each device and the speed-up of CUDA (or MPS) over the CPU when one is present.

    python benchmarks/gpu_speedup.py [--epochs 2] [--hidden 100] [--batch 128]
"""
from __future__ import annotations

import argparse
import time

import torch
from sklearn.datasets import load_digits


def digits() -> tuple[torch.Tensor, torch.Tensor]:
    data = load_digits()
    X = torch.tensor(data.data, dtype=torch.float32) / 16.0
    return X, torch.tensor(data.target)


def mnist_sized(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    centres = torch.randn(10, 784, generator=generator)
    y = torch.randint(0, 10, (60_000,), generator=generator)
    X = centres[y] + 2.0 * torch.randn(60_000, 784, generator=generator)
    return X, y


def train(X: torch.Tensor, y: torch.Tensor, device: str, epochs: int, hidden: int, batch: int) -> tuple[float, float]:
    """Seconds per epoch (after one warm-up epoch) and final training accuracy."""
    torch.manual_seed(0)
    X, y = X.to(device), y.to(device)
    model = torch.nn.Sequential(torch.nn.Linear(X.shape[1], hidden), torch.nn.Tanh(),
                                torch.nn.Linear(hidden, 10)).to(device)
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

    def epoch() -> None:
        for index in torch.randperm(len(X), device=device).split(batch):
            optimizer.zero_grad()
            loss_fn(model(X[index]), y[index]).backward()
            optimizer.step()

    epoch()
    synchronize(device)
    started = time.perf_counter()
    for _ in range(epochs):
        epoch()
    synchronize(device)
    seconds = (time.perf_counter() - started) / epochs
    with torch.no_grad():
        accuracy = (model(X).argmax(1) == y).float().mean().item()
    return seconds, accuracy


def synchronize(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()
    elif device == "mps":
        torch.mps.synchronize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--hidden", type=int, default=100)
    parser.add_argument("--batch", type=int, default=128)
    args = parser.parse_args()
    accelerator = "cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else None
    print(f"torch {torch.__version__}; CPU threads {torch.get_num_threads()}; accelerator: "
          f"{torch.cuda.get_device_name(0) if accelerator == 'cuda' else accelerator or 'none'}")
    print(f"{'data':<14}{'device':<8}{'s/epoch':>10}{'train acc':>11}{'speed-up':>10}")
    for name, (X, y) in (("digits", digits()), ("MNIST-sized", mnist_sized())):
        cpu_seconds, cpu_accuracy = train(X, y, "cpu", args.epochs, args.hidden, args.batch)
        print(f"{name:<14}{'cpu':<8}{cpu_seconds:>10.3f}{cpu_accuracy:>11.3f}{'1.00x':>10}")
        if accelerator:
            seconds, accuracy = train(X, y, accelerator, args.epochs, args.hidden, args.batch)
            print(f"{name:<14}{accelerator:<8}{seconds:>10.3f}{accuracy:>11.3f}{cpu_seconds / seconds:>9.2f}x")
    if not accelerator:
        print("no GPU here: only the CPU line is measured")


if __name__ == "__main__":
    main()
