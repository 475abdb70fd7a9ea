# Mise en place : bibliothèques, graine aléatoire et choix du matériel (cellule fournie).
# Le TP n'utilise que des bibliothèques préinstallées sur Google Colab : rien à installer là-bas.
import importlib.util
import random
import time

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


def best_time(fn, repeats: int = 3, warm_up: bool = True):
    """Mesure fn() : renvoie (la plus courte de `repeats` durées, en secondes ; le résultat du dernier appel).
    Un premier appel non mesuré « chauffe » PyTorch (allocations, choix des noyaux de calcul) et le minimum
    écarte les interruptions par d'autres programmes : une seule mesure à froid peut tromper d'un facteur 10."""
    if warm_up:
        fn()
    durations = []
    for _ in range(repeats):
        if device.type == "cuda":
            torch.cuda.synchronize()  # les calculs GPU sont asynchrones : on attend qu'ils soient finis
        start = time.perf_counter()
        result = fn()
        if device.type == "cuda":
            torch.cuda.synchronize()
        durations.append(time.perf_counter() - start)
    return min(durations), result


def fr(x: float, digits: int = 2) -> str:
    """Un nombre écrit à la française, avec `digits` décimales, pour les titres et légendes des figures :
    fr(0.25) donne "0,25", et f"{fr(100 * exactitude, 1)} %" un pourcentage."""
    return f"{x:.{digits}f}".replace(".", ",")


device = choose_device()
set_seed(0)
print(f"torch {torch.__version__} — calculs sur : {device}" + (" (Google Colab)" if EN_COLAB else ""))
if EN_COLAB and device.type == "cpu":
    print("Facultatif : un GPU s'active par « Exécution → Modifier le type d'exécution ».")
