"""Validity bank for TP3 — Rétropropagation manuelle (init_params, forward, loss_accuracy, backward,
sgd, train, prepare_digits, digits_hparams).

Conventions in tests/banks/__init__.py.
"""
from coursekit.variants import Variant, mutant
from tests.independent_banks import independent_variants

ASSIGNMENT = "tp3_retropropagation"

INIT_TESTS = ("init_params_tests",)
FORWARD_TESTS = ("forward_tests",)
LOSS_TESTS = ("loss_accuracy_tests",)
BACKWARD_TESTS = ("backward_tests",)
SGD_TESTS = ("sgd_tests",)
TRAIN_TESTS = ("train_tests",)
PREPARE_TESTS = ("prepare_digits_tests",)
HPARAMS_TESTS = ("digits_hparams_tests",)

# Answers whose checks involve randomness (initial weights, order of the examples): graded under many RNG streams.
RANDOM_ANSWERS = {"init_params_code": INIT_TESTS, "train_code": TRAIN_TESTS}


# ---------------------------------------------------------------------------------------------
# Wrong answers
# ---------------------------------------------------------------------------------------------

WRONG = [
    # --- init_params ---------------------------------------------------------------------------
    mutant(ASSIGNMENT, "init_standard_deviation_one", "init_params_code", INIT_TESTS,
          ('"Wh": 0.3 * torch.randn(nh, nx, device=device)', '"Wh": torch.randn(nh, nx, device=device)'),
          ('"Wy": 0.3 * torch.randn(ny, nh, device=device)', '"Wy": torch.randn(ny, nh, device=device)')),
    mutant(ASSIGNMENT, "init_variance_taken_as_scale", "init_params_code", INIT_TESTS,
          ('"Wh": 0.3 * torch.randn(nh, nx, device=device)', '"Wh": 0.3**2 * torch.randn(nh, nx, device=device)'),
          ('"Wy": 0.3 * torch.randn(ny, nh, device=device)', '"Wy": 0.3**2 * torch.randn(ny, nh, device=device)')),
    mutant(ASSIGNMENT, "init_weights_transposed", "init_params_code", INIT_TESTS,
          ('"Wh": 0.3 * torch.randn(nh, nx, device=device)', '"Wh": 0.3 * torch.randn(nx, nh, device=device)'),
          ('"Wy": 0.3 * torch.randn(ny, nh, device=device)', '"Wy": 0.3 * torch.randn(nh, ny, device=device)')),
    mutant(ASSIGNMENT, "init_random_biases", "init_params_code", INIT_TESTS,
          ('"bh": torch.zeros(nh, device=device)', '"bh": 0.3 * torch.randn(nh, device=device)'),
          ('"by": torch.zeros(ny, device=device)', '"by": 0.3 * torch.randn(ny, device=device)')),
    mutant(ASSIGNMENT, "init_uniform_weights", "init_params_code", INIT_TESTS,
          ('"Wh": 0.3 * torch.randn(nh, nx, device=device)', '"Wh": 0.3 * torch.rand(nh, nx, device=device)'),
          ('"Wy": 0.3 * torch.randn(ny, nh, device=device)', '"Wy": 0.3 * torch.rand(ny, nh, device=device)')),
    mutant(ASSIGNMENT, "init_fixes_the_seed_inside", "init_params_code", INIT_TESTS,
          ('    return {\n', '    torch.manual_seed(0)\n    return {\n')),

    # --- forward -------------------------------------------------------------------------------
    mutant(ASSIGNMENT, "forward_naive_softmax", "forward_code", FORWARD_TESTS,
          ('    shifted = ytilde - ytilde.max(dim=1, keepdim=True).values\n    exp = torch.exp(shifted)',
           '    exp = torch.exp(ytilde)')),
    mutant(ASSIGNMENT, "forward_softmax_over_the_batch_axis", "forward_code", FORWARD_TESTS,
          ('    shifted = ytilde - ytilde.max(dim=1, keepdim=True).values\n    exp = torch.exp(shifted)\n'
           '    yhat = exp / exp.sum(dim=1, keepdim=True)',
           '    shifted = ytilde - ytilde.max(dim=0, keepdim=True).values\n    exp = torch.exp(shifted)\n'
           '    yhat = exp / exp.sum(dim=0, keepdim=True)')),
    mutant(ASSIGNMENT, "forward_subtracts_the_global_max", "forward_code", FORWARD_TESTS,
          ('    shifted = ytilde - ytilde.max(dim=1, keepdim=True).values', '    shifted = ytilde - ytilde.max()')),
    mutant(ASSIGNMENT, "forward_sigmoid_instead_of_tanh", "forward_code", FORWARD_TESTS,
          ('    h = torch.tanh(htilde)', '    h = torch.sigmoid(htilde)')),
    mutant(ASSIGNMENT, "forward_stores_h_as_htilde", "forward_code", FORWARD_TESTS,
          ('outputs = {"X": X, "htilde": htilde, "h": h,', 'outputs = {"X": X, "htilde": h, "h": h,')),
    mutant(ASSIGNMENT, "forward_forgets_hidden_bias", "forward_code", FORWARD_TESTS,
          ('    htilde = X @ params["Wh"].T + params["bh"]', '    htilde = X @ params["Wh"].T')),
    mutant(ASSIGNMENT, "forward_keeps_the_shifted_scores", "forward_code", FORWARD_TESTS,
          ('    exp = torch.exp(shifted)', '    exp = torch.exp(shifted)\n    ytilde = shifted')),

    # --- loss_accuracy -------------------------------------------------------------------------
    mutant(ASSIGNMENT, "loss_sums_over_the_batch", "loss_accuracy_code", LOSS_TESTS,
          ('    L = -torch.log(p_true).mean()', '    L = -torch.log(p_true).sum()')),
    Variant("loss_mean_over_every_entry", "loss_accuracy_code", '''\
def loss_accuracy(Yhat, Y):
    """Entropie croisée moyenne sur le lot (tenseur à un élément) et précision (nombre entre 0 et 1)."""
    L = -torch.xlogy(Y, Yhat).mean()
    acc = (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().mean().item()
    return L, acc
''', LOSS_TESTS),
    Variant("loss_nan_when_a_probability_is_zero", "loss_accuracy_code", '''\
def loss_accuracy(Yhat, Y):
    """Entropie croisée moyenne sur le lot (tenseur à un élément) et précision (nombre entre 0 et 1)."""
    L = -(Y * torch.log(Yhat)).sum(dim=1).mean()
    acc = (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().mean().item()
    return L, acc
''', LOSS_TESTS),
    mutant(ASSIGNMENT, "accuracy_on_probabilities", "loss_accuracy_code", LOSS_TESTS,
          ('    acc = (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().mean().item()', '    acc = p_true.mean().item()')),
    mutant(ASSIGNMENT, "accuracy_counts_instead_of_fraction", "loss_accuracy_code", LOSS_TESTS,
          ('    acc = (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().mean().item()',
           '    acc = (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().sum().item()')),
    mutant(ASSIGNMENT, "accuracy_compares_along_the_batch_axis", "loss_accuracy_code", LOSS_TESTS,
          ('    acc = (Yhat.argmax(dim=1) == Y.argmax(dim=1)).float().mean().item()',
           '    acc = (Yhat.argmax(dim=0) == Y.argmax(dim=0)).float().mean().item()')),

    # --- backward ------------------------------------------------------------------------------
    mutant(ASSIGNMENT, "backward_tanh_derivative_one_minus_h", "backward_code", BACKWARD_TESTS,
          ('    grad_htilde = grad_h * (1 - outputs["h"] ** 2)', '    grad_htilde = grad_h * (1 - outputs["h"])')),
    mutant(ASSIGNMENT, "backward_tanh_derivative_at_htilde", "backward_code", BACKWARD_TESTS,
          ('    grad_htilde = grad_h * (1 - outputs["h"] ** 2)', '    grad_htilde = grad_h * (1 - outputs["htilde"] ** 2)')),
    mutant(ASSIGNMENT, "backward_forgets_tanh_derivative", "backward_code", BACKWARD_TESTS,
          ('    grad_htilde = grad_h * (1 - outputs["h"] ** 2)', '    grad_htilde = grad_h')),
    mutant(ASSIGNMENT, "backward_weight_gradient_transposed", "backward_code", BACKWARD_TESTS,
          ('    grad_Wy = grad_ytilde.T @ outputs["h"]', '    grad_Wy = outputs["h"].T @ grad_ytilde'),
          ('    grad_Wh = grad_htilde.T @ outputs["X"]', '    grad_Wh = outputs["X"].T @ grad_htilde')),
    mutant(ASSIGNMENT, "backward_bias_gradient_averaged_again", "backward_code", BACKWARD_TESTS,
          ('    grad_by = grad_ytilde.sum(dim=0)', '    grad_by = grad_ytilde.mean(dim=0)'),
          ('    grad_bh = grad_htilde.sum(dim=0)', '    grad_bh = grad_htilde.mean(dim=0)')),
    mutant(ASSIGNMENT, "backward_bias_gradient_of_first_example", "backward_code", BACKWARD_TESTS,
          ('    grad_by = grad_ytilde.sum(dim=0)', '    grad_by = grad_ytilde[0]'),
          ('    grad_bh = grad_htilde.sum(dim=0)', '    grad_bh = grad_htilde[0]')),
    mutant(ASSIGNMENT, "backward_gradient_of_the_sum", "backward_code", BACKWARD_TESTS,
          ('    grad_ytilde = (outputs["yhat"] - Y) / N', '    grad_ytilde = outputs["yhat"] - Y')),
    mutant(ASSIGNMENT, "backward_divides_twice_by_n", "backward_code", BACKWARD_TESTS,
          ('    grad_Wy = grad_ytilde.T @ outputs["h"]', '    grad_Wy = grad_ytilde.T @ outputs["h"] / N'),
          ('    grad_Wh = grad_htilde.T @ outputs["X"]', '    grad_Wh = grad_htilde.T @ outputs["X"] / N')),
    mutant(ASSIGNMENT, "backward_sign_flipped", "backward_code", BACKWARD_TESTS,
          ('    grad_ytilde = (outputs["yhat"] - Y) / N', '    grad_ytilde = (Y - outputs["yhat"]) / N')),
    mutant(ASSIGNMENT, "backward_uses_scores_instead_of_probabilities", "backward_code", BACKWARD_TESTS,
          ('    grad_ytilde = (outputs["yhat"] - Y) / N', '    grad_ytilde = (outputs["ytilde"] - Y) / N')),
    mutant(ASSIGNMENT, "backward_hidden_weights_use_h_instead_of_x", "backward_code", BACKWARD_TESTS,
          ('    grad_Wh = grad_htilde.T @ outputs["X"]', '    grad_Wh = grad_htilde.T @ outputs["h"]')),

    # --- sgd -----------------------------------------------------------------------------------
    mutant(ASSIGNMENT, "sgd_adds_the_gradient", "sgd_code", SGD_TESTS,
          ('params[name] - eta * grads[name]', 'params[name] + eta * grads[name]')),
    Variant("sgd_updates_weights_only", "sgd_code", '''\
def sgd(params, grads, eta):
    """Un pas de descente de gradient de pas eta sur chaque paramètre ; renvoie les paramètres mis à jour."""
    new = dict(params)
    for name in ("Wh", "Wy"):
        new[name] = params[name] - eta * grads[name]
    return new
''', SGD_TESTS),
    Variant("sgd_forgets_the_step_size", "sgd_code", '''\
def sgd(params, grads, eta):
    """Un pas de descente de gradient de pas eta sur chaque paramètre ; renvoie les paramètres mis à jour."""
    return {name: params[name] - grads[name] for name in params}
''', SGD_TESTS),

    # --- train ---------------------------------------------------------------------------------
    mutant(ASSIGNMENT, "train_never_shuffles", "train_code", TRAIN_TESTS,
          ('        order = torch.randperm(n).to(X_train.device)', '        order = torch.arange(n, device=X_train.device)')),
    mutant(ASSIGNMENT, "train_shuffles_once_for_all_epochs", "train_code", TRAIN_TESTS,
          ('    for _ in tqdm(range(n_epochs), desc="époques", disable=not progress):\n'
           '        order = torch.randperm(n).to(X_train.device)\n',
           '    order = torch.randperm(n).to(X_train.device)\n'
           '    for _ in tqdm(range(n_epochs), desc="époques", disable=not progress):\n')),
    Variant("train_drops_the_last_partial_batch", "train_code", '''\
def train(params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
    history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
    n = X_train.shape[0]
    for _ in tqdm(range(n_epochs), disable=not progress):
        order = torch.randperm(n).to(X_train.device)
        for j in range(n // batch_size):
            batch = order[j * batch_size:(j + 1) * batch_size]
            _, outputs = forward(params, X_train[batch])
            params = sgd(params, backward(params, outputs, Y_train[batch]), eta)
        for name, X, Y in (("train", X_train, Y_train), ("test", X_test, Y_test)):
            L, acc = loss_accuracy(forward(params, X)[0], Y)
            history[name + "_loss"].append(float(L))
            history[name + "_acc"].append(float(acc))
    return params, history
''', TRAIN_TESTS),
    Variant("train_history_of_the_last_batch", "train_code", '''\
def train(params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
    history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
    n = X_train.shape[0]
    for _ in tqdm(range(n_epochs), disable=not progress):
        order = torch.randperm(n).to(X_train.device)
        for batch in order.split(batch_size):
            Yhat, outputs = forward(params, X_train[batch])
            L, acc = loss_accuracy(Yhat, Y_train[batch])
            params = sgd(params, backward(params, outputs, Y_train[batch]), eta)
        history["train_loss"].append(float(L))
        history["train_acc"].append(float(acc))
        L, acc = loss_accuracy(forward(params, X_test)[0], Y_test)
        history["test_loss"].append(float(L))
        history["test_acc"].append(float(acc))
    return params, history
''', TRAIN_TESTS),
    mutant(ASSIGNMENT, "train_ignores_what_sgd_returns", "train_code", TRAIN_TESTS,
          ('            params = sgd(params, grads, eta)', '            sgd(params, grads, eta)')),
    mutant(ASSIGNMENT, "train_measures_test_on_train", "train_code", TRAIN_TESTS,
          ('(("train", X_train, Y_train), ("test", X_test, Y_test))', '(("train", X_train, Y_train), ("test", X_train, Y_train))')),
    Variant("train_records_history_before_the_epoch", "train_code", '''\
def train(params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
    history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
    n = X_train.shape[0]
    for _ in tqdm(range(n_epochs), disable=not progress):
        for name, X, Y in (("train", X_train, Y_train), ("test", X_test, Y_test)):
            L, acc = loss_accuracy(forward(params, X)[0], Y)
            history[name + "_loss"].append(float(L))
            history[name + "_acc"].append(float(acc))
        order = torch.randperm(n).to(X_train.device)
        for batch in order.split(batch_size):
            _, outputs = forward(params, X_train[batch])
            params = sgd(params, backward(params, outputs, Y_train[batch]), eta)
    return params, history
''', TRAIN_TESTS),
    mutant(ASSIGNMENT, "train_step_divided_by_batch_size", "train_code", TRAIN_TESTS,
          ('            params = sgd(params, grads, eta)', '            params = sgd(params, grads, eta / len(batch))')),

    # --- prepare_digits ------------------------------------------------------------------------
    mutant(ASSIGNMENT, "prepare_divides_by_255", "prepare_digits_code", PREPARE_TESTS,
          ('.float() / 16', '.float() / 255')),
    mutant(ASSIGNMENT, "prepare_one_hot_without_num_classes", "prepare_digits_code", PREPARE_TESTS,
          ('num_classes=10', 'num_classes=-1')),
    mutant(ASSIGNMENT, "prepare_keeps_images_square", "prepare_digits_code", PREPARE_TESTS,
          ('    X = images.reshape(images.shape[0], -1).float() / 16', '    X = images.float() / 16')),
    mutant(ASSIGNMENT, "prepare_scales_by_the_batch_maximum", "prepare_digits_code", PREPARE_TESTS,
          ('    X = images.reshape(images.shape[0], -1).float() / 16',
           '    X = images.reshape(images.shape[0], -1).float()\n    X = X / X.max()')),
    mutant(ASSIGNMENT, "prepare_integer_targets", "prepare_digits_code", PREPARE_TESTS,
          ('num_classes=10).float()', 'num_classes=10)')),

    # --- digits_hparams ------------------------------------------------------------------------
    Variant("hparams_step_too_small", "digits_hparams_code",
            "digits_hparams = dict(nh=64, eta=0.01, n_epochs=10, batch_size=32)\n", HPARAMS_TESTS),
    Variant("hparams_over_the_step_budget", "digits_hparams_code",
            "digits_hparams = dict(nh=64, eta=0.5, n_epochs=60, batch_size=32)\n", HPARAMS_TESTS),
    Variant("hparams_tuned_on_one_seed_only", "digits_hparams_code",
            "digits_hparams = dict(nh=16, eta=2.0, n_epochs=6, batch_size=100)\n", HPARAMS_TESTS),
]


# ---------------------------------------------------------------------------------------------
# Alternative correct answers
# ---------------------------------------------------------------------------------------------

CORRECT = [
    Variant("init_with_torch_normal", "init_params_code", '''\
def init_params(nx, nh, ny, device=device):
    """Paramètres initiaux du réseau nx -> nh -> ny : poids ~ N(0, 0.3²), biais nuls, en float32 sur `device`."""
    params = {}
    params["Wh"] = torch.normal(0.0, 0.3, size=(nh, nx), device=device)
    params["bh"] = torch.zeros(nh, device=device)
    params["Wy"] = torch.normal(0.0, 0.3, size=(ny, nh), device=device)
    params["by"] = torch.zeros(ny, device=device)
    return params
''', INIT_TESTS),
    Variant("init_on_cpu_then_moved", "init_params_code", '''\
def init_params(nx, nh, ny, device=device):
    """Paramètres initiaux du réseau nx -> nh -> ny : poids ~ N(0, 0.3²), biais nuls, en float32 sur `device`."""
    sigma = 0.3
    Wy = torch.randn(ny, nh) * sigma
    Wh = torch.randn(nh, nx) * sigma
    params = {"Wh": Wh, "bh": torch.zeros(nh), "Wy": Wy, "by": torch.zeros(ny)}
    return {name: value.to(device) for name, value in params.items()}
''', INIT_TESTS),
    Variant("forward_einsum", "forward_code", '''\
def forward(params, X):
    htilde = torch.einsum("ni,hi->nh", X, params["Wh"]) + params["bh"]
    h = torch.tanh(htilde)
    ytilde = torch.einsum("nh,kh->nk", h, params["Wy"]) + params["by"]
    m, _ = torch.max(ytilde, dim=1, keepdim=True)
    e = torch.exp(ytilde - m)
    yhat = e / torch.sum(e, dim=1, keepdim=True)
    return yhat, dict(X=X, htilde=htilde, h=h, ytilde=ytilde, yhat=yhat)
''', FORWARD_TESTS),
    Variant("forward_log_sum_exp_by_hand", "forward_code", '''\
def forward(params, X):
    htilde = (params["Wh"] @ X.T).T + params["bh"]
    h = htilde.tanh()
    ytilde = (params["Wy"] @ h.T).T + params["by"]
    top = ytilde.amax(dim=1, keepdim=True)
    log_norm = top + (ytilde - top).exp().sum(dim=1, keepdim=True).log()
    yhat = (ytilde - log_norm).exp()
    return yhat, {"X": X, "htilde": htilde, "h": h, "ytilde": ytilde, "yhat": yhat}
''', FORWARD_TESTS),
    Variant("loss_with_xlogy_and_torch_max", "loss_accuracy_code", '''\
def loss_accuracy(Yhat, Y):
    N = Y.shape[0]
    L = -torch.xlogy(Y, Yhat).sum() / N
    _, predicted = torch.max(Yhat, 1)
    _, truth = torch.max(Y, 1)
    acc = (predicted == truth).sum().item() / N
    return L, acc
''', LOSS_TESTS),
    Variant("loss_with_nll_and_small_epsilon", "loss_accuracy_code", '''\
import torch.nn.functional as F


def loss_accuracy(Yhat, Y):
    labels = Y.argmax(dim=1)
    L = F.nll_loss(torch.log(Yhat + 1e-12), labels)
    acc = torch.mean((Yhat.argmax(dim=1) == labels).to(torch.float64)).item()
    return L, acc
''', LOSS_TESTS),
    Variant("backward_loop_over_the_batch", "backward_code", '''\
def backward(params, outputs, Y):
    N = Y.shape[0]
    grads = {name: torch.zeros_like(value) for name, value in params.items()}
    for i in range(N):
        x, h, yhat, y = outputs["X"][i], outputs["h"][i], outputs["yhat"][i], Y[i]
        delta_y = yhat - y
        delta_h = (params["Wy"].T @ delta_y) * (1 - h * h)
        grads["Wy"] += torch.outer(delta_y, h)
        grads["by"] += delta_y
        grads["Wh"] += torch.outer(delta_h, x)
        grads["bh"] += delta_h
    return {name: g / N for name, g in grads.items()}
''', BACKWARD_TESTS),
    Variant("backward_einsum_recomputing_tanh", "backward_code", '''\
def backward(params, outputs, Y):
    n = len(Y)
    d_ytilde = (outputs["yhat"] - Y) / n
    h = torch.tanh(outputs["htilde"])
    d_htilde = torch.einsum("nk,kh->nh", d_ytilde, params["Wy"]) * (1 - h.pow(2))
    return {
        "Wy": torch.einsum("nk,nh->kh", d_ytilde, h),
        "by": d_ytilde.sum(0),
        "Wh": torch.einsum("nh,ni->hi", d_htilde, outputs["X"]),
        "bh": d_htilde.sum(0),
    }
''', BACKWARD_TESTS),
    Variant("backward_sum_then_divide", "backward_code", '''\
def backward(params, outputs, Y):
    delta = outputs["yhat"] - Y
    grads = {"Wy": torch.mm(delta.t(), outputs["h"]), "by": delta.sum(dim=0)}
    delta_h = torch.mm(delta, params["Wy"]) * (1 - outputs["h"] ** 2)
    grads["Wh"] = torch.mm(delta_h.t(), outputs["X"])
    grads["bh"] = delta_h.sum(dim=0)
    for name in grads:
        grads[name] = grads[name] / Y.shape[0]
    return grads
''', BACKWARD_TESTS),
    Variant("sgd_in_place", "sgd_code", '''\
def sgd(params, grads, eta):
    for name in params:
        params[name] -= eta * grads[name]
    return params
''', SGD_TESTS),
    Variant("train_with_index_loop_and_batch_loss", "train_code", '''\
def train(params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
    keys = ("train_loss", "train_acc", "test_loss", "test_acc")
    history = {key: [] for key in keys}
    N = len(X_train)
    for epoch in tqdm(range(n_epochs), disable=not progress):
        permutation = torch.randperm(N, device=X_train.device)
        for start in range(0, N, batch_size):
            idx = permutation[start:start + batch_size]
            Xb, Yb = X_train[idx], Y_train[idx]
            Yhat, outputs = forward(params, Xb)
            batch_loss, batch_acc = loss_accuracy(Yhat, Yb)
            grads = backward(params, outputs, Yb)
            params = sgd(params, grads, eta)
        train_L, train_acc = loss_accuracy(forward(params, X_train)[0], Y_train)
        test_L, test_acc = loss_accuracy(forward(params, X_test)[0], Y_test)
        for key, value in zip(keys, (train_L, train_acc, test_L, test_acc)):
            history[key].append(value.item() if torch.is_tensor(value) else float(value))
    return params, history
''', TRAIN_TESTS),
    Variant("prepare_with_flatten_and_eye", "prepare_digits_code", '''\
def prepare_digits(images, labels):
    X = torch.flatten(images, start_dim=1).to(torch.float32) / 16.0
    Y = torch.eye(10, device=labels.device)[labels]
    return X, Y
''', PREPARE_TESTS),
    Variant("hparams_smaller_network_larger_step", "digits_hparams_code",
            "digits_hparams = {'nh': 32, 'eta': 1.0, 'n_epochs': 20, 'batch_size': 50}\n", HPARAMS_TESTS),
]

# The statement asks for SoftMax programmed by hand: torch's softmax is the shortcut the checks refuse.
WRONG.append(Variant("forward_mm_and_functional_softmax", "forward_code", '''\
import torch.nn.functional as F


def forward(params, X):
    htilde = torch.mm(X, params["Wh"].t()) + params["bh"].unsqueeze(0)
    h = torch.tanh(htilde)
    ytilde = torch.addmm(params["by"], h, params["Wy"].t())
    yhat = F.softmax(ytilde, dim=1)
    outputs = {"X": X, "htilde": htilde, "h": h, "ytilde": ytilde, "yhat": yhat}
    return yhat, outputs
''', FORWARD_TESTS))

# The common epsilon-log idiom is a correct loss (the tolerance is set for it); borrowing the grader's
# references (which never reach the kernel) earns nothing.
CORRECT.append(mutant(ASSIGNMENT, "loss_epsilon_log_common_idiom", "loss_accuracy_code", LOSS_TESTS,
                      ("    p_true = (Yhat * Y).sum(dim=1)  # probabilité prédite pour la bonne classe de chaque exemple\n"
                       "    L = -torch.log(p_true).mean()",
                       "    L = -(Y * torch.log(Yhat + 1e-8)).sum(1).mean()")))
WRONG += [Variant(f"{function}_borrows_the_grader_reference", cell, f'''\
import gc


def {function}({arguments}):
    for obj in gc.get_objects():  # the grader's reference, wherever it may live
        if callable(obj) and getattr(obj, "__name__", "") == "_ref_{function}":
            return obj({arguments.replace("=True", "")})
    raise NotImplementedError()
''', tests) for function, cell, arguments, tests in [
    ("backward", "backward_code", "params, outputs, Y", BACKWARD_TESTS),
    ("train", "train_code", "params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True", TRAIN_TESTS)]]

# Answers written independently, from the student's statement alone (tests/independent_banks/).
independent = independent_variants(ASSIGNMENT)
WRONG += independent.WRONG
CORRECT += independent.CORRECT
