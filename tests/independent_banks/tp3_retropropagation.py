"""Independent bank of student answers for TP3 (rétropropagation à la main).

Written from the student statement only (release notebook), without reading the teacher's
solution, the hidden tests or the course's own bank. CORRECT variants satisfy every promise of
the statement; each WRONG variant breaks one (a plausible bug, a lazy shortcut or a rule the
statement states), and differs from a correct answer on some input the statement covers.
"""
from __future__ import annotations

import textwrap

from coursekit.variants import Variant

ASSIGNMENT = "tp3_retropropagation"


def _v(name: str, cell: str, code: str, tests: tuple[str, ...] | None = None) -> Variant:
    """A variant judged by the test cell that follows its answer cell."""
    if tests is None:
        tests = (cell[: -len("_code")] + "_tests",)
    return Variant(name, cell, textwrap.dedent(code).strip("\n") + "\n", tuple(tests))


def _edit(base: str, *edits: tuple[str, str]) -> str:
    code = textwrap.dedent(base).strip("\n")
    for old, new in edits:
        assert code.count(old) == 1, old
        code = code.replace(old, new)
    return code


# =============================================================================================
# init_params
# =============================================================================================

_INIT_BASE = '''
def init_params(nx, nh, ny, device=device):
    """Paramètres initiaux du réseau nx -> nh -> ny : poids ~ N(0, 0.3²), biais nuls, en float32 sur `device`."""
    return {
        "Wh": 0.3 * torch.randn(nh, nx).to(device),
        "bh": torch.zeros(nh, device=device),
        "Wy": 0.3 * torch.randn(ny, nh).to(device),
        "by": torch.zeros(ny, device=device),
    }
'''

_INIT_CORRECT = {
    "init_randn_to": _INIT_BASE,
    "init_normal": '''
        def init_params(nx, nh, ny, device=device):
            params = {}
            params["Wh"] = torch.normal(0.0, 0.3, size=(nh, nx)).to(device=device, dtype=torch.float32)
            params["bh"] = torch.zeros(nh, dtype=torch.float32).to(device)
            params["Wy"] = torch.normal(0.0, 0.3, size=(ny, nh)).to(device=device, dtype=torch.float32)
            params["by"] = torch.zeros(ny, dtype=torch.float32).to(device)
            return params
    ''',
    "init_normal_inplace": '''
        def init_params(nx, nh, ny, device=device):
            Wh = torch.empty(nh, nx).normal_(mean=0.0, std=0.3)
            Wy = torch.empty(ny, nh).normal_(0, 0.3)
            params = dict(Wh=Wh, bh=torch.zeros(nh), Wy=Wy, by=torch.zeros(ny))
            print({k: tuple(v.shape) for k, v in params.items()})
            return {k: v.to(device) for k, v in params.items()}
    ''',
    "init_randn_mul": '''
        def init_params(nx, nh, ny, device=device):
            sigma = 0.3
            Wh = torch.randn((nh, nx), dtype=torch.float32).mul(sigma)
            Wy = torch.randn((ny, nh), dtype=torch.float32).mul(sigma)
            bh = torch.zeros_like(Wh[:, 0])
            by = torch.zeros_like(Wy[:, 0])
            return {"Wh": Wh.to(device), "bh": bh.to(device), "Wy": Wy.to(device), "by": by.to(device)}
    ''',
}

_INIT_WRONG = {
    # 0.3 taken as the variance: std 0.09... (multiplied by 0.3², i.e. 0.09)
    "init_variance_as_std": _edit(_INIT_BASE, ('"Wh": 0.3 * torch.randn', '"Wh": 0.09 * torch.randn'),
                                  ('"Wy": 0.3 * torch.randn', '"Wy": 0.09 * torch.randn')),
    # weights transposed (nx, nh) and (nh, ny)
    "init_transposed": _edit(_INIT_BASE, ("torch.randn(nh, nx)", "torch.randn(nx, nh)"),
                             ("torch.randn(ny, nh)", "torch.randn(nh, ny)")),
    # uniform instead of normal
    "init_uniform": _edit(_INIT_BASE, ("0.3 * torch.randn(nh, nx)", "0.3 * torch.rand(nh, nx)"),
                          ("0.3 * torch.randn(ny, nh)", "0.3 * torch.rand(ny, nh)")),
    # random biases
    "init_random_biases": _edit(_INIT_BASE, ('"bh": torch.zeros(nh, device=device)', '"bh": 0.3 * torch.randn(nh).to(device)'),
                                ('"by": torch.zeros(ny, device=device)', '"by": 0.3 * torch.randn(ny).to(device)')),
    # private generator with a fixed seed: ignores the global generator (set_seed has no effect)
    "init_private_generator": '''
        def init_params(nx, nh, ny, device=device):
            g = torch.Generator().manual_seed(42)
            return {
                "Wh": (0.3 * torch.randn(nh, nx, generator=g)).to(device),
                "bh": torch.zeros(nh, device=device),
                "Wy": (0.3 * torch.randn(ny, nh, generator=g)).to(device),
                "by": torch.zeros(ny, device=device),
            }
    ''',
    # float64 parameters
    "init_float64": _edit(_INIT_BASE, ("torch.randn(nh, nx).to(device)", "torch.randn(nh, nx, dtype=torch.float64).to(device)"),
                          ("torch.randn(ny, nh).to(device)", "torch.randn(ny, nh, dtype=torch.float64).to(device)"),
                          ("torch.zeros(nh, device=device)", "torch.zeros(nh, device=device, dtype=torch.float64)"),
                          ("torch.zeros(ny, device=device)", "torch.zeros(ny, device=device, dtype=torch.float64)")),
    # all weights equal (constant 0.3): the symmetry the statement warns about
    "init_constant_weights": _edit(_INIT_BASE, ("0.3 * torch.randn(nh, nx).to(device)", "torch.full((nh, nx), 0.3, device=device)"),
                                   ("0.3 * torch.randn(ny, nh).to(device)", "torch.full((ny, nh), 0.3, device=device)")),
}

# =============================================================================================
# forward
# =============================================================================================

_FWD_BASE = '''
def forward(params, X):
    """Passe avant du réseau tanh + softmax sur un lot X de forme (N, nx)."""
    htilde = X @ params["Wh"].T + params["bh"]
    h = torch.tanh(htilde)
    ytilde = h @ params["Wy"].T + params["by"]
    scores = ytilde - ytilde.max(dim=1, keepdim=True).values
    e = torch.exp(scores)
    yhat = e / e.sum(dim=1, keepdim=True)
    outputs = {"X": X, "htilde": htilde, "h": h, "ytilde": ytilde, "yhat": yhat}
    return yhat, outputs
'''

_FWD_CORRECT = {
    "fwd_matmul_max": _FWD_BASE,
    "fwd_amax_mm": '''
        def forward(params, X):
            Wh, bh, Wy, by = params["Wh"], params["bh"], params["Wy"], params["by"]
            htilde = torch.mm(X, Wh.t()) + bh.unsqueeze(0)
            h = htilde.tanh()
            ytilde = torch.mm(h, Wy.t()) + by.unsqueeze(0)
            c = torch.amax(ytilde, dim=1, keepdim=True)
            num = torch.exp(ytilde - c)
            Yhat = num / torch.sum(num, dim=1, keepdim=True)
            return Yhat, dict(X=X, htilde=htilde, h=h, ytilde=ytilde, yhat=Yhat)
    ''',
    "fwd_einsum_torchmax": '''
        def forward(params, X):
            htilde = torch.einsum("nx,hx->nh", X, params["Wh"]) + params["bh"]
            h = torch.tanh(htilde)
            ytilde = torch.einsum("nh,yh->ny", h, params["Wy"]) + params["by"]
            m, _ = torch.max(ytilde, dim=1, keepdim=True)
            ex = (ytilde - m).exp()
            yhat = ex / ex.sum(1, keepdim=True)
            outputs = {}
            outputs["X"] = X
            outputs["htilde"] = htilde
            outputs["h"] = h
            outputs["ytilde"] = ytilde
            outputs["yhat"] = yhat
            return yhat, outputs
    ''',
    "fwd_logsumexp": '''
        def forward(params, X):
            htilde = X.matmul(params["Wh"].transpose(0, 1)) + params["bh"]
            h = torch.tanh(htilde)
            ytilde = h.matmul(params["Wy"].transpose(0, 1)) + params["by"]
            shifted = ytilde - ytilde.max(dim=1, keepdim=True).values
            yhat = torch.exp(shifted - torch.log(torch.exp(shifted).sum(dim=1, keepdim=True)))
            return yhat, {"X": X, "htilde": htilde, "h": h, "ytilde": ytilde, "yhat": yhat}
    ''',
    "fwd_addmm_loop_rows": '''
        def forward(params, X):
            htilde = torch.addmm(params["bh"], X, params["Wh"].T)
            h = torch.tanh(htilde)
            ytilde = torch.addmm(params["by"], h, params["Wy"].T)
            rows = []
            for row in ytilde:
                e = torch.exp(row - row.max())
                rows.append(e / e.sum())
            yhat = torch.stack(rows) if rows else torch.empty_like(ytilde)
            return yhat, {"X": X, "htilde": htilde, "h": h, "ytilde": ytilde, "yhat": yhat}
    ''',
}

_FWD_WRONG = {
    # no max subtraction: inf / inf = nan for large scores
    "fwd_unstable_softmax": _edit(_FWD_BASE, ("scores = ytilde - ytilde.max(dim=1, keepdim=True).values", "scores = ytilde")),
    # one constant (global max) for the whole batch: rows far below the global max underflow to 0 / 0
    "fwd_global_max": _edit(_FWD_BASE, ("ytilde.max(dim=1, keepdim=True).values", "ytilde.max()")),
    # softmax along the batch axis
    "fwd_softmax_dim0": _edit(_FWD_BASE, ("ytilde.max(dim=1, keepdim=True).values", "ytilde.max(dim=0, keepdim=True).values"),
                              ("e.sum(dim=1, keepdim=True)", "e.sum(dim=0, keepdim=True)")),
    # stores the shifted scores under "ytilde"
    "fwd_stores_shifted_ytilde": _edit(_FWD_BASE, ('"ytilde": ytilde,', '"ytilde": scores,')),
    # forgets the hidden bias
    "fwd_no_hidden_bias": _edit(_FWD_BASE, ('htilde = X @ params["Wh"].T + params["bh"]', 'htilde = X @ params["Wh"].T')),
    # sigmoid instead of tanh
    "fwd_sigmoid": _edit(_FWD_BASE, ("h = torch.tanh(htilde)", "h = torch.sigmoid(htilde)")),
    # lazy: library softmax (the statement asks to program it)
    "fwd_library_softmax": _edit(_FWD_BASE, ("    scores = ytilde - ytilde.max(dim=1, keepdim=True).values\n"
                                             "    e = torch.exp(scores)\n"
                                             "    yhat = e / e.sum(dim=1, keepdim=True)\n",
                                             "    yhat = torch.softmax(ytilde, dim=1)\n")),
    # weights not transposed: X @ Wh only works when shapes happen to agree
    "fwd_untransposed_weights": _edit(_FWD_BASE, ('X @ params["Wh"].T', 'X @ params["Wh"]'),
                                      ('h @ params["Wy"].T', 'h @ params["Wy"]')),
}

# =============================================================================================
# loss_accuracy
# =============================================================================================

_LA_CORRECT = {
    "la_true_class_prob": '''
        def loss_accuracy(Yhat, Y):
            """Entropie croisée moyenne sur le lot (tenseur à un élément) et précision (nombre entre 0 et 1)."""
            p_true = (Y * Yhat).sum(dim=1)
            L = -torch.log(p_true).mean()
            acc = (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().mean().item()
            return L, acc
    ''',
    "la_xlogy": '''
        def loss_accuracy(Yhat, Y):
            N = Y.shape[0]
            L = -torch.xlogy(Y, Yhat).sum() / N
            _, pred = torch.max(Yhat, dim=1)
            _, true = torch.max(Y, dim=1)
            acc = (pred == true).sum().item() / N
            return L, acc
    ''',
    "la_gather_eps": '''
        def loss_accuracy(Yhat, Y):
            labels = Y.argmax(dim=1)
            p = Yhat.gather(1, labels.unsqueeze(1)).squeeze(1)
            L = -torch.log(p + 1e-12).mean()
            acc = float(torch.eq(Yhat.argmax(1), labels).double().mean())
            return L, acc
    ''',
    "la_where_float64": '''
        def loss_accuracy(Yhat, Y):
            logs = torch.where(Y > 0, torch.log(Yhat.double()), torch.zeros_like(Yhat, dtype=torch.float64))
            L = (-(Y.double() * logs).sum(dim=1).mean()).to(Yhat.dtype)
            correct = (torch.argmax(Yhat, dim=1) == torch.argmax(Y, dim=1))
            acc = correct.sum().item() / len(correct)
            return L, acc
    ''',
    "la_nll_loss": '''
        import torch.nn.functional as F


        def loss_accuracy(Yhat, Y):
            target = Y.argmax(dim=1)
            L = F.nll_loss(torch.log(Yhat), target)
            acc = (Yhat.argmax(dim=1) == target).to(torch.float32).mean().item()
            return L, acc
    ''',
    "la_loop_acc": '''
        def loss_accuracy(Yhat, Y):
            picked = Yhat[torch.arange(len(Y), device=Y.device), Y.argmax(dim=1)]
            L = torch.mean(-torch.log(picked))
            good = 0
            for i in range(len(Y)):
                if int(Yhat[i].argmax()) == int(Y[i].argmax()):
                    good += 1
            return L, good / len(Y)
    ''',
}

_LA_WRONG = {
    # sum over the batch instead of the mean
    "la_sum_not_mean": '''
        def loss_accuracy(Yhat, Y):
            L = -torch.log((Y * Yhat).sum(dim=1)).sum()
            acc = (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().mean().item()
            return L, acc
    ''',
    # naive log of every probability: 0 * log(0) = nan
    "la_naive_log": '''
        def loss_accuracy(Yhat, Y):
            L = -(Y * torch.log(Yhat)).sum(dim=1).mean()
            acc = (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().mean().item()
            return L, acc
    ''',
    # argmax along the wrong axis
    "la_acc_wrong_axis": '''
        def loss_accuracy(Yhat, Y):
            L = -torch.log((Y * Yhat).sum(dim=1)).mean()
            acc = (Yhat.argmax(dim=0) == Y.argmax(dim=0)).float().mean().item()
            return L, acc
    ''',
    # accuracy returned as a tensor, not a Python number
    "la_acc_tensor": '''
        def loss_accuracy(Yhat, Y):
            L = -torch.log((Y * Yhat).sum(dim=1)).mean()
            acc = (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().mean()
            return L, acc
    ''',
    # number of correct examples instead of the proportion
    "la_acc_count": '''
        def loss_accuracy(Yhat, Y):
            L = -torch.log((Y * Yhat).sum(dim=1)).mean()
            acc = (Yhat.argmax(dim=1) == Y.argmax(dim=1)).sum().item()
            return L, acc
    ''',
    # log base 10
    "la_log10": '''
        def loss_accuracy(Yhat, Y):
            L = -torch.log10((Y * Yhat).sum(dim=1)).mean()
            acc = (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().mean().item()
            return L, acc
    ''',
    # epsilon far too large (changes the value)
    "la_big_epsilon": '''
        def loss_accuracy(Yhat, Y):
            L = -torch.log((Y * Yhat).sum(dim=1) + 1e-2).mean()
            acc = (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().mean().item()
            return L, acc
    ''',
}

# =============================================================================================
# backward
# =============================================================================================

_BWD_BASE = '''
def backward(params, outputs, Y):
    """Gradients du coût moyen (entropie croisée) par rapport à Wh, bh, Wy et by, dans un dictionnaire."""
    N = Y.shape[0]
    G_y = (outputs["yhat"] - Y) / N
    grad_Wy = G_y.T @ outputs["h"]
    grad_by = G_y.sum(dim=0)
    G_h = (G_y @ params["Wy"]) * (1 - outputs["h"] ** 2)
    grad_Wh = G_h.T @ outputs["X"]
    grad_bh = G_h.sum(dim=0)
    return {"Wh": grad_Wh, "bh": grad_bh, "Wy": grad_Wy, "by": grad_by}
'''

_BWD_CORRECT = {
    "bwd_vectorised": _BWD_BASE,
    "bwd_outer_loop": '''
        def backward(params, outputs, Y):
            X, h, yhat = outputs["X"], outputs["h"], outputs["yhat"]
            N = X.shape[0]
            grads = {name: torch.zeros_like(value) for name, value in params.items()}
            for i in range(N):
                d_y = (yhat[i] - Y[i]) / N
                grads["Wy"] += torch.outer(d_y, h[i])
                grads["by"] += d_y
                d_h = (params["Wy"].T @ d_y) * (1 - h[i] ** 2)
                grads["Wh"] += torch.outer(d_h, X[i])
                grads["bh"] += d_h
            return grads
    ''',
    "bwd_einsum_tanh_recomputed": '''
        def backward(params, outputs, Y):
            n = len(outputs["X"])
            delta_out = (outputs["yhat"] - Y) / n
            delta_hidden = torch.einsum("ny,yh->nh", delta_out, params["Wy"]) * (1 - torch.tanh(outputs["htilde"]) ** 2)
            return {
                "Wy": torch.einsum("ny,nh->yh", delta_out, outputs["h"]),
                "by": torch.einsum("ny->y", delta_out),
                "Wh": torch.einsum("nh,nx->hx", delta_hidden, outputs["X"]),
                "bh": torch.einsum("nh->h", delta_hidden),
            }
    ''',
    "bwd_sum_then_divide": '''
        def backward(params, outputs, Y):
            # gradients de la somme des coûts, divisés par N à la fin
            N = Y.size(0)
            d_ytilde = outputs["yhat"] - Y
            d_h = d_ytilde.mm(params["Wy"])
            d_htilde = d_h * (1.0 - outputs["h"].pow(2))
            grads = {
                "Wy": d_ytilde.t().mm(outputs["h"]),
                "by": d_ytilde.sum(0),
                "Wh": d_htilde.t().mm(outputs["X"]),
                "bh": d_htilde.sum(0),
            }
            return {k: g / N for k, g in grads.items()}
    ''',
}

_BWD_WRONG = {
    # gradient of the sum, not the mean
    "bwd_no_mean": _edit(_BWD_BASE, ('G_y = (outputs["yhat"] - Y) / N', 'G_y = outputs["yhat"] - Y')),
    # forgets the tanh derivative
    "bwd_no_tanh_derivative": _edit(_BWD_BASE, ('G_h = (G_y @ params["Wy"]) * (1 - outputs["h"] ** 2)', 'G_h = G_y @ params["Wy"]')),
    # derivative evaluated on htilde instead of h
    "bwd_tanh_derivative_on_htilde": _edit(_BWD_BASE, ('(1 - outputs["h"] ** 2)', '(1 - outputs["htilde"] ** 2)')),
    # sign flipped
    "bwd_sign_flipped": _edit(_BWD_BASE, ('(outputs["yhat"] - Y) / N', '(Y - outputs["yhat"]) / N')),
    # bias gradients as a mean: divided by N twice
    "bwd_bias_mean": _edit(_BWD_BASE, ("grad_by = G_y.sum(dim=0)", "grad_by = G_y.mean(dim=0)"),
                           ("grad_bh = G_h.sum(dim=0)", "grad_bh = G_h.mean(dim=0)")),
    # hidden bias gradient forgotten
    "bwd_forgets_bh": _edit(_BWD_BASE, ("grad_bh = G_h.sum(dim=0)", "grad_bh = torch.zeros_like(params[\"bh\"])")),
    # transposed weight gradients, reshaped to fit
    "bwd_transposed_weights": _edit(_BWD_BASE, ('grad_Wy = G_y.T @ outputs["h"]', 'grad_Wy = (outputs["h"].T @ G_y).reshape(params["Wy"].shape)'),
                                    ('grad_Wh = G_h.T @ outputs["X"]', 'grad_Wh = (outputs["X"].T @ G_h).reshape(params["Wh"].shape)')),
    # lazy: autograd (forbidden by the statement)
    "bwd_autograd": '''
        def backward(params, outputs, Y):
            leaves = {k: v.detach().clone().requires_grad_(True) for k, v in params.items()}
            with torch.enable_grad():
                htilde = outputs["X"] @ leaves["Wh"].T + leaves["bh"]
                ytilde = torch.tanh(htilde) @ leaves["Wy"].T + leaves["by"]
                L = -(Y * torch.log_softmax(ytilde, dim=1)).sum(dim=1).mean()
                L.backward()
            return {k: v.grad for k, v in leaves.items()}
    ''',
}

# =============================================================================================
# sgd
# =============================================================================================

_SGD_CORRECT = {
    "sgd_new_dict": '''
        def sgd(params, grads, eta):
            """Un pas de descente de gradient de pas eta sur chaque paramètre ; renvoie les paramètres mis à jour."""
            return {name: params[name] - eta * grads[name] for name in params}
    ''',
    "sgd_inplace": '''
        def sgd(params, grads, eta):
            for name in params:
                params[name] -= eta * grads[name]
            return params
    ''',
    "sgd_sub_": '''
        def sgd(params, grads, eta):
            for key, value in params.items():
                value.sub_(grads[key], alpha=eta)
            return params
    ''',
    "sgd_loop_new": '''
        def sgd(params, grads, eta):
            updated = {}
            for name, w in params.items():
                updated[name] = torch.add(w, grads[name], alpha=-eta)
            return updated
    ''',
}

_SGD_WRONG = {
    "sgd_plus_sign": '''
        def sgd(params, grads, eta):
            return {name: params[name] + eta * grads[name] for name in params}
    ''',
    # only the weights are updated
    "sgd_weights_only": '''
        def sgd(params, grads, eta):
            return {name: (params[name] - eta * grads[name]) if name.startswith("W") else params[name] for name in params}
    ''',
    # returns nothing
    "sgd_returns_none": '''
        def sgd(params, grads, eta):
            params = {name: params[name] - eta * grads[name] for name in params}
    ''',
    # eta squared
    "sgd_eta_squared": '''
        def sgd(params, grads, eta):
            return {name: params[name] - eta * eta * grads[name] for name in params}
    ''',
    # divides by eta
    "sgd_divides": '''
        def sgd(params, grads, eta):
            return {name: params[name] - grads[name] / eta for name in params}
    ''',
}

# =============================================================================================
# train
# =============================================================================================

_TRAIN_BASE = '''
def train(params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
    """Descente de gradient stochastique par lots ; renvoie (params, history)."""
    history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
    N = X_train.shape[0]
    for epoch in tqdm(range(n_epochs), disable=not progress):
        perm = torch.randperm(N, device=X_train.device)
        for start in range(0, N, batch_size):
            idx = perm[start:start + batch_size]
            X_batch, Y_batch = X_train[idx], Y_train[idx]
            _, outputs = forward(params, X_batch)
            grads = backward(params, outputs, Y_batch)
            params = sgd(params, grads, eta)
        for split, X, Y in (("train", X_train, Y_train), ("test", X_test, Y_test)):
            Yhat, _ = forward(params, X)
            L, acc = loss_accuracy(Yhat, Y)
            history[f"{split}_loss"].append(L.item())
            history[f"{split}_acc"].append(float(acc))
    return params, history
'''

_TRAIN_CORRECT = {
    "train_randperm": _TRAIN_BASE,
    "train_split_tqdm_postfix": '''
        def train(params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
            history = {key: [] for key in ("train_loss", "train_acc", "test_loss", "test_acc")}
            bar = tqdm(range(n_epochs), disable=not progress, desc="apprentissage")
            for _ in bar:
                order = torch.randperm(len(X_train)).to(X_train.device)
                for batch in torch.split(order, batch_size):
                    outputs = forward(params, X_train[batch])[1]
                    params = sgd(params, backward(params, outputs, Y_train[batch]), eta)
                train_L, train_acc = loss_accuracy(forward(params, X_train)[0], Y_train)
                test_L, test_acc = loss_accuracy(forward(params, X_test)[0], Y_test)
                history["train_loss"].append(float(train_L))
                history["train_acc"].append(float(train_acc))
                history["test_loss"].append(float(test_L))
                history["test_acc"].append(float(test_acc))
                bar.set_postfix(loss=f"{float(train_L):.3f}", acc=f"{float(test_acc):.3f}")
            return params, history
    ''',
    "train_argsort_rand_print": '''
        def train(params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
            train_loss, train_acc, test_loss, test_acc = [], [], [], []
            n = len(X_train)
            n_batches = -(-n // batch_size)
            for epoch in tqdm(range(n_epochs), disable=not progress):
                shuffled = torch.argsort(torch.rand(n)).to(X_train.device)
                Xs, Ys = X_train[shuffled], Y_train[shuffled]
                for k in range(n_batches):
                    Xb = Xs[k * batch_size:(k + 1) * batch_size]
                    Yb = Ys[k * batch_size:(k + 1) * batch_size]
                    Yhat_b, out = forward(params, Xb)
                    params = sgd(params, backward(params, out, Yb), eta)
                L, a = loss_accuracy(forward(params, X_train)[0], Y_train)
                train_loss.append(L.item())
                train_acc.append(float(a))
                L, a = loss_accuracy(forward(params, X_test)[0], Y_test)
                test_loss.append(L.item())
                test_acc.append(float(a))
                if progress and (epoch + 1) % 50 == 0:
                    print(f"époque {epoch + 1} : perte {train_loss[-1]:.4f}, précision de test {test_acc[-1]:.3f}")
            history = {"train_loss": train_loss, "train_acc": train_acc, "test_loss": test_loss, "test_acc": test_acc}
            return params, history
    ''',
    "train_numpy_permutation": '''
        def train(params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
            history = dict(train_loss=[], train_acc=[], test_loss=[], test_acc=[])
            N = X_train.shape[0]
            for _ in tqdm(range(n_epochs), disable=not progress):
                order = torch.from_numpy(np.random.permutation(N)).to(X_train.device)
                i = 0
                while i < N:
                    rows = order[i:i + batch_size]
                    i += batch_size
                    _, outputs = forward(params, X_train[rows])
                    grads = backward(params, outputs, Y_train[rows])
                    params = sgd(params, grads, eta)
                with torch.no_grad():
                    for name, X, Y in (("train", X_train, Y_train), ("test", X_test, Y_test)):
                        L, acc = loss_accuracy(forward(params, X)[0], Y)
                        history[name + "_loss"].append(float(L))
                        history[name + "_acc"].append(float(acc))
            return params, history
    ''',
    "train_python_shuffle": '''
        import random as _random


        def train(params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
            history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
            indices = list(range(len(X_train)))
            with tqdm(total=n_epochs, disable=not progress) as bar:
                for _ in range(n_epochs):
                    _random.shuffle(indices)
                    for start in range(0, len(indices), batch_size):
                        batch = torch.tensor(indices[start:start + batch_size], device=X_train.device)
                        outputs = forward(params, X_train[batch])[1]
                        grads = backward(params, outputs, Y_train[batch])
                        params = sgd(params, grads, eta)
                    for X, Y, prefix in ((X_train, Y_train, "train"), (X_test, Y_test, "test")):
                        L, acc = loss_accuracy(forward(params, X)[0], Y)
                        history[prefix + "_loss"].append(L.item())
                        history[prefix + "_acc"].append(float(acc))
                    bar.update()
            return params, history
    ''',
}

_TRAIN_WRONG = {
    # last incomplete batch dropped
    "train_drops_last_batch": _edit(_TRAIN_BASE, ("range(0, N, batch_size)", "range(0, N - batch_size + 1, batch_size)")),
    # no shuffle
    "train_no_shuffle": _edit(_TRAIN_BASE, ("torch.randperm(N, device=X_train.device)", "torch.arange(N, device=X_train.device)")),
    # inputs and targets shuffled differently
    "train_shuffles_separately": _edit(_TRAIN_BASE, ("X_batch, Y_batch = X_train[idx], Y_train[idx]",
                                                     "X_batch, Y_batch = X_train[idx], Y_train[torch.randperm(N, device=X_train.device)[:len(idx)]]")),
    # "test" history measured on the training set
    "train_test_on_train": _edit(_TRAIN_BASE, ('("test", X_test, Y_test)', '("test", X_train, Y_train)')),
    # loss and accuracy of the last batch only
    "train_last_batch_metrics": _edit(_TRAIN_BASE, ('for split, X, Y in (("train", X_train, Y_train), ("test", X_test, Y_test)):',
                                                    'for split, X, Y in (("train", X_batch, Y_batch), ("test", X_test, Y_test)):')),
    # metrics measured before the epoch's updates
    "train_metrics_before_epoch": '''
        def train(params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
            history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
            N = X_train.shape[0]
            for epoch in tqdm(range(n_epochs), disable=not progress):
                for split, X, Y in (("train", X_train, Y_train), ("test", X_test, Y_test)):
                    L, acc = loss_accuracy(forward(params, X)[0], Y)
                    history[f"{split}_loss"].append(L.item())
                    history[f"{split}_acc"].append(float(acc))
                perm = torch.randperm(N, device=X_train.device)
                for start in range(0, N, batch_size):
                    idx = perm[start:start + batch_size]
                    _, outputs = forward(params, X_train[idx])
                    params = sgd(params, backward(params, outputs, Y_train[idx]), eta)
            return params, history
    ''',
    # result of sgd ignored (correct only when sgd happens to work in place)
    "train_ignores_sgd_result": _edit(_TRAIN_BASE, ("params = sgd(params, grads, eta)", "sgd(params, grads, eta)")),
    # history values left as tensors
    "train_tensor_history": _edit(_TRAIN_BASE, ('history[f"{split}_loss"].append(L.item())', 'history[f"{split}_loss"].append(L)')),
    # one permutation for the whole run instead of one per epoch
    "train_single_permutation": _edit(_TRAIN_BASE, ("    for epoch in tqdm(range(n_epochs), disable=not progress):\n"
                                                    "        perm = torch.randperm(N, device=X_train.device)\n",
                                                    "    perm = torch.randperm(N, device=X_train.device)\n"
                                                    "    for epoch in tqdm(range(n_epochs), disable=not progress):\n")),
}

# =============================================================================================
# prepare_digits
# =============================================================================================

_PD_CORRECT = {
    "pd_reshape_one_hot": '''
        def prepare_digits(images, labels):
            """Images (N, 8, 8) de 0 à 16 et chiffres (N,) -> X (N, 64) dans [0, 1] et Y (N, 10) one-hot, en float32."""
            X = images.reshape(len(images), 64).float() / 16
            Y = torch.nn.functional.one_hot(labels.long(), num_classes=10).float()
            return X, Y
    ''',
    "pd_flatten_eye": '''
        def prepare_digits(images, labels):
            X = torch.flatten(images, start_dim=1).to(torch.float32) / 16.0
            Y = torch.eye(10, dtype=torch.float32, device=labels.device)[labels.long()]
            return X, Y
    ''',
    "pd_view_scatter": '''
        def prepare_digits(images, labels):
            N = images.shape[0]
            X = images.contiguous().view(N, -1).to(dtype=torch.float32).div(16)
            Y = torch.zeros(N, 10, dtype=torch.float32, device=images.device)
            Y.scatter_(1, labels.long().view(-1, 1).to(images.device), 1.0)
            return X, Y
    ''',
    "pd_loop_one_hot": '''
        def prepare_digits(images, labels):
            X = (images.reshape(images.shape[0], -1) / 16).type(torch.float32)
            Y = torch.zeros((len(labels), 10), device=images.device)
            for i, digit in enumerate(labels.tolist()):
                Y[i, int(digit)] = 1.0
            return X, Y
    ''',
}

_PD_WRONG = {
    # one_hot without num_classes: fewer columns when the batch lacks the digit 9
    "pd_one_hot_no_num_classes": '''
        def prepare_digits(images, labels):
            X = images.reshape(len(images), 64).float() / 16
            Y = torch.nn.functional.one_hot(labels.long()).float()
            return X, Y
    ''',
    # scaled by the batch maximum instead of 16
    "pd_divides_by_max": '''
        def prepare_digits(images, labels):
            X = images.reshape(len(images), 64).float() / images.max()
            Y = torch.nn.functional.one_hot(labels.long(), num_classes=10).float()
            return X, Y
    ''',
    # column-major flattening
    "pd_column_major": '''
        def prepare_digits(images, labels):
            X = images.transpose(1, 2).reshape(len(images), 64).float() / 16
            Y = torch.nn.functional.one_hot(labels.long(), num_classes=10).float()
            return X, Y
    ''',
    # modifies the input images in place
    "pd_inplace_images": '''
        def prepare_digits(images, labels):
            images /= 16
            X = images.reshape(len(images), 64).float()
            Y = torch.nn.functional.one_hot(labels.long(), num_classes=10).float()
            return X, Y
    ''',
    # targets left as integers
    "pd_integer_targets": '''
        def prepare_digits(images, labels):
            X = images.reshape(len(images), 64).float() / 16
            Y = torch.nn.functional.one_hot(labels.long(), num_classes=10)
            return X, Y
    ''',
    # divided by 255 (image habit)
    "pd_divides_by_255": '''
        def prepare_digits(images, labels):
            X = images.reshape(len(images), 64).float() / 255
            Y = torch.nn.functional.one_hot(labels.long(), num_classes=10).float()
            return X, Y
    ''',
    # keeps the input dtype (float64 images give float64 X)
    "pd_keeps_dtype": '''
        def prepare_digits(images, labels):
            X = images.reshape(len(images), 64) / 16
            Y = torch.nn.functional.one_hot(labels.long(), num_classes=10).float()
            return X, Y
    ''',
}

# =============================================================================================
# digits_hparams
# =============================================================================================

_HP_CORRECT = {
    "hp_batch32": "digits_hparams = dict(nh=64, eta=0.5, n_epochs=40, batch_size=32)\n",
    "hp_batch64_wide": "digits_hparams = {\"nh\": 128, \"eta\": 1.0, \"n_epochs\": 80, \"batch_size\": 64}\n",
    "hp_batch16": "digits_hparams = dict(nh=100, eta=0.2, n_epochs=22, batch_size=16)\n",
    "hp_computed_steps": '''
        batch_size = 50
        n_epochs = 2000 // -(-1437 // batch_size)  # le plus d'époques possible en 2 000 pas
        digits_hparams = dict(nh=80, eta=0.8, n_epochs=n_epochs, batch_size=batch_size)
        print(digits_hparams, n_epochs * -(-1437 // batch_size), "pas")
    ''',
}

_HP_WRONG = {
    # more than 2000 gradient steps
    # 60 × ⌈1150 / 32⌉ = 2160 steps on the fit set (the statement now tunes on a validation split)
    "hp_too_many_steps": "digits_hparams = dict(nh=64, eta=0.5, n_epochs=60, batch_size=32)\n",
    # too many hidden units
    "hp_too_wide": "digits_hparams = dict(nh=512, eta=0.5, n_epochs=20, batch_size=32)\n",
    # learning rate far too small: under 95 %
    "hp_eta_too_small": "digits_hparams = dict(nh=64, eta=0.005, n_epochs=40, batch_size=32)\n",
    # misnamed key
    "hp_wrong_key": "digits_hparams = dict(nh=64, lr=0.5, n_epochs=40, batch_size=32)\n",
    # extra key
    "hp_extra_key": "digits_hparams = dict(nh=64, eta=0.5, n_epochs=40, batch_size=32, seed=0)\n",
    # diverges
    "hp_eta_too_large": "digits_hparams = dict(nh=64, eta=200.0, n_epochs=40, batch_size=32)\n",
    # too little training: a handful of steps
    "hp_too_few_steps": "digits_hparams = dict(nh=64, eta=0.5, n_epochs=1, batch_size=1437)\n",
}

# =============================================================================================

_CELLS = [
    ("init_params_code", _INIT_CORRECT, _INIT_WRONG),
    ("forward_code", _FWD_CORRECT, _FWD_WRONG),
    ("loss_accuracy_code", _LA_CORRECT, _LA_WRONG),
    ("backward_code", _BWD_CORRECT, _BWD_WRONG),
    ("sgd_code", _SGD_CORRECT, _SGD_WRONG),
    ("train_code", _TRAIN_CORRECT, _TRAIN_WRONG),
    ("prepare_digits_code", _PD_CORRECT, _PD_WRONG),
    ("digits_hparams_code", _HP_CORRECT, _HP_WRONG),
]

CORRECT = [_v(name, cell, code) for cell, good, _ in _CELLS for name, code in good.items()]
WRONG = [_v(name, cell, code) for cell, _, bad in _CELLS for name, code in bad.items()]
