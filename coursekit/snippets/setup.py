# Mise en place : bibliothèques, graine aléatoire et choix du matériel (cellule fournie).
# Le TP n'utilise que des bibliothèques préinstallées sur Google Colab : rien à installer là-bas.
import importlib.util
import random

_PAQUETS = {"torch": "torch", "numpy": "numpy", "matplotlib": "matplotlib", "sklearn": "scikit-learn",
            "tqdm": "tqdm"}
_manquants = [paquet for module, paquet in _PAQUETS.items() if importlib.util.find_spec(module) is None]
if _manquants:
    raise ModuleNotFoundError(f"Bibliothèques manquantes : {', '.join(_manquants)}. Installez-les avec "
                              f"« pip install {' '.join(_manquants)} » puis redémarrez le noyau.")

import matplotlib.pyplot as plt
import numpy as np
import torch
from tqdm.auto import tqdm

try:
    import google.colab  # noqa: F401  (ce module n'existe que sur Colab)
    EN_COLAB = True
except ImportError:
    EN_COLAB = False


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
print(f"torch {torch.__version__} — calculs sur : {device}" + (" (Google Colab)" if EN_COLAB else ""))
if EN_COLAB and device.type == "cpu":
    print("Facultatif : un GPU s'active par « Exécution → Modifier le type d'exécution ».")
