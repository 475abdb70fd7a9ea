# Jeu de données « circles » et tracé d'une frontière de décision (cellule fournie, ne pas modifier).
import math

import matplotlib.pyplot as plt
import numpy as np
import torch


def make_circles(n, seed, device=None):
    """Tire n points du plan répartis en deux classes de même effectif (à une unité près).

    Classe 0 : un disque de rayon 0,75 (points uniformes dans le disque).
    Classe 1 : un anneau bruité autour, de rayon 1,1 ± 0,25 (écart-type), soit environ 0,5 à 1,7.
    Les deux classes se chevauchent un peu : aucun classifieur ne dépasse environ 96 % d'exactitude.

    Renvoie X de forme (n, 2) et Y de forme (n, 2) (codage one-hot), en float32, sur `device`.
    Le tirage ne dépend que de `seed` : il utilise son propre générateur et ne touche pas à l'aléa global.
    """
    generator = torch.Generator().manual_seed(seed)
    labels = torch.randperm(n, generator=generator) % 2
    angle = 2 * math.pi * torch.rand(n, generator=generator)
    inner_radius = 0.75 * torch.rand(n, generator=generator).sqrt()
    outer_radius = 1.1 + 0.25 * torch.randn(n, generator=generator)
    radius = torch.where(labels == 1, outer_radius, inner_radius)
    X = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)
    Y = torch.nn.functional.one_hot(labels, num_classes=2).float()
    if device is not None:
        X, Y = X.to(device), Y.to(device)
    return X, Y


# Deux classes qui restent distinctes en niveaux de gris et pour les daltoniens : violet foncé en
# ronds, orange clair en triangles (palette PuOr), avec une légende.
CLASS_STYLES = [dict(color="#5e3c99", marker="o", label="classe 0 : disque"),
                dict(color="#f1a340", marker="^", label="classe 1 : anneau")]


def plot_classes(X, Y, ax=None):
    """Place les points (X, Y) : une couleur et une forme par classe, et une légende."""
    ax = plt.gca() if ax is None else ax
    points, labels = X.detach().cpu(), Y.detach().argmax(dim=1).cpu()
    for k, style in enumerate(CLASS_STYLES):
        chosen = labels == k
        ax.scatter(points[chosen, 0].numpy(), points[chosen, 1].numpy(), edgecolors="k", linewidths=0.5, s=20, **style)
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    ax.set_aspect("equal")
    return ax


def plot_decision_boundary(predict, X, Y, ax=None, title=None, resolution=200):
    """Colorie le plan selon la probabilité de la classe 1 prédite, puis place les points (X, Y).

    `predict` reçoit un tenseur (m, 2) de points du plan, sur le matériel de X (`X.device`), et renvoie les
    probabilités des deux classes, de forme (m, 2). Le fond va du violet (classe 0) à l'orange
    (classe 1) ; la ligne noire est la frontière p = 0,5.
    """
    ax = plt.gca() if ax is None else ax
    points = X.detach().cpu()
    low, high = points.min(dim=0).values - 0.3, points.max(dim=0).values + 0.3
    xs = torch.linspace(float(low[0]), float(high[0]), resolution)
    ys = torch.linspace(float(low[1]), float(high[1]), resolution)
    grid_x, grid_y = torch.meshgrid(xs, ys, indexing="xy")
    grid = torch.stack([grid_x.reshape(-1), grid_y.reshape(-1)], dim=1).to(X.device, X.dtype)
    with torch.no_grad():
        proba = predict(grid)[:, 1].reshape(resolution, resolution).detach().cpu()
    ax.contourf(grid_x.numpy(), grid_y.numpy(), proba.numpy(), levels=np.linspace(0, 1, 11), cmap="PuOr_r", alpha=0.45)
    ax.contour(grid_x.numpy(), grid_y.numpy(), proba.numpy(), levels=[0.5], colors="k", linewidths=1.5)
    plot_classes(X, Y, ax)
    if title:
        ax.set_title(title)
    return ax
