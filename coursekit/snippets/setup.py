# Mise en place : bibliothèques, graine aléatoire et choix du matériel (cellule fournie).
import random

import matplotlib.pyplot as plt
import numpy as np
import torch
from tqdm.auto import tqdm


def set_seed(seed: int = 0) -> None:
    """Rend les tirages aléatoires reproductibles (Python, NumPy et PyTorch)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def choose_device() -> torch.device:
    """Choisit le GPU NVIDIA (cuda), sinon le GPU Apple (mps), sinon le processeur."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


device = choose_device()
set_seed(0)
print(f"torch {torch.__version__} — calculs sur : {device}")
