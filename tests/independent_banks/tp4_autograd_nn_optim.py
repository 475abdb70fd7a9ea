"""Independent bank of student answers for TP4 (autograd, torch.nn, torch.optim).

Written from the student statement only (release notebook), without reading the teacher's
solution, the hidden tests or the course's own bank. CORRECT variants satisfy every promise of
the statement; each WRONG variant breaks one (a plausible bug, a lazy shortcut or a rule the
statement states), and differs from a correct answer on some input the statement covers.
"""
from __future__ import annotations

import textwrap

from coursekit.variants import Variant

ASSIGNMENT = "tp4_autograd_nn_optim"


def _v(name: str, cell: str, code: str, tests: tuple[str, ...] | None = None) -> Variant:
    if tests is None:
        tests = (cell[: -len("_code")] + "_tests",)
    return Variant(name, cell, textwrap.dedent(code).strip("\n") + "\n", tuple(tests))


# ---------------------------------------------------------------------------------------------
# Exercice 1 — init_params
# ---------------------------------------------------------------------------------------------
_IP = "init_params_code"
IP_CORRECT = [
    _v("ip_requires_grad_method", _IP, '''
        def init_params(nx, nh, ny, device=device):
            Wh = (0.3 * torch.randn(nh, nx)).to(device).requires_grad_()
            Wy = (0.3 * torch.randn(ny, nh)).to(device).requires_grad_()
            bh = torch.zeros(nh, device=device, requires_grad=True)
            by = torch.zeros(ny, device=device, requires_grad=True)
            return {"Wh": Wh, "bh": bh, "Wy": Wy, "by": by}
    '''),
    _v("ip_attribute_loop", _IP, '''
        def init_params(nx, nh, ny, device=device):
            params = {
                "Wh": torch.randn(nh, nx) * 0.3,
                "bh": torch.zeros(nh),
                "Wy": torch.randn(ny, nh) * 0.3,
                "by": torch.zeros(ny),
            }
            for name in params:
                params[name] = params[name].to(device=device, dtype=torch.float32)
                params[name].requires_grad = True
            return params
    '''),
    _v("ip_normal_detach", _IP, '''
        def init_params(nx, nh, ny, device=device):
            """Tirages sur le processeur (générateur global), puis copie sur le device : mêmes poids partout."""
            Wh = torch.normal(0.0, 0.3, size=(nh, nx))
            Wy = torch.normal(0.0, 0.3, size=(ny, nh))
            return dict(
                Wh=Wh.detach().to(device).requires_grad_(True),
                bh=torch.zeros(nh, dtype=torch.float32, device=device).requires_grad_(True),
                Wy=Wy.detach().to(device).requires_grad_(True),
                by=torch.zeros(ny, dtype=torch.float32, device=device).requires_grad_(True),
            )
    '''),
]
IP_WRONG = [
    _v("ip_not_leaves", _IP, '''
        def init_params(nx, nh, ny, device=device):
            return {"Wh": 0.3 * torch.randn(nh, nx, device=device, requires_grad=True),
                    "bh": torch.zeros(nh, device=device, requires_grad=True),
                    "Wy": 0.3 * torch.randn(ny, nh, device=device, requires_grad=True),
                    "by": torch.zeros(ny, device=device, requires_grad=True)}
    '''),
    _v("ip_wy_drawn_first", _IP, '''
        def init_params(nx, nh, ny, device=device):
            Wy = (0.3 * torch.randn(ny, nh)).to(device).requires_grad_()
            Wh = (0.3 * torch.randn(nh, nx)).to(device).requires_grad_()
            return {"Wh": Wh, "bh": torch.zeros(nh, device=device, requires_grad=True),
                    "Wy": Wy, "by": torch.zeros(ny, device=device, requires_grad=True)}
    '''),
    _v("ip_variance_not_std", _IP, '''
        def init_params(nx, nh, ny, device=device):
            Wh = (0.09 * torch.randn(nh, nx)).to(device).requires_grad_()
            Wy = (0.09 * torch.randn(ny, nh)).to(device).requires_grad_()
            return {"Wh": Wh, "bh": torch.zeros(nh, device=device, requires_grad=True),
                    "Wy": Wy, "by": torch.zeros(ny, device=device, requires_grad=True)}
    '''),
    _v("ip_transposed_shapes", _IP, '''
        def init_params(nx, nh, ny, device=device):
            Wh = (0.3 * torch.randn(nx, nh)).T.contiguous().to(device).requires_grad_()
            Wy = (0.3 * torch.randn(nh, ny)).T.contiguous().to(device).requires_grad_()
            return {"Wh": Wh, "bh": torch.zeros(nh, device=device, requires_grad=True),
                    "Wy": Wy, "by": torch.zeros(ny, device=device, requires_grad=True)}
    '''),
    _v("ip_biases_untracked", _IP, '''
        def init_params(nx, nh, ny, device=device):
            Wh = (0.3 * torch.randn(nh, nx)).to(device).requires_grad_()
            Wy = (0.3 * torch.randn(ny, nh)).to(device).requires_grad_()
            return {"Wh": Wh, "bh": torch.zeros(nh, device=device), "Wy": Wy, "by": torch.zeros(ny, device=device)}
    '''),
]

# ---------------------------------------------------------------------------------------------
# Exercice 2 — sgd (étape 1)
# ---------------------------------------------------------------------------------------------
_S1 = "sgd_autograd_code"
S1_CORRECT = [
    _v("s1_sub_zero", _S1, '''
        def sgd(params, eta):
            with torch.no_grad():
                for w in params.values():
                    w -= eta * w.grad
                    w.grad.zero_()
    '''),
    _v("s1_add_alpha_grad_none", _S1, '''
        def sgd(params, eta):
            for name in params:
                with torch.no_grad():
                    params[name].add_(params[name].grad, alpha=-eta)
                params[name].grad = None
    '''),
    _v("s1_two_loops_sub_", _S1, '''
        def sgd(params, eta):
            with torch.no_grad():
                for w in params.values():
                    w.sub_(eta * w.grad)
            for w in params.values():
                w.grad.zero_()
    '''),
]
S1_WRONG = [
    _v("s1_no_zero_grad", _S1, '''
        def sgd(params, eta):
            with torch.no_grad():
                for w in params.values():
                    w -= eta * w.grad
    '''),
    _v("s1_rebinds_new_tensor", _S1, '''
        def sgd(params, eta):
            for name, w in params.items():
                params[name] = (w - eta * w.grad).detach().requires_grad_()
    '''),
    _v("s1_plus_sign", _S1, '''
        def sgd(params, eta):
            with torch.no_grad():
                for w in params.values():
                    w += eta * w.grad
                    w.grad.zero_()
    '''),
    _v("s1_skips_biases", _S1, '''
        def sgd(params, eta):
            with torch.no_grad():
                for name in ("Wh", "Wy"):
                    params[name] -= eta * params[name].grad
            for w in params.values():
                w.grad.zero_()
    '''),
    _v("s1_optimizer_shortcut", _S1, '''
        def sgd(params, eta):
            optimizer = torch.optim.SGD(list(params.values()), lr=eta)
            optimizer.step()
            optimizer.zero_grad(set_to_none=False)
    '''),
]

# ---------------------------------------------------------------------------------------------
# Exercices 3, 7, 9 — les boucles d'apprentissage (même structure)
# ---------------------------------------------------------------------------------------------
def _loop(signature, batch_step, measure, *, order="perm = torch.randperm(N)",
          batches="for start in range(0, N, batch_size):\n            idx = perm[start:start + batch_size]",
          ret="params", bar="tqdm(range(n_epochs), disable=not progress)"):
    return f'''
def {signature}:
    history = {{"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}}
    N = X_train.shape[0]
    for epoch in {bar}:
        {order}
        {batches}
            {batch_step}
        with torch.no_grad():
            {measure}
    return {ret}, history
'''


_TA = "train_autograd_code"
_TA_SIG = "train_autograd(params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True)"
_TA_STEP = '''Yhat, _ = forward(params, X_train[idx])
            L, _ = loss_accuracy(Yhat, Y_train[idx])
            L.backward()
            sgd(params, eta)'''
_TA_MEASURE = '''for split, X, Y in (("train", X_train, Y_train), ("test", X_test, Y_test)):
                L, acc = loss_accuracy(forward(params, X)[0], Y)
                history[f"{split}_loss"].append(float(L))
                history[f"{split}_acc"].append(float(acc))'''

TA_CORRECT = [
    _v("ta_index_slices", _TA, _loop(_TA_SIG, _TA_STEP, _TA_MEASURE)),
    _v("ta_perm_split", _TA, '''
        def train_autograd(params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
            history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
            bar = tqdm(range(n_epochs), disable=not progress)
            for epoch in bar:
                perm = torch.randperm(len(X_train))
                for idx in perm.split(batch_size):
                    idx = idx.to(X_train.device)
                    L, _ = loss_accuracy(forward(params, X_train[idx])[0], Y_train[idx])
                    L.backward()
                    sgd(params, eta)
                with torch.no_grad():
                    train_L, train_acc = loss_accuracy(forward(params, X_train)[0], Y_train)
                    test_L, test_acc = loss_accuracy(forward(params, X_test)[0], Y_test)
                history["train_loss"].append(train_L.item())
                history["train_acc"].append(float(train_acc))
                history["test_loss"].append(test_L.item())
                history["test_acc"].append(float(test_acc))
                bar.set_postfix(loss=history["train_loss"][-1], refresh=False)
            return params, history
    '''),
    _v("ta_shuffled_copies_print", _TA, '''
        def train_autograd(params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
            keys = ("train_loss", "train_acc", "test_loss", "test_acc")
            history = {key: [] for key in keys}
            n = len(X_train)
            for epoch in tqdm(range(n_epochs), disable=not progress):
                order = torch.randperm(n)
                Xs, Ys = X_train[order], Y_train[order]   # mêmes lignes pour X et Y
                n_batches = (n + batch_size - 1) // batch_size
                for b in range(n_batches):
                    Xb = Xs[b * batch_size:(b + 1) * batch_size]
                    Yb = Ys[b * batch_size:(b + 1) * batch_size]
                    Yhat = forward(params, Xb)[0]
                    L = loss_accuracy(Yhat, Yb)[0]
                    L.backward()
                    sgd(params, eta)
                with torch.no_grad():
                    values = loss_accuracy(forward(params, X_train)[0], Y_train) + loss_accuracy(forward(params, X_test)[0], Y_test)
                for key, v in zip(keys, values):
                    history[key].append(float(v))
                if progress and epoch % 10 == 0:
                    print(f"époque {epoch} : {history['train_loss'][-1]:.4f}")
            return params, history
    '''),
]
TA_WRONG = [
    _v("ta_no_shuffle", _TA, _loop(_TA_SIG, _TA_STEP, _TA_MEASURE, order="perm = torch.arange(N)")),
    _v("ta_inputs_targets_shuffled_differently", _TA, _loop(_TA_SIG, '''Yhat, _ = forward(params, X_train[idx])
            L, _ = loss_accuracy(Yhat, Y_train[torch.randperm(N)[:len(idx)]])
            L.backward()
            sgd(params, eta)''', _TA_MEASURE)),
    _v("ta_drops_last_batch", _TA, _loop(_TA_SIG, _TA_STEP, _TA_MEASURE,
        batches="for start in range(0, N - batch_size + 1, batch_size):\n            idx = perm[start:start + batch_size]")),
    _v("ta_history_from_last_batch", _TA, '''
        def train_autograd(params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
            history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
            N = len(X_train)
            for epoch in tqdm(range(n_epochs), disable=not progress):
                perm = torch.randperm(N)
                for start in range(0, N, batch_size):
                    idx = perm[start:start + batch_size]
                    L, acc = loss_accuracy(forward(params, X_train[idx])[0], Y_train[idx])
                    L.backward()
                    sgd(params, eta)
                with torch.no_grad():
                    test_L, test_acc = loss_accuracy(forward(params, X_test)[0], Y_test)
                history["train_loss"].append(float(L))
                history["train_acc"].append(float(acc))
                history["test_loss"].append(float(test_L))
                history["test_acc"].append(float(test_acc))
            return params, history
    '''),
    _v("ta_test_measured_on_train", _TA, _loop(_TA_SIG, _TA_STEP, '''for split in ("train", "test"):
                L, acc = loss_accuracy(forward(params, X_train)[0], Y_train)
                history[f"{split}_loss"].append(float(L))
                history[f"{split}_acc"].append(float(acc))''')),
    _v("ta_full_batch", _TA, _loop(_TA_SIG, _TA_STEP, _TA_MEASURE,
        batches="for idx in [perm]:")),
]

# ---------------------------------------------------------------------------------------------
# Exercice 4 — init_model (étape 2)
# ---------------------------------------------------------------------------------------------
_IM = "init_model_nn_code"
IM_CORRECT = [
    _v("im_sequential", _IM, '''
        def init_model(nx, nh, ny, device=device):
            model = torch.nn.Sequential(torch.nn.Linear(nx, nh), torch.nn.Tanh(), torch.nn.Linear(nh, ny))
            return model.to(device), torch.nn.CrossEntropyLoss()
    '''),
    _v("im_ordered_dict", _IM, '''
        from collections import OrderedDict


        def init_model(nx, nh, ny, device=device):
            model = torch.nn.Sequential(OrderedDict([
                ("hidden", torch.nn.Linear(nx, nh)),
                ("tanh", torch.nn.Tanh()),
                ("scores", torch.nn.Linear(nh, ny)),
            ]))
            model.to(device)
            loss = torch.nn.CrossEntropyLoss(reduction="mean")
            return model, loss
    '''),
    _v("im_nn_alias_device_kw", _IM, '''
        from torch import nn


        def init_model(nx, nh, ny, device=device):
            layers = [nn.Linear(nx, nh, device=device), nn.Tanh(), nn.Linear(nh, ny, device=device)]
            return nn.Sequential(*layers), nn.CrossEntropyLoss()
    '''),
]
IM_WRONG = [
    _v("im_softmax_layer", _IM, '''
        def init_model(nx, nh, ny, device=device):
            model = torch.nn.Sequential(torch.nn.Linear(nx, nh), torch.nn.Tanh(), torch.nn.Linear(nh, ny), torch.nn.Softmax(dim=1))
            return model.to(device), torch.nn.CrossEntropyLoss()
    '''),
    _v("im_relu_activation", _IM, '''
        def init_model(nx, nh, ny, device=device):
            model = torch.nn.Sequential(torch.nn.Linear(nx, nh), torch.nn.ReLU(), torch.nn.Linear(nh, ny))
            return model.to(device), torch.nn.CrossEntropyLoss()
    '''),
    _v("im_mse_loss", _IM, '''
        def init_model(nx, nh, ny, device=device):
            model = torch.nn.Sequential(torch.nn.Linear(nx, nh), torch.nn.Tanh(), torch.nn.Linear(nh, ny))
            return model.to(device), torch.nn.MSELoss()
    '''),
    _v("im_seeds_inside", _IM, '''
        def init_model(nx, nh, ny, device=device):
            torch.manual_seed(0)
            model = torch.nn.Sequential(torch.nn.Linear(nx, nh), torch.nn.Tanh(), torch.nn.Linear(nh, ny))
            return model.to(device), torch.nn.CrossEntropyLoss()
    '''),
    _v("im_sum_reduction", _IM, '''
        def init_model(nx, nh, ny, device=device):
            model = torch.nn.Sequential(torch.nn.Linear(nx, nh), torch.nn.Tanh(), torch.nn.Linear(nh, ny))
            return model.to(device), torch.nn.CrossEntropyLoss(reduction="sum")
    '''),
]

# ---------------------------------------------------------------------------------------------
# Exercice 5 — loss_accuracy (étape 2)
# ---------------------------------------------------------------------------------------------
_LA = "loss_accuracy_code"
LA_CORRECT = [
    _v("la_argmax_mean", _LA, '''
        def loss_accuracy(loss, Yhat, Y):
            L = loss(Yhat, Y)
            acc = (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().mean().item()
            return L, acc
    '''),
    _v("la_no_grad_count", _LA, '''
        def loss_accuracy(loss, Yhat, Y):
            L = loss(Yhat, Y)
            with torch.no_grad():
                correct = (torch.argmax(Yhat, dim=-1) == torch.argmax(Y, dim=-1)).sum().item()
            return L, correct / Y.shape[0]
    '''),
    _v("la_max_indices_softmax", _LA, '''
        def loss_accuracy(loss, Yhat, Y):
            predicted = torch.softmax(Yhat.detach(), dim=1).max(dim=1).indices  # SoftMax garde l'ordre : inutile, mais juste
            acc = float((predicted == Y.max(dim=1).indices).double().mean())
            return loss(Yhat, Y), acc
    '''),
]
LA_WRONG = [
    _v("la_loss_as_number", _LA, '''
        def loss_accuracy(loss, Yhat, Y):
            return loss(Yhat, Y).item(), (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().mean().item()
    '''),
    _v("la_softmax_before_loss", _LA, '''
        def loss_accuracy(loss, Yhat, Y):
            L = loss(torch.softmax(Yhat, dim=1), Y)
            return L, (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().mean().item()
    '''),
    _v("la_argmax_wrong_axis", _LA, '''
        def loss_accuracy(loss, Yhat, Y):
            L = loss(Yhat, Y)
            acc = (Yhat.argmax(dim=0) == Y.argmax(dim=0)).float().mean().item()
            return L, acc
    '''),
    _v("la_accuracy_tensor", _LA, '''
        def loss_accuracy(loss, Yhat, Y):
            return loss(Yhat, Y), (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().mean()
    '''),
    _v("la_tp3_formula_on_scores", _LA, '''
        def loss_accuracy(loss, Yhat, Y):
            L = -torch.log((Yhat * Y).sum(dim=1).clamp(min=1e-12)).mean()
            return L, (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().mean().item()
    '''),
]

# ---------------------------------------------------------------------------------------------
# Exercice 6 — sgd (étape 2)
# ---------------------------------------------------------------------------------------------
_S2 = "sgd_nn_code"
S2_CORRECT = [
    _v("s2_loop_then_zero_grad", _S2, '''
        def sgd(model, eta):
            with torch.no_grad():
                for p in model.parameters():
                    p -= eta * p.grad
            model.zero_grad()
    '''),
    _v("s2_list_grad_none", _S2, '''
        def sgd(model, eta):
            params = list(model.parameters())
            with torch.no_grad():
                for p in params:
                    if p.grad is not None:
                        p.add_(p.grad, alpha=-eta)
            for p in params:
                p.grad = None
    '''),
    _v("s2_named_parameters_zero_keep", _S2, '''
        def sgd(model, eta):
            with torch.no_grad():
                for name, p in model.named_parameters():
                    p.sub_(eta * p.grad)
            model.zero_grad(set_to_none=False)
    '''),
]
S2_WRONG = [
    _v("s2_zero_grad_inside_loop", _S2, '''
        def sgd(model, eta):
            for p in model.parameters():
                with torch.no_grad():
                    p -= eta * p.grad
                model.zero_grad()
    '''),
    _v("s2_no_zero_grad", _S2, '''
        def sgd(model, eta):
            with torch.no_grad():
                for p in model.parameters():
                    p -= eta * p.grad
    '''),
    _v("s2_only_first_layer", _S2, '''
        def sgd(model, eta):
            with torch.no_grad():
                model[0].weight -= eta * model[0].weight.grad
                model[0].bias -= eta * model[0].bias.grad
            model.zero_grad()
    '''),
    _v("s2_optimizer_shortcut", _S2, '''
        def sgd(model, eta):
            optimizer = torch.optim.SGD(model.parameters(), lr=eta)
            optimizer.step()
            optimizer.zero_grad()
    '''),
    _v("s2_data_rebind", _S2, '''
        def sgd(model, eta):
            for p in model.parameters():
                p.data = p.data - eta * p.grad * 0.5
            model.zero_grad()
    '''),
]

# ---------------------------------------------------------------------------------------------
# Exercice 7 — train_nn
# ---------------------------------------------------------------------------------------------
_TN = "train_nn_code"
_TN_SIG = "train_nn(model, loss, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True)"
_TN_STEP = '''L, _ = loss_accuracy(loss, model(X_train[idx]), Y_train[idx])
            L.backward()
            sgd(model, eta)'''
_TN_MEASURE = '''for split, X, Y in (("train", X_train, Y_train), ("test", X_test, Y_test)):
                L, acc = loss_accuracy(loss, model(X), Y)
                history[f"{split}_loss"].append(float(L))
                history[f"{split}_acc"].append(float(acc))'''
TN_CORRECT = [
    _v("tn_index_slices", _TN, _loop(_TN_SIG, _TN_STEP, _TN_MEASURE, ret="model")),
    _v("tn_perm_split_bar", _TN, _loop(_TN_SIG, _TN_STEP, _TN_MEASURE, ret="model",
        order="perm = torch.randperm(len(X_train))", batches="for idx in torch.split(perm, batch_size):",
        bar="tqdm(range(n_epochs), disable=not progress, desc='époques')")),
    _v("tn_eval_mode_items", _TN, '''
        def train_nn(model, loss, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
            history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
            n = X_train.shape[0]
            for _ in tqdm(range(n_epochs), disable=not progress):
                model.train()
                perm = torch.randperm(n)
                Xs, Ys = X_train[perm], Y_train[perm]
                for start in range(0, n, batch_size):
                    L, _ = loss_accuracy(loss, model(Xs[start:start + batch_size]), Ys[start:start + batch_size])
                    L.backward()
                    sgd(model, eta)
                model.eval()
                with torch.no_grad():
                    L_train, acc_train = loss_accuracy(loss, model(X_train), Y_train)
                    L_test, acc_test = loss_accuracy(loss, model(X_test), Y_test)
                history["train_loss"].append(L_train.item())
                history["train_acc"].append(float(acc_train))
                history["test_loss"].append(L_test.item())
                history["test_acc"].append(float(acc_test))
            return model, history
    '''),
]
TN_WRONG = [
    _v("tn_no_shuffle", _TN, _loop(_TN_SIG, _TN_STEP, _TN_MEASURE, ret="model", order="perm = torch.arange(N)")),
    _v("tn_softmax_scores", _TN, _loop(_TN_SIG, '''L, _ = loss_accuracy(loss, torch.softmax(model(X_train[idx]), dim=1), Y_train[idx])
            L.backward()
            sgd(model, eta)''', _TN_MEASURE, ret="model")),
    _v("tn_drops_last_batch", _TN, _loop(_TN_SIG, _TN_STEP, _TN_MEASURE, ret="model",
        batches="for start in range(0, N - batch_size + 1, batch_size):\n            idx = perm[start:start + batch_size]")),
    _v("tn_manual_update_no_sgd_zero", _TN, _loop(_TN_SIG, '''L, _ = loss_accuracy(loss, model(X_train[idx]), Y_train[idx])
            L.backward()
            with torch.no_grad():
                for p in model.parameters():
                    p -= eta * p.grad''', _TN_MEASURE, ret="model")),
    _v("tn_test_measured_on_train", _TN, _loop(_TN_SIG, _TN_STEP, '''for split in ("train", "test"):
                L, acc = loss_accuracy(loss, model(X_train), Y_train)
                history[f"{split}_loss"].append(float(L))
                history[f"{split}_acc"].append(float(acc))''', ret="model")),
]

# ---------------------------------------------------------------------------------------------
# Exercice 8 — init_model (étape 3)
# ---------------------------------------------------------------------------------------------
_IO = "init_model_optim_code"
IO_CORRECT = [
    _v("io_sequential", _IO, '''
        def init_model(nx, nh, ny, eta, device=device):
            model = torch.nn.Sequential(torch.nn.Linear(nx, nh), torch.nn.Tanh(), torch.nn.Linear(nh, ny)).to(device)
            return model, torch.nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=eta)
    '''),
    _v("io_list_params", _IO, '''
        def init_model(nx, nh, ny, eta, device=device):
            model = torch.nn.Sequential(torch.nn.Linear(nx, nh), torch.nn.Tanh(), torch.nn.Linear(nh, ny))
            model = model.to(device)  # avant de créer l'optimiseur
            optim = torch.optim.SGD(list(model.parameters()), lr=eta, momentum=0.0)
            loss = torch.nn.CrossEntropyLoss()
            return model, loss, optim
    '''),
    _v("io_param_groups", _IO, '''
        from torch import nn, optim as optimizers


        def init_model(nx, nh, ny, eta, device=device):
            model = nn.Sequential(nn.Linear(nx, nh), nn.Tanh(), nn.Linear(nh, ny)).to(device)
            optim = optimizers.SGD([{"params": model.parameters()}], lr=eta)
            return (model, nn.CrossEntropyLoss(), optim)
    '''),
]
IO_WRONG = [
    _v("io_momentum", _IO, '''
        def init_model(nx, nh, ny, eta, device=device):
            model = torch.nn.Sequential(torch.nn.Linear(nx, nh), torch.nn.Tanh(), torch.nn.Linear(nh, ny)).to(device)
            return model, torch.nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=eta, momentum=0.9)
    '''),
    _v("io_last_layer_only", _IO, '''
        def init_model(nx, nh, ny, eta, device=device):
            model = torch.nn.Sequential(torch.nn.Linear(nx, nh), torch.nn.Tanh(), torch.nn.Linear(nh, ny)).to(device)
            return model, torch.nn.CrossEntropyLoss(), torch.optim.SGD(model[2].parameters(), lr=eta)
    '''),
    _v("io_adam", _IO, '''
        def init_model(nx, nh, ny, eta, device=device):
            model = torch.nn.Sequential(torch.nn.Linear(nx, nh), torch.nn.Tanh(), torch.nn.Linear(nh, ny)).to(device)
            return model, torch.nn.CrossEntropyLoss(), torch.optim.Adam(model.parameters(), lr=eta)
    '''),
    _v("io_weight_decay", _IO, '''
        def init_model(nx, nh, ny, eta, device=device):
            model = torch.nn.Sequential(torch.nn.Linear(nx, nh), torch.nn.Tanh(), torch.nn.Linear(nh, ny)).to(device)
            return model, torch.nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=eta, weight_decay=1e-3)
    '''),
    _v("io_softmax_layer", _IO, '''
        def init_model(nx, nh, ny, eta, device=device):
            model = torch.nn.Sequential(torch.nn.Linear(nx, nh), torch.nn.Tanh(), torch.nn.Linear(nh, ny),
                                        torch.nn.Softmax(dim=1)).to(device)
            return model, torch.nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=eta)
    '''),
]

# ---------------------------------------------------------------------------------------------
# Exercice 9 — train_optim
# ---------------------------------------------------------------------------------------------
_TO = "train_optim_code"
_TO_SIG = "train_optim(model, loss, optim, X_train, Y_train, X_test, Y_test, n_epochs, batch_size, progress=True)"
_TO_STEP = '''optim.zero_grad()
            L, _ = loss_accuracy(loss, model(X_train[idx]), Y_train[idx])
            L.backward()
            optim.step()'''
TO_CORRECT = [
    _v("to_index_slices", _TO, _loop(_TO_SIG, _TO_STEP, _TN_MEASURE, ret="model")),
    _v("to_keep_zeros_split", _TO, _loop(_TO_SIG, '''optim.zero_grad(set_to_none=False)
            L, _ = loss_accuracy(loss, model(X_train[idx]), Y_train[idx])
            L.backward()
            optim.step()''', _TN_MEASURE, ret="model",
        order="perm = torch.randperm(X_train.shape[0])", batches="for idx in perm.split(batch_size):")),
    _v("to_zero_after_step_bar", _TO, '''
        def train_optim(model, loss, optim, X_train, Y_train, X_test, Y_test, n_epochs, batch_size, progress=True):
            history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
            optim.zero_grad()
            bar = tqdm(range(n_epochs), disable=not progress)
            for epoch in bar:
                perm = torch.randperm(len(X_train))
                for start in range(0, len(X_train), batch_size):
                    idx = perm[start:start + batch_size]
                    L, _ = loss_accuracy(loss, model(X_train[idx]), Y_train[idx])
                    L.backward()
                    optim.step()
                    optim.zero_grad()
                with torch.no_grad():
                    for split, X, Y in (("train", X_train, Y_train), ("test", X_test, Y_test)):
                        L, acc = loss_accuracy(loss, model(X), Y)
                        history[split + "_loss"].append(L.item())
                        history[split + "_acc"].append(float(acc))
                bar.set_postfix(train=history["train_loss"][-1], test=history["test_acc"][-1], refresh=False)
            return model, history
    '''),
]
TO_WRONG = [
    _v("to_no_zero_grad", _TO, _loop(_TO_SIG, '''L, _ = loss_accuracy(loss, model(X_train[idx]), Y_train[idx])
            L.backward()
            optim.step()''', _TN_MEASURE, ret="model")),
    _v("to_step_before_backward", _TO, _loop(_TO_SIG, '''optim.zero_grad()
            L, _ = loss_accuracy(loss, model(X_train[idx]), Y_train[idx])
            optim.step()
            L.backward()''', _TN_MEASURE, ret="model")),
    _v("to_zero_between_backward_and_step", _TO, _loop(_TO_SIG, '''L, _ = loss_accuracy(loss, model(X_train[idx]), Y_train[idx])
            L.backward()
            optim.zero_grad()
            optim.step()''', _TN_MEASURE, ret="model")),
    _v("to_new_optimizer_fixed_lr", _TO, _loop(_TO_SIG, '''opt = torch.optim.SGD(model.parameters(), lr=0.5)
            opt.zero_grad()
            L, _ = loss_accuracy(loss, model(X_train[idx]), Y_train[idx])
            L.backward()
            opt.step()''', _TN_MEASURE, ret="model")),
    _v("to_no_shuffle", _TO, _loop(_TO_SIG, _TO_STEP, _TN_MEASURE, ret="model", order="perm = torch.arange(N)")),
    _v("to_drops_last_batch", _TO, _loop(_TO_SIG, _TO_STEP, _TN_MEASURE, ret="model",
        batches="for start in range(0, N - batch_size + 1, batch_size):\n            idx = perm[start:start + batch_size]")),
]

# ---------------------------------------------------------------------------------------------
# Exercice 10 — digits_hparams
# ---------------------------------------------------------------------------------------------
_DH = "digits_hparams_code"
DH_CORRECT = [
    _v("dh_medium", _DH, '''
        digits_hparams = dict(nh=100, eta=0.5, n_epochs=40, batch_size=32)
    '''),
    _v("dh_wide_large_batches", _DH, '''
        digits_hparams = {"nh": 256, "eta": 1.0, "n_epochs": 60, "batch_size": 64}
    '''),
    _v("dh_small_batches", _DH, '''
        digits_hparams = dict(nh=64, eta=0.2, n_epochs=20, batch_size=16)
    '''),
]
DH_WRONG = [
    _v("dh_too_many_steps", _DH, '''
        digits_hparams = dict(nh=100, eta=0.5, n_epochs=100, batch_size=32)
    '''),
    _v("dh_too_wide", _DH, '''
        digits_hparams = dict(nh=512, eta=0.5, n_epochs=40, batch_size=32)
    '''),
    _v("dh_too_few_epochs", _DH, '''
        digits_hparams = dict(nh=100, eta=0.05, n_epochs=2, batch_size=64)
    '''),
    _v("dh_missing_key", _DH, '''
        digits_hparams = dict(nh=100, lr=0.5, n_epochs=40, batch_size=32)
    '''),
    _v("dh_underfit_small_net", _DH, '''
        digits_hparams = dict(nh=16, eta=0.1, n_epochs=10, batch_size=72)
    '''),
]

CORRECT = (IP_CORRECT + S1_CORRECT + TA_CORRECT + IM_CORRECT + LA_CORRECT + S2_CORRECT + TN_CORRECT
           + IO_CORRECT + TO_CORRECT + DH_CORRECT)
WRONG = (IP_WRONG + S1_WRONG + TA_WRONG + IM_WRONG + LA_WRONG + S2_WRONG + TN_WRONG
         + IO_WRONG + TO_WRONG + DH_WRONG)
