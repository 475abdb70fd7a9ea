"""Independent bank of student answers for TP6 (hélice et coût à marge).

Written from the student statement only (release notebook), without reading the teacher's
solution, the hidden tests or the course's own bank. CORRECT variants satisfy every promise of
the statement; each WRONG variant breaks one (a plausible bug, a lazy shortcut or a rule the
statement states), and differs from a correct answer on some input the statement covers.
"""
from __future__ import annotations

import textwrap

from coursekit.variants import Variant

ASSIGNMENT = "tp6_helice_hinge"


def _v(name: str, cell: str, code: str, tests: tuple[str, ...] | None = None) -> Variant:
    if tests is None:
        tests = (cell[: -len("_code")] + "_tests",)
    return Variant(name, cell, textwrap.dedent(code).strip("\n") + "\n", tuple(tests))


def _join(*parts: str) -> str:
    return "\n\n\n".join(textwrap.dedent(p).strip("\n") for p in parts)


# ---------------------------------------------------------------------------------------------
# Exercice 1 — compute_cat_per_pixel
# ---------------------------------------------------------------------------------------------
_CAT = "compute_cat_per_pixel_code"

CAT_CORRECT = [
    _v("cat_stack_last_dim", _CAT, '''
        def compute_cat_per_pixel(model, XX, YY):
            with torch.no_grad():
                T = torch.stack([XX, YY], dim=-1)
                return model(T).argmax(dim=-1)
    '''),
    _v("cat_flatten_reshape", _CAT, '''
        def compute_cat_per_pixel(model, XX, YY):
            """À plat (H*W, 2), puis on remet la forme de la grille."""
            with torch.no_grad():
                flat = torch.stack([XX.reshape(-1), YY.reshape(-1)], dim=1)
                cats = model(flat).argmax(dim=1)
            return cats.reshape(XX.shape).long()
    '''),
    _v("cat_cat_unsqueeze_max", _CAT, '''
        def compute_cat_per_pixel(model, XX, YY):
            with torch.no_grad():
                T = torch.cat([XX.unsqueeze(-1), YY.unsqueeze(-1)], dim=2)
                scores = model(T)
                _, best = scores.max(dim=2)
            return best.to(torch.int64)
    '''),
    _v("cat_dstack_inference_mode", _CAT, '''
        def compute_cat_per_pixel(model, XX, YY):
            with torch.inference_mode():
                scores = model(torch.dstack((XX, YY)))
                return torch.argmax(scores, dim=scores.dim() - 1).clone()
    '''),
]

CAT_WRONG = [
    _v("cat_swapped_coordinates", _CAT, '''
        def compute_cat_per_pixel(model, XX, YY):
            with torch.no_grad():
                return model(torch.stack([YY, XX], dim=-1)).argmax(dim=-1)
    '''),
    _v("cat_transposed_result", _CAT, '''
        def compute_cat_per_pixel(model, XX, YY):
            with torch.no_grad():
                return model(torch.stack([XX, YY], dim=-1)).argmax(dim=-1).T
    '''),
    _v("cat_argmax_wrong_axis", _CAT, '''
        def compute_cat_per_pixel(model, XX, YY):
            with torch.no_grad():
                scores = model(torch.stack([XX, YY], dim=-1))
                return scores.argmax(dim=0)
    '''),
    _v("cat_ij_rebuilt_grid", _CAT, '''
        def compute_cat_per_pixel(model, XX, YY):
            xs, ys = XX[0], YY[:, 0]
            GX, GY = torch.meshgrid(xs, ys, indexing="ij")
            with torch.no_grad():
                return model(torch.stack([GX, GY], dim=-1)).argmax(dim=-1)
    '''),
    _v("cat_pixel_loop", _CAT, '''
        def compute_cat_per_pixel(model, XX, YY):
            H, W = XX.shape
            cats = torch.zeros(H, W, dtype=torch.int64, device=XX.device)
            with torch.no_grad():
                for i in range(H):
                    for j in range(W):
                        point = torch.stack([XX[i, j], YY[i, j]])
                        cats[i, j] = model(point).argmax()
            return cats
    '''),
    _v("cat_float_result", _CAT, '''
        def compute_cat_per_pixel(model, XX, YY):
            with torch.no_grad():
                return model(torch.stack([XX, YY], dim=-1)).argmax(dim=-1).float()
    '''),
]

# ---------------------------------------------------------------------------------------------
# Exercice 2 — hinge_loss
# ---------------------------------------------------------------------------------------------
_HL = "hinge_loss_code"

HL_CORRECT = [
    _v("hl_mask", _HL, '''
        def hinge_loss(scores, cat, delta):
            margins = torch.clamp(scores - scores[cat] + delta, min=0)
            others = torch.arange(scores.shape[0], device=scores.device) != cat
            return margins[others].sum()
    '''),
    _v("hl_all_minus_delta", _HL, '''
        def hinge_loss(scores, cat, delta):
            """La bonne catégorie apporte exactement max(0, delta) = delta : on la retire."""
            return torch.relu(scores - scores[cat] + delta).sum() - delta
    '''),
    _v("hl_python_loop_over_classes", _HL, '''
        def hinge_loss(scores, cat, delta):
            c = int(cat)
            total = torch.zeros((), device=scores.device, dtype=scores.dtype)
            for j in range(len(scores)):
                if j != c:
                    total = total + torch.clamp(scores[j] - scores[c] + delta, min=0.0)
            return total
    '''),
    _v("hl_concat_others_functional", _HL, '''
        def hinge_loss(scores, cat, delta):
            c = int(cat)
            others = torch.cat([scores[:c], scores[c + 1:]])
            return torch.nn.functional.relu(others - scores[c] + delta).sum()
    '''),
    _v("hl_where_maximum", _HL, '''
        def hinge_loss(scores, cat, delta):
            margins = torch.maximum(scores - scores[cat] + delta, torch.zeros_like(scores))
            is_true = torch.arange(scores.numel(), device=scores.device) == torch.as_tensor(cat, device=scores.device)
            return torch.where(is_true, torch.zeros_like(margins), margins).sum()
    '''),
]

HL_WRONG = [
    _v("hl_includes_true_class", _HL, '''
        def hinge_loss(scores, cat, delta):
            return torch.clamp(scores - scores[cat] + delta, min=0).sum()
    '''),
    _v("hl_true_score_detached", _HL, '''
        def hinge_loss(scores, cat, delta):
            margins = torch.clamp(scores - scores[cat].detach() + delta, min=0)
            others = torch.arange(scores.shape[0], device=scores.device) != cat
            return margins[others].sum()
    '''),
    _v("hl_max_instead_of_sum", _HL, '''
        def hinge_loss(scores, cat, delta):
            margins = torch.clamp(scores - scores[cat] + delta, min=0)
            others = torch.arange(scores.shape[0], device=scores.device) != cat
            return margins[others].max()
    '''),
    _v("hl_margin_sign", _HL, '''
        def hinge_loss(scores, cat, delta):
            margins = torch.clamp(scores - scores[cat] - delta, min=0)
            others = torch.arange(scores.shape[0], device=scores.device) != cat
            return margins[others].sum()
    '''),
    _v("hl_mean_over_classes", _HL, '''
        def hinge_loss(scores, cat, delta):
            margins = torch.clamp(scores - scores[cat] + delta, min=0)
            others = torch.arange(scores.shape[0], device=scores.device) != cat
            return margins[others].mean()
    '''),
    _v("hl_multi_margin_library", _HL, '''
        def hinge_loss(scores, cat, delta):
            target = torch.as_tensor(cat, device=scores.device).reshape(1)
            value = torch.nn.functional.multi_margin_loss(scores.unsqueeze(0), target, margin=delta, reduction="sum")
            return value * scores.shape[0]
    '''),
    _v("hl_item_number", _HL, '''
        def hinge_loss(scores, cat, delta):
            total = 0.0
            for j in range(len(scores)):
                if j != int(cat):
                    total += max(0.0, (scores[j] - scores[cat] + delta).item())
            return torch.tensor(total, device=scores.device)
    '''),
]

# ---------------------------------------------------------------------------------------------
# Exercice 3 — total_loss_loop + train_classifier
# ---------------------------------------------------------------------------------------------
_TC = "train_classifier_code"

_TLL = '''
def total_loss_loop(model, X, cats, delta):
    total = 0
    for i in range(len(X)):
        total = total + hinge_loss(model(X[i]), cats[i], delta)
    return total
'''
_TLL_STACK = '''
def total_loss_loop(model, X, cats, delta):
    """Un appel du modèle et de hinge_loss par échantillon, puis la somme."""
    losses = [hinge_loss(model(x), c, delta) for x, c in zip(X, cats)]
    return torch.stack(losses).sum()
'''
_TLL_ZEROS = '''
def total_loss_loop(model, X, cats, delta):
    L = torch.zeros((), device=X.device)
    for i, x in enumerate(X):
        L = L + hinge_loss(model(x), cats[i], delta)
    return L
'''
_TRAIN = '''
def train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_loop,
                     optimizer_class=torch.optim.SGD, progress=True):
    optimizer = optimizer_class(model.parameters(), lr=lr)
    losses = []
    for epoch in tqdm(range(n_epochs), disable=not progress):
        optimizer.zero_grad()
        loss = total_loss(model, X, cats, delta)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
'''
_TRAIN_BAR = '''
def train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_loop,
                     optimizer_class=torch.optim.SGD, progress=True):
    optimizer = optimizer_class(model.parameters(), lr=lr)
    history = []
    bar = tqdm(range(n_epochs), disable=not progress, desc="apprentissage")
    for _ in bar:
        loss = total_loss(model, X, cats, delta)
        optimizer.zero_grad(set_to_none=False)
        loss.backward()
        optimizer.step()
        history.append(float(loss.detach()))
        bar.set_postfix(loss=history[-1], refresh=False)
    return history
'''
_TRAIN_GRAD_NONE = '''
def train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_loop,
                     optimizer_class=torch.optim.SGD, progress=True):
    params = list(model.parameters())
    optimizer = optimizer_class(params, lr=lr)
    values = []
    epochs = tqdm(range(n_epochs), disable=not progress)
    for epoch in epochs:
        for p in params:
            p.grad = None
        loss = total_loss(model, X, cats, delta)
        loss.backward()
        optimizer.step()
        values.append(loss.item())
        if progress and epoch % 10 == 0:
            print(f"époque {epoch} : L = {values[-1]:.3f}")
    return values
'''

TC_CORRECT = [
    _v("tc_loop_zero_grad", _TC, _join(_TLL, _TRAIN)),
    _v("tc_stack_bar_postfix", _TC, _join(_TLL_STACK, _TRAIN_BAR)),
    _v("tc_zeros_grad_none", _TC, _join(_TLL_ZEROS, _TRAIN_GRAD_NONE)),
]

TC_WRONG = [
    _v("tc_loop_mean", _TC, _join('''
        def total_loss_loop(model, X, cats, delta):
            total = 0
            for i in range(len(X)):
                total = total + hinge_loss(model(X[i]), cats[i], delta)
            return total / len(X)
    ''', _TRAIN)),
    _v("tc_loop_single_model_call", _TC, _join('''
        def total_loss_loop(model, X, cats, delta):
            scores = model(X)
            total = 0
            for i in range(len(X)):
                total = total + hinge_loss(scores[i], cats[i], delta)
            return total
    ''', _TRAIN)),
    _v("tc_no_zero_grad", _TC, _join(_TLL, '''
        def train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_loop,
                             optimizer_class=torch.optim.SGD, progress=True):
            optimizer = optimizer_class(model.parameters(), lr=lr)
            losses = []
            for epoch in tqdm(range(n_epochs), disable=not progress):
                loss = total_loss(model, X, cats, delta)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return losses
    ''')),
    _v("tc_optimizer_each_epoch", _TC, _join(_TLL, '''
        def train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_loop,
                             optimizer_class=torch.optim.SGD, progress=True):
            losses = []
            for epoch in tqdm(range(n_epochs), disable=not progress):
                optimizer = optimizer_class(model.parameters(), lr=lr)
                optimizer.zero_grad()
                loss = total_loss(model, X, cats, delta)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return losses
    ''')),
    _v("tc_ignores_optimizer_class", _TC, _join(_TLL, '''
        def train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_loop,
                             optimizer_class=torch.optim.SGD, progress=True):
            optimizer = torch.optim.SGD(model.parameters(), lr=lr)
            losses = []
            for epoch in tqdm(range(n_epochs), disable=not progress):
                optimizer.zero_grad()
                loss = total_loss(model, X, cats, delta)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return losses
    ''')),
    _v("tc_ignores_total_loss", _TC, _join(_TLL, '''
        def train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_loop,
                             optimizer_class=torch.optim.SGD, progress=True):
            optimizer = optimizer_class(model.parameters(), lr=lr)
            losses = []
            for epoch in tqdm(range(n_epochs), disable=not progress):
                optimizer.zero_grad()
                loss = total_loss_loop(model, X, cats, delta)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return losses
    ''')),
    _v("tc_loss_after_step", _TC, _join(_TLL, '''
        def train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_loop,
                             optimizer_class=torch.optim.SGD, progress=True):
            optimizer = optimizer_class(model.parameters(), lr=lr)
            losses = []
            for epoch in tqdm(range(n_epochs), disable=not progress):
                optimizer.zero_grad()
                loss = total_loss(model, X, cats, delta)
                loss.backward()
                optimizer.step()
                with torch.no_grad():
                    losses.append(total_loss(model, X, cats, delta).item())
            return losses
    ''')),
    _v("tc_manual_sgd_step", _TC, _join(_TLL, '''
        def train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_loop,
                             optimizer_class=torch.optim.SGD, progress=True):
            losses = []
            for epoch in tqdm(range(n_epochs), disable=not progress):
                model.zero_grad()
                loss = total_loss(model, X, cats, delta)
                loss.backward()
                with torch.no_grad():
                    for p in model.parameters():
                        p -= lr * p.grad
                losses.append(loss.item())
            return losses
    ''')),
]

# ---------------------------------------------------------------------------------------------
# Exercice 4 — hinge_loss_batch
# ---------------------------------------------------------------------------------------------
_HB = "hinge_loss_batch_code"

HB_CORRECT = [
    _v("hb_index_mask", _HB, '''
        def hinge_loss_batch(scores, cats, delta):
            N, C = scores.shape
            I = torch.arange(N, device=scores.device)
            margins = torch.clamp(scores - scores[I, cats][:, None] + delta, min=0)
            mask = torch.ones_like(margins, dtype=torch.bool)
            mask[I, cats] = False
            return margins[mask].sum()
    '''),
    _v("hb_all_minus_n_delta", _HB, '''
        def hinge_loss_batch(scores, cats, delta):
            """Chaque bonne catégorie apporte exactement delta : on retire N * delta."""
            I = torch.arange(len(scores), device=scores.device)
            margins = torch.relu(scores - scores[I, cats].unsqueeze(1) + delta)
            return margins.sum() - len(scores) * delta
    '''),
    _v("hb_gather_one_hot", _HB, '''
        def hinge_loss_batch(scores, cats, delta):
            true = scores.gather(1, cats.view(-1, 1))
            margins = (scores - true + delta).clamp(min=0)
            one_hot = torch.nn.functional.one_hot(cats, num_classes=scores.shape[1]).bool()
            return margins.masked_fill(one_hot, 0.0).sum()
    '''),
    _v("hb_where_broadcast_compare", _HB, '''
        def hinge_loss_batch(scores, cats, delta):
            N, C = scores.shape
            rows = torch.arange(N, device=scores.device)
            true = scores[rows, cats]
            margins = torch.maximum(scores - true[:, None] + delta, scores.new_zeros(()))
            same = torch.arange(C, device=scores.device)[None, :] == cats[:, None]
            return torch.where(same, scores.new_zeros(()), margins).sum()
    '''),
    _v("hb_float_mask_multiply", _HB, '''
        def hinge_loss_batch(scores, cats, delta):
            I = torch.arange(scores.shape[0], device=scores.device)
            keep = torch.ones_like(scores)
            keep[I, cats] = 0.0
            return (keep * (scores - scores[I, cats][:, None] + delta).clamp(min=0)).sum()
    '''),
]

HB_WRONG = [
    _v("hb_includes_true_class", _HB, '''
        def hinge_loss_batch(scores, cats, delta):
            I = torch.arange(len(scores), device=scores.device)
            return torch.clamp(scores - scores[I, cats][:, None] + delta, min=0).sum()
    '''),
    _v("hb_mean_over_batch", _HB, '''
        def hinge_loss_batch(scores, cats, delta):
            I = torch.arange(len(scores), device=scores.device)
            margins = torch.clamp(scores - scores[I, cats][:, None] + delta, min=0)
            margins[I, cats] = 0
            return margins.sum(dim=1).mean()
    '''),
    _v("hb_python_loop", _HB, '''
        def hinge_loss_batch(scores, cats, delta):
            total = scores.new_zeros(())
            for i in range(scores.shape[0]):
                total = total + hinge_loss(scores[i], cats[i], delta)
            return total
    '''),
    _v("hb_multi_margin_library", _HB, '''
        def hinge_loss_batch(scores, cats, delta):
            return torch.nn.functional.multi_margin_loss(scores, cats, margin=delta, reduction="sum") * scores.shape[1]
    '''),
    _v("hb_inplace_after_relu", _HB, '''
        def hinge_loss_batch(scores, cats, delta):
            I = torch.arange(len(scores), device=scores.device)
            margins = torch.relu(scores - scores[I, cats][:, None] + delta)
            margins[I, cats] = 0.0
            return margins.sum()
    '''),
    _v("hb_true_scores_detached", _HB, '''
        def hinge_loss_batch(scores, cats, delta):
            I = torch.arange(len(scores), device=scores.device)
            true = scores[I, cats].detach()
            margins = torch.clamp(scores - true[:, None] + delta, min=0)
            margins = margins * (torch.arange(scores.shape[1], device=scores.device)[None, :] != cats[:, None])
            return margins.sum()
    '''),
    _v("hb_missing_column_broadcast", _HB, '''
        def hinge_loss_batch(scores, cats, delta):
            I = torch.arange(len(scores), device=scores.device)
            margins = torch.clamp(scores - scores[I, cats] + delta, min=0)
            mask = torch.arange(scores.shape[1], device=scores.device)[None, :] != cats[:, None]
            return (margins * mask).sum()
    '''),
]

# ---------------------------------------------------------------------------------------------
# Exercice 5 — HelixNet + accuracy
# ---------------------------------------------------------------------------------------------
_NET = "helix_net_code"

_NET_ATTR = '''
class HelixNet(torch.nn.Module):
    def __init__(self, hidden, n_classes=3):
        super().__init__()
        self.fc1 = torch.nn.Linear(2, hidden)
        self.fc2 = torch.nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))
'''
_NET_SEQ = '''
class HelixNet(torch.nn.Module):
    """Linear(2, hidden), ReLU, Linear(hidden, n_classes), dans un Sequential."""

    def __init__(self, hidden, n_classes=3):
        super().__init__()
        self.layers = torch.nn.Sequential(
            torch.nn.Linear(2, hidden),
            torch.nn.ReLU(),
            torch.nn.Linear(hidden, n_classes),
        )

    def forward(self, x):
        return self.layers(x)
'''
_NET_F = '''
import torch.nn.functional as F


class HelixNet(torch.nn.Module):
    def __init__(self, hidden, n_classes=3):
        super().__init__()
        self.hidden = torch.nn.Linear(2, hidden, bias=True)
        self.out = torch.nn.Linear(hidden, n_classes, bias=True)
        self.relu = torch.nn.ReLU()

    def forward(self, x):
        h = F.relu(self.hidden(x))
        return self.out(h)
'''
_ACC = '''
def accuracy(model, X, cats):
    with torch.no_grad():
        return (model(X).argmax(dim=1) == cats).float().mean().item()
'''
_ACC_SUM = '''
def accuracy(model, X, cats):
    with torch.no_grad():
        predicted = model(X).argmax(dim=-1)
        correct = (predicted == cats).sum().item()
    return correct / len(cats)
'''
_ACC_NP = '''
def accuracy(model, X, cats):
    with torch.no_grad():
        scores = model(X)
    predicted = scores.detach().cpu().numpy().argmax(axis=1)
    return float(np.mean(predicted == cats.cpu().numpy()))
'''

NET_CORRECT = [
    _v("net_attrs_acc_mean", _NET, _join(_NET_ATTR, _ACC)),
    _v("net_sequential_acc_sum", _NET, _join(_NET_SEQ, _ACC_SUM)),
    _v("net_functional_acc_numpy", _NET, _join(_NET_F, _ACC_NP)),
]

NET_WRONG = [
    _v("net_layers_created_in_reverse", _NET, _join('''
        class HelixNet(torch.nn.Module):
            def __init__(self, hidden, n_classes=3):
                super().__init__()
                self.fc2 = torch.nn.Linear(hidden, n_classes)
                self.fc1 = torch.nn.Linear(2, hidden)

            def forward(self, x):
                return self.fc2(torch.relu(self.fc1(x)))
    ''', _ACC)),
    _v("net_relu_on_output", _NET, _join('''
        class HelixNet(torch.nn.Module):
            def __init__(self, hidden, n_classes=3):
                super().__init__()
                self.fc1 = torch.nn.Linear(2, hidden)
                self.fc2 = torch.nn.Linear(hidden, n_classes)

            def forward(self, x):
                return torch.relu(self.fc2(torch.relu(self.fc1(x))))
    ''', _ACC)),
    _v("net_flattens_input", _NET, _join('''
        class HelixNet(torch.nn.Module):
            def __init__(self, hidden, n_classes=3):
                super().__init__()
                self.fc1 = torch.nn.Linear(2, hidden)
                self.fc2 = torch.nn.Linear(hidden, n_classes)

            def forward(self, x):
                x = x.reshape(-1, 2)
                return self.fc2(torch.relu(self.fc1(x)))
    ''', _ACC)),
    _v("net_no_hidden_relu", _NET, _join('''
        class HelixNet(torch.nn.Module):
            def __init__(self, hidden, n_classes=3):
                super().__init__()
                self.fc1 = torch.nn.Linear(2, hidden)
                self.fc2 = torch.nn.Linear(hidden, n_classes)

            def forward(self, x):
                return self.fc2(torch.sigmoid(self.fc1(x)))
    ''', _ACC)),
    _v("acc_returns_tensor", _NET, _join(_NET_ATTR, '''
        def accuracy(model, X, cats):
            with torch.no_grad():
                return (model(X).argmax(dim=1) == cats).float().mean()
    ''')),
    _v("acc_argmax_wrong_axis", _NET, _join(_NET_ATTR, '''
        def accuracy(model, X, cats):
            with torch.no_grad():
                scores = model(X)
                predicted = scores.argmax(dim=0)
                return float((predicted[: len(cats)] == cats[: len(predicted)]).sum()) / len(cats)
    ''')),
    _v("acc_percentage", _NET, _join(_NET_ATTR, '''
        def accuracy(model, X, cats):
            with torch.no_grad():
                return 100.0 * (model(X).argmax(dim=1) == cats).float().mean().item()
    ''')),
]

# ---------------------------------------------------------------------------------------------
# Exercice 6 — train_width
# ---------------------------------------------------------------------------------------------
_TW = "train_width_code"

TW_CORRECT = [
    _v("tw_plain", _TW, '''
        def train_width(hidden, X, cats, delta=1.0, lr=HELIX_LR, n_epochs=HELIX_EPOCHS, seed=0, progress=False):
            torch.manual_seed(seed)
            n_classes = int(cats.max()) + 1
            model = HelixNet(hidden, n_classes).to(X.device)
            train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_batch,
                             optimizer_class=torch.optim.Adam, progress=progress)
            return accuracy(model, X, cats)
    '''),
    _v("tw_keywords_item", _TW, '''
        def train_width(hidden, X, cats, delta=1.0, lr=HELIX_LR, n_epochs=HELIX_EPOCHS, seed=0, progress=False):
            """Même départ pour chaque largeur : la graine est fixée juste avant de créer le réseau."""
            torch.manual_seed(seed)
            model = HelixNet(hidden, n_classes=cats.max().item() + 1)
            model = model.to(device=X.device)
            losses = train_classifier(model, X, cats, delta=delta, lr=lr, n_epochs=n_epochs,
                                      total_loss=total_loss_batch, optimizer_class=torch.optim.Adam,
                                      progress=progress)
            if progress:
                print(f"{hidden} neurones : coût final {losses[-1]:.3f}")
            return float(accuracy(model, X, cats))
    '''),
    _v("tw_set_seed_helper", _TW, '''
        def train_width(hidden, X, cats, delta=1.0, lr=HELIX_LR, n_epochs=HELIX_EPOCHS, seed=0, progress=False):
            set_seed(seed)  # appelle torch.manual_seed(seed) (et fixe aussi random et numpy)
            net = HelixNet(hidden, int(torch.max(cats).item()) + 1).to(X.device)
            train_classifier(net, X, cats, delta, lr, n_epochs, total_loss_batch, torch.optim.Adam, progress)
            return accuracy(net, X, cats)
    '''),
]

TW_WRONG = [
    _v("tw_three_classes_hardcoded", _TW, '''
        def train_width(hidden, X, cats, delta=1.0, lr=HELIX_LR, n_epochs=HELIX_EPOCHS, seed=0, progress=False):
            torch.manual_seed(seed)
            model = HelixNet(hidden, 3).to(X.device)
            train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_batch,
                             optimizer_class=torch.optim.Adam, progress=progress)
            return accuracy(model, X, cats)
    '''),
    _v("tw_seed_after_model", _TW, '''
        def train_width(hidden, X, cats, delta=1.0, lr=HELIX_LR, n_epochs=HELIX_EPOCHS, seed=0, progress=False):
            model = HelixNet(hidden, int(cats.max()) + 1).to(X.device)
            torch.manual_seed(seed)
            train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_batch,
                             optimizer_class=torch.optim.Adam, progress=progress)
            return accuracy(model, X, cats)
    '''),
    _v("tw_default_sgd", _TW, '''
        def train_width(hidden, X, cats, delta=1.0, lr=HELIX_LR, n_epochs=HELIX_EPOCHS, seed=0, progress=False):
            torch.manual_seed(seed)
            model = HelixNet(hidden, int(cats.max()) + 1).to(X.device)
            train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_batch, progress=progress)
            return accuracy(model, X, cats)
    '''),
    _v("tw_ignores_arguments", _TW, '''
        def train_width(hidden, X, cats, delta=1.0, lr=HELIX_LR, n_epochs=HELIX_EPOCHS, seed=0, progress=False):
            torch.manual_seed(0)
            model = HelixNet(hidden, int(cats.max()) + 1).to(X.device)
            train_classifier(model, X, cats, 1.0, HELIX_LR, HELIX_EPOCHS, total_loss=total_loss_batch,
                             optimizer_class=torch.optim.Adam, progress=progress)
            return accuracy(model, X, cats)
    '''),
    _v("tw_returns_tensor", _TW, '''
        def train_width(hidden, X, cats, delta=1.0, lr=HELIX_LR, n_epochs=HELIX_EPOCHS, seed=0, progress=False):
            torch.manual_seed(seed)
            model = HelixNet(hidden, int(cats.max()) + 1).to(X.device)
            train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_batch,
                             optimizer_class=torch.optim.Adam, progress=progress)
            with torch.no_grad():
                return (model(X).argmax(dim=1) == cats).float().mean()
    '''),
    _v("tw_n_classes_from_unique_minus", _TW, '''
        def train_width(hidden, X, cats, delta=1.0, lr=HELIX_LR, n_epochs=HELIX_EPOCHS, seed=0, progress=False):
            torch.manual_seed(seed)
            model = HelixNet(hidden, int(cats.max())).to(X.device)
            train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_batch,
                             optimizer_class=torch.optim.Adam, progress=progress)
            return accuracy(model, X, cats)
    '''),
]

# ---------------------------------------------------------------------------------------------
# Exercice 7 — MINIMAL_WIDTH (filled in below, from the study)
# ---------------------------------------------------------------------------------------------
_MW = "minimal_width_code"

MW_CORRECT = [
    _v("mw_computed_from_study", _MW, '''
        MINIMAL_WIDTH = next(w for w in WIDTHS if train_width(w, HELIX_X, HELIX_CATS) >= 1.0)
    '''),
    _v("mw_computed_min_loop", _MW, '''
        MINIMAL_WIDTH = None
        for width in WIDTHS:
            if train_width(width, HELIX_X, HELIX_CATS) == 1.0:
                MINIMAL_WIDTH = width
                break
        print("largeur minimale :", MINIMAL_WIDTH)
    '''),
]

MW_CORRECT += [
    _v("mw_hundred", _MW, '''
        MINIMAL_WIDTH = 100
    '''),
    _v("mw_index_in_widths", _MW, '''
        MINIMAL_WIDTH = WIDTHS[2]
    '''),
]

MW_WRONG = [
    # the statement accepted one step either side until it asked for the exact width (issue: 30 scored)
    _v("mw_one_step_above", _MW, '''
        MINIMAL_WIDTH = 300  # prudence : un cran au-dessus
    '''),
    _v("mw_not_in_widths", _MW, '''
        MINIMAL_WIDTH = 50
    '''),
    _v("mw_string", _MW, '''
        MINIMAL_WIDTH = "100"
    '''),
    _v("mw_largest", _MW, '''
        MINIMAL_WIDTH = max(WIDTHS)
    '''),
    _v("mw_smallest", _MW, '''
        MINIMAL_WIDTH = WIDTHS[0]
    '''),
    _v("mw_two_steps_above", _MW, '''
        MINIMAL_WIDTH = 500
    '''),
]

CORRECT = CAT_CORRECT + HL_CORRECT + TC_CORRECT + HB_CORRECT + NET_CORRECT + TW_CORRECT + MW_CORRECT
WRONG = CAT_WRONG + HL_WRONG + TC_WRONG + HB_WRONG + NET_WRONG + TW_WRONG + MW_WRONG
