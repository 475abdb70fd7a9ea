"""Validity bank for TP4 — Autograd, torch.nn, torch.optim (init_params, sgd and train_autograd with
autograd; init_model, loss_accuracy, sgd and train_nn with torch.nn; init_model and train_optim with
torch.optim; digits_hparams).

Conventions in tests/banks/__init__.py.

The three steps redefine `sgd`, `loss_accuracy` and `init_model`: each variant names the answer
cell of its own step, and is judged by the test cell right after it.
"""
from coursekit.variants import Variant, mutant
from tests.independent_banks import independent_variants

ASSIGNMENT = "tp4_autograd_nn_optim"

INIT_TESTS = ("init_params_tests",)
SGD1_TESTS = ("sgd_autograd_tests",)
TRAIN1_TESTS = ("train_autograd_tests",)
MODEL2_TESTS = ("init_model_nn_tests",)
LOSS2_TESTS = ("loss_accuracy_tests",)
SGD2_TESTS = ("sgd_nn_tests",)
TRAIN2_TESTS = ("train_nn_tests",)
MODEL3_TESTS = ("init_model_optim_tests",)
TRAIN3_TESTS = ("train_optim_tests",)
DIGITS_TESTS = ("digits_hparams_tests",)
# the answer cells whose test cells hold checks that involve randomness (bounds under every RNG stream)
RANDOM_ANSWERS = {"train_autograd_code": TRAIN1_TESTS, "train_nn_code": TRAIN2_TESTS, "train_optim_code": TRAIN3_TESTS,
                  "digits_hparams_code": DIGITS_TESTS}

# ---------------------------------------------------------------------------------------------
# Wrong answers
# ---------------------------------------------------------------------------------------------

WRONG = [
    # --- step 1: init_params -------------------------------------------------------------------
    Variant("init_requires_grad_before_scaling", "init_params_code", '''\
def init_params(nx, nh, ny, device=device):
    return {
        "Wh": 0.3 * torch.randn(nh, nx, device=device, requires_grad=True),
        "bh": torch.zeros(nh, device=device, requires_grad=True),
        "Wy": 0.3 * torch.randn(ny, nh, device=device, requires_grad=True),
        "by": torch.zeros(ny, device=device, requires_grad=True),
    }
''', INIT_TESTS),
    mutant(ASSIGNMENT, "init_biases_not_tracked", "init_params_code", INIT_TESTS,
           ("    for value in params.values():", '    for value in (params["Wh"], params["Wy"]):')),
    mutant(ASSIGNMENT, "init_forgets_requires_grad", "init_params_code", INIT_TESTS,
           ("        value.requires_grad_()  # marqué après le calcul : le tenseur reste une feuille", "        pass")),
    mutant(ASSIGNMENT, "init_standard_deviation_one", "init_params_code", INIT_TESTS,
           ('"Wh": 0.3 * torch.randn(nh, nx, device=device)', '"Wh": torch.randn(nh, nx, device=device)'),
           ('"Wy": 0.3 * torch.randn(ny, nh, device=device)', '"Wy": torch.randn(ny, nh, device=device)')),
    mutant(ASSIGNMENT, "init_fixes_the_seed_inside", "init_params_code", INIT_TESTS,
           ("    params = {\n", "    torch.manual_seed(0)\n    params = {\n")),

    # --- step 1: sgd(params, eta) --------------------------------------------------------------
    Variant("sgd1_with_torch_optim", "sgd_autograd_code", '''\
def sgd(params, eta):
    optimizer = torch.optim.SGD(params.values(), lr=eta)
    optimizer.step()
    optimizer.zero_grad(set_to_none=False)
''', SGD1_TESTS),
    Variant("sgd1_fresh_leaves_in_the_dictionary_not_in_place", "sgd_autograd_code", '''\
def sgd(params, eta):
    for name, w in list(params.items()):
        params[name] = (w - eta * w.grad).detach().requires_grad_()
''', SGD1_TESTS),
    mutant(ASSIGNMENT, "sgd1_never_zeroes_the_gradients", "sgd_autograd_code", SGD1_TESTS,
           ("\n            value.grad.zero_()", "")),
    mutant(ASSIGNMENT, "sgd1_zeroes_before_the_update", "sgd_autograd_code", SGD1_TESTS,
           ("            value -= eta * value.grad\n            value.grad.zero_()",
            "            value.grad.zero_()\n            value -= eta * value.grad")),
    Variant("sgd1_replaces_the_leaf_outside_no_grad", "sgd_autograd_code", '''\
def sgd(params, eta):
    for name, value in params.items():
        params[name] = value - eta * value.grad
        value.grad.zero_()
''', SGD1_TESTS),
    Variant("sgd1_replaces_the_leaf_inside_no_grad", "sgd_autograd_code", '''\
def sgd(params, eta):
    with torch.no_grad():
        for name, value in params.items():
            params[name] = value - eta * value.grad
            value.grad.zero_()
''', SGD1_TESTS),
    mutant(ASSIGNMENT, "sgd1_rebinds_the_loop_variable", "sgd_autograd_code", SGD1_TESTS,
           ("            value -= eta * value.grad", "            value = value - eta * value.grad")),
    mutant(ASSIGNMENT, "sgd1_ignores_the_step_size", "sgd_autograd_code", SGD1_TESTS,
           ("            value -= eta * value.grad", "            value -= value.grad")),
    mutant(ASSIGNMENT, "sgd1_adds_the_gradient", "sgd_autograd_code", SGD1_TESTS,
           ("            value -= eta * value.grad", "            value += eta * value.grad")),
    mutant(ASSIGNMENT, "sgd1_updates_weights_only", "sgd_autograd_code", SGD1_TESTS,
           ("        for value in params.values():", '        for value in (params["Wh"], params["Wy"]):')),

    # --- step 1: train_autograd ----------------------------------------------------------------
    mutant(ASSIGNMENT, "train1_never_shuffles", "train_autograd_code", TRAIN1_TESTS,
           ("torch.randperm(n).to(X_train.device)", "torch.arange(n, device=X_train.device)")),
    mutant(ASSIGNMENT, "train1_sgd_before_backward", "train_autograd_code", TRAIN1_TESTS,
           ("            L.backward()\n            sgd(params, eta)", "            sgd(params, eta)\n            L.backward()")),
    mutant(ASSIGNMENT, "train1_step_divided_by_batch_size", "train_autograd_code", TRAIN1_TESTS,
           ("            sgd(params, eta)", "            sgd(params, eta / len(batch))")),
    mutant(ASSIGNMENT, "train1_measures_test_on_train", "train_autograd_code", TRAIN1_TESTS,
           ('("test", X_test, Y_test)', '("test", X_train, Y_train)')),
    Variant("train1_history_of_the_last_batch", "train_autograd_code", '''\
def train_autograd(params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
    history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
    for _ in tqdm(range(n_epochs), disable=not progress):
        for batch in torch.randperm(len(X_train)).split(batch_size):
            L, acc = loss_accuracy(forward(params, X_train[batch])[0], Y_train[batch])
            L.backward()
            sgd(params, eta)
        history["train_loss"].append(L.item())
        history["train_acc"].append(acc)
        with torch.no_grad():
            L, acc = loss_accuracy(forward(params, X_test)[0], Y_test)
        history["test_loss"].append(L.item())
        history["test_acc"].append(acc)
    return params, history
''', TRAIN1_TESTS),

    # --- step 2: init_model(nx, nh, ny) ----------------------------------------------------------
    mutant(ASSIGNMENT, "model2_softmax_layer_before_cross_entropy", "init_model_nn_code", MODEL2_TESTS,
           ("        torch.nn.Linear(nh, ny),\n", "        torch.nn.Linear(nh, ny),\n        torch.nn.Softmax(dim=1),\n")),
    mutant(ASSIGNMENT, "model2_relu_instead_of_tanh", "init_model_nn_code", MODEL2_TESTS,
           ("        torch.nn.Tanh(),", "        torch.nn.ReLU(),")),
    mutant(ASSIGNMENT, "model2_without_activation", "init_model_nn_code", MODEL2_TESTS,
           ("        torch.nn.Tanh(),\n", "")),
    mutant(ASSIGNMENT, "model2_layers_without_bias", "init_model_nn_code", MODEL2_TESTS,
           ("        torch.nn.Linear(nx, nh),", "        torch.nn.Linear(nx, nh, bias=False),"),
           ("        torch.nn.Linear(nh, ny),", "        torch.nn.Linear(nh, ny, bias=False),")),
    mutant(ASSIGNMENT, "model2_mse_loss", "init_model_nn_code", MODEL2_TESTS,
           ("    loss = torch.nn.CrossEntropyLoss()", "    loss = torch.nn.MSELoss()")),
    mutant(ASSIGNMENT, "model2_summed_cross_entropy", "init_model_nn_code", MODEL2_TESTS,
           ("    loss = torch.nn.CrossEntropyLoss()", '    loss = torch.nn.CrossEntropyLoss(reduction="sum")')),
    mutant(ASSIGNMENT, "model2_fixes_the_seed_inside", "init_model_nn_code", MODEL2_TESTS,
           ("    model = torch.nn.Sequential(", "    torch.manual_seed(0)\n    model = torch.nn.Sequential(")),

    # --- step 2: loss_accuracy(loss, Yhat, Y) ----------------------------------------------------
    mutant(ASSIGNMENT, "loss2_softmax_before_the_loss", "loss_accuracy_code", LOSS2_TESTS,
           ("    L = loss(Yhat, Y)", "    L = loss(torch.softmax(Yhat, dim=1), Y)")),
    mutant(ASSIGNMENT, "loss2_returns_a_number", "loss_accuracy_code", LOSS2_TESTS,
           ("    L = loss(Yhat, Y)", "    L = loss(Yhat, Y).item()")),
    mutant(ASSIGNMENT, "loss2_ignores_the_given_loss", "loss_accuracy_code", LOSS2_TESTS,
           ("    L = loss(Yhat, Y)", "    L = torch.nn.functional.cross_entropy(Yhat, Y)")),
    mutant(ASSIGNMENT, "loss2_accuracy_counts_instead_of_fraction", "loss_accuracy_code", LOSS2_TESTS,
           (".float().mean().item()", ".float().sum().item()")),

    # --- step 2: sgd(model, eta) ---------------------------------------------------------------
    Variant("sgd2_zero_grad_inside_the_parameter_loop", "sgd_nn_code", '''\
def sgd(model, eta):
    with torch.no_grad():
        for p in model.parameters():
            p -= eta * p.grad
            model.zero_grad()
''', SGD2_TESTS),
    Variant("sgd2_with_torch_optim", "sgd_nn_code", '''\
def sgd(model, eta):
    optimizer = torch.optim.SGD(model.parameters(), lr=eta)
    optimizer.step()
    optimizer.zero_grad()
''', SGD2_TESTS),
    mutant(ASSIGNMENT, "sgd2_never_zeroes_the_gradients", "sgd_nn_code", SGD2_TESTS,
           ("    model.zero_grad()", "    return model")),
    mutant(ASSIGNMENT, "sgd2_ignores_the_step_size", "sgd_nn_code", SGD2_TESTS,
           ("            p -= eta * p.grad", "            p -= p.grad")),
    Variant("sgd2_zero_grad_before_the_update", "sgd_nn_code", '''\
def sgd(model, eta):
    model.zero_grad()
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is not None:
                p -= eta * p.grad
''', SGD2_TESTS),
    Variant("sgd2_hard_coded_sequential_layers", "sgd_nn_code", '''\
def sgd(model, eta):
    with torch.no_grad():
        for layer in (model[0], model[2]):
            layer.weight -= eta * layer.weight.grad
            layer.bias -= eta * layer.bias.grad
    model.zero_grad()
''', SGD2_TESTS),

    # --- step 2: train_nn ----------------------------------------------------------------------
    mutant(ASSIGNMENT, "train2_softmax_before_the_loss", "train_nn_code", TRAIN2_TESTS,
           ("loss_accuracy(loss, model(X_train[batch]), Y_train[batch])",
            "loss_accuracy(loss, torch.softmax(model(X_train[batch]), dim=1), Y_train[batch])")),
    mutant(ASSIGNMENT, "train2_hard_coded_step_size", "train_nn_code", TRAIN2_TESTS,
           ("            sgd(model, eta)", "            sgd(model, 0.03)")),
    mutant(ASSIGNMENT, "train2_shuffles_once_for_all_epochs", "train_nn_code", TRAIN2_TESTS,
           ('    for _ in tqdm(range(n_epochs), desc="époques", disable=not progress):\n'
            "        for batch in torch.randperm(n).to(X_train.device).split(batch_size):",
            "    order = torch.randperm(n).to(X_train.device)\n"
            '    for _ in tqdm(range(n_epochs), desc="époques", disable=not progress):\n'
            "        for batch in order.split(batch_size):")),
    mutant(ASSIGNMENT, "train2_forgets_backward", "train_nn_code", TRAIN2_TESTS,
           ("            L.backward()\n", "")),

    # --- step 3: init_model(nx, nh, ny, eta) ------------------------------------------------------
    mutant(ASSIGNMENT, "model3_learning_rate_ignored", "init_model_optim_code", MODEL3_TESTS,
           ("lr=eta)", "lr=0.01)")),
    mutant(ASSIGNMENT, "model3_adam_instead_of_sgd", "init_model_optim_code", MODEL3_TESTS,
           ("torch.optim.SGD(model.parameters(), lr=eta)", "torch.optim.Adam(model.parameters(), lr=eta)")),
    mutant(ASSIGNMENT, "model3_sgd_with_momentum", "init_model_optim_code", MODEL3_TESTS,
           ("lr=eta)", "lr=eta, momentum=0.9)")),
    mutant(ASSIGNMENT, "model3_optimizer_on_the_last_layer_only", "init_model_optim_code", MODEL3_TESTS,
           ("torch.optim.SGD(model.parameters(), lr=eta)", "torch.optim.SGD(model[2].parameters(), lr=eta)")),
    mutant(ASSIGNMENT, "model3_softmax_layer_before_cross_entropy", "init_model_optim_code", MODEL3_TESTS,
           ("        torch.nn.Linear(nh, ny),\n", "        torch.nn.Linear(nh, ny),\n        torch.nn.Softmax(dim=1),\n")),

    # --- step 3: train_optim -------------------------------------------------------------------
    mutant(ASSIGNMENT, "train3_step_before_backward", "train_optim_code", TRAIN3_TESTS,
           ("            L.backward()\n            optim.step()", "            optim.step()\n            L.backward()")),
    mutant(ASSIGNMENT, "train3_never_zero_grad", "train_optim_code", TRAIN3_TESTS,
           ("            optim.zero_grad()\n", "")),
    mutant(ASSIGNMENT, "train3_zero_grad_between_backward_and_step", "train_optim_code", TRAIN3_TESTS,
           ("            optim.zero_grad()\n", ""),
           ("            L.backward()\n", "            L.backward()\n            optim.zero_grad()\n")),
    mutant(ASSIGNMENT, "train3_softmax_before_the_loss", "train_optim_code", TRAIN3_TESTS,
           ("loss_accuracy(loss, model(X_train[batch]), Y_train[batch])",
            "loss_accuracy(loss, torch.softmax(model(X_train[batch]), dim=1), Y_train[batch])")),
    mutant(ASSIGNMENT, "train3_creates_its_own_optimizer", "train_optim_code", TRAIN3_TESTS,
           ("    n = X_train.shape[0]\n", "    n = X_train.shape[0]\n    optim = torch.optim.SGD(model.parameters(), lr=0.1)\n")),
    mutant(ASSIGNMENT, "train3_never_shuffles", "train_optim_code", TRAIN3_TESTS,
           ("torch.randperm(n).to(X_train.device)", "torch.arange(n, device=X_train.device)")),

    # --- digits --------------------------------------------------------------------------------
    Variant("digits_step_too_small", "digits_hparams_code",
            "digits_hparams = dict(nh=128, eta=0.01, n_epochs=20, batch_size=32)\n", DIGITS_TESTS),
    Variant("digits_over_the_step_budget", "digits_hparams_code",
            "digits_hparams = dict(nh=128, eta=0.5, n_epochs=60, batch_size=32)\n", DIGITS_TESTS),
    Variant("digits_network_too_wide", "digits_hparams_code",
            "digits_hparams = dict(nh=512, eta=0.5, n_epochs=20, batch_size=32)\n", DIGITS_TESTS),
]


# ---------------------------------------------------------------------------------------------
# Alternative correct answers
# ---------------------------------------------------------------------------------------------

CORRECT = [
    Variant("init_requires_grad_flag_set_afterwards", "init_params_code", '''\
def init_params(nx, nh, ny, device=device):
    Wh = torch.randn(nh, nx, device=device) * 0.3
    Wh.requires_grad = True
    bh = torch.zeros(nh, device=device)
    bh.requires_grad = True
    Wy = torch.randn(ny, nh, device=device) * 0.3
    Wy.requires_grad = True
    by = torch.zeros(ny, device=device)
    by.requires_grad = True
    return {"Wh": Wh, "bh": bh, "Wy": Wy, "by": by}
''', INIT_TESTS),
    Variant("init_torch_normal_with_requires_grad", "init_params_code", '''\
def init_params(nx, nh, ny, device=device):
    return {
        "Wh": torch.normal(0.0, 0.3, size=(nh, nx), device=device, requires_grad=True),
        "bh": torch.zeros(nh, device=device, requires_grad=True),
        "Wy": torch.normal(0.0, 0.3, size=(ny, nh), device=device, requires_grad=True),
        "by": torch.zeros(ny, device=device, requires_grad=True),
    }
''', INIT_TESTS),
    Variant("sgd1_through_data_without_no_grad", "sgd_autograd_code", '''\
def sgd(params, eta):
    for p in params.values():
        p.data -= eta * p.grad.data
        p.grad.data.zero_()
''', SGD1_TESTS),
    Variant("sgd1_sub_and_gradients_set_to_none", "sgd_autograd_code", '''\
def sgd(params, eta):
    with torch.no_grad():
        for name in params:
            params[name].sub_(eta * params[name].grad)
            params[name].grad = None
''', SGD1_TESTS),
    Variant("train1_index_loop_and_item", "train_autograd_code", '''\
def train_autograd(params, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
    keys = ("train_loss", "train_acc", "test_loss", "test_acc")
    history = {key: [] for key in keys}
    N = len(X_train)
    for epoch in tqdm(range(n_epochs), disable=not progress):
        perm = torch.randperm(N, device=X_train.device)
        for start in range(0, N, batch_size):
            idx = perm[start:start + batch_size]
            Yhat, outputs = forward(params, X_train[idx])
            L, _ = loss_accuracy(Yhat, Y_train[idx])
            L.backward()
            sgd(params, eta)
        L_train, acc_train = loss_accuracy(forward(params, X_train)[0], Y_train)
        L_test, acc_test = loss_accuracy(forward(params, X_test)[0], Y_test)
        for key, value in zip(keys, (L_train.item(), acc_train, L_test.item(), acc_test)):
            history[key].append(float(value))
    return params, history
''', TRAIN1_TESTS),
    Variant("model2_module_subclass", "init_model_nn_code", '''\
class MLP(torch.nn.Module):
    def __init__(self, nx, nh, ny):
        super().__init__()
        self.hidden = torch.nn.Linear(nx, nh)
        self.output = torch.nn.Linear(nh, ny)

    def forward(self, X):
        return self.output(torch.tanh(self.hidden(X)))


def init_model(nx, nh, ny, device=device):
    return MLP(nx, nh, ny).to(device), torch.nn.CrossEntropyLoss()
''', MODEL2_TESTS),
    Variant("model2_ordered_dict_and_functional_loss", "init_model_nn_code", '''\
from collections import OrderedDict


def init_model(nx, nh, ny, device=device):
    layers = OrderedDict([("hidden", torch.nn.Linear(nx, nh, device=device)), ("tanh", torch.nn.Tanh()),
                          ("output", torch.nn.Linear(nh, ny, device=device))])
    return torch.nn.Sequential(layers), torch.nn.functional.cross_entropy
''', MODEL2_TESTS),
    Variant("loss2_class_indices_and_torch_max", "loss_accuracy_code", '''\
def loss_accuracy(loss, Yhat, Y):
    labels = Y.argmax(dim=1)
    L = loss(Yhat, labels)
    _, predicted = torch.max(Yhat, 1)
    acc = (predicted == labels).sum().item() / len(labels)
    return L, acc
''', LOSS2_TESTS),
    Variant("sgd2_through_data_and_gradients_set_to_none", "sgd_nn_code", '''\
def sgd(model, eta):
    for p in model.parameters():
        p.data.add_(p.grad.data, alpha=-eta)
        p.grad = None
    return model
''', SGD2_TESTS),
    Variant("sgd2_zeroes_each_gradient_after_its_update", "sgd_nn_code", '''\
def sgd(model, eta):
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.sub_(eta * p.grad)
            p.grad.zero_()
''', SGD2_TESTS),
    Variant("train2_index_loop", "train_nn_code", '''\
def train_nn(model, loss, X_train, Y_train, X_test, Y_test, eta, n_epochs, batch_size, progress=True):
    history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
    N = X_train.shape[0]
    for epoch in tqdm(range(n_epochs), disable=not progress):
        perm = torch.randperm(N).to(X_train.device)
        for i in range(0, N, batch_size):
            idx = perm[i:i + batch_size]
            L, acc = loss_accuracy(loss, model(X_train[idx]), Y_train[idx])
            L.backward()
            sgd(model, eta)
        for name, X, Y in [("train", X_train, Y_train), ("test", X_test, Y_test)]:
            with torch.no_grad():
                L, acc = loss_accuracy(loss, model(X), Y)
            history[name + "_loss"].append(L.item())
            history[name + "_acc"].append(float(acc))
    return model, history
''', TRAIN2_TESTS),
    Variant("model3_module_subclass_and_parameter_list", "init_model_optim_code", '''\
class Net(torch.nn.Module):
    def __init__(self, nx, nh, ny):
        super().__init__()
        self.fc1 = torch.nn.Linear(nx, nh)
        self.act = torch.nn.Tanh()
        self.fc2 = torch.nn.Linear(nh, ny)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


def init_model(nx, nh, ny, eta, device=device):
    model = Net(nx, nh, ny)
    optim = torch.optim.SGD(list(model.parameters()), lr=eta, momentum=0.0)
    model.to(device)
    return model, torch.nn.CrossEntropyLoss(), optim
''', MODEL3_TESTS),
    mutant(ASSIGNMENT, "train3_zero_grad_set_to_none", "train_optim_code", TRAIN3_TESTS,
           ("            optim.zero_grad()", "            optim.zero_grad(set_to_none=True)")),
    Variant("train3_model_zero_grad_after_step", "train_optim_code", '''\
def train_optim(model, loss, optim, X_train, Y_train, X_test, Y_test, n_epochs, batch_size, progress=True):
    history = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
    model.zero_grad()
    for epoch in tqdm(range(n_epochs), disable=not progress):
        for idx in torch.randperm(len(X_train)).to(X_train.device).split(batch_size):
            Yhat = model(X_train[idx])
            L, _ = loss_accuracy(loss, Yhat, Y_train[idx])
            L.backward()
            optim.step()
            model.zero_grad()
        with torch.no_grad():
            train_L, train_acc = loss_accuracy(loss, model(X_train), Y_train)
            test_L, test_acc = loss_accuracy(loss, model(X_test), Y_test)
        history["train_loss"].append(train_L.item())
        history["train_acc"].append(float(train_acc))
        history["test_loss"].append(test_L.item())
        history["test_acc"].append(float(test_acc))
    return model, history
''', TRAIN3_TESTS),
    Variant("digits_wider_network_larger_batches", "digits_hparams_code",
            "digits_hparams = {'nh': 200, 'eta': 1.0, 'n_epochs': 20, 'batch_size': 50}\n", DIGITS_TESTS),
]

# The same loops with other shuffle mechanisms: any permutation drawn anew each epoch is right.
_TEACHER_SHUFFLE = "        for batch in torch.randperm(n).to(X_train.device).split(batch_size):"
SHUFFLES = {
    "random_shuffle": "        order = list(range(n))\n        random.shuffle(order)\n"
                      "        for batch in torch.tensor(order, device=X_train.device).split(batch_size):",
    "numpy_permutation": "        order = np.random.default_rng().permutation(n)\n"
                         "        for batch in torch.as_tensor(order, device=X_train.device).split(batch_size):",
    "argsort_rand": "        for batch in torch.argsort(torch.rand(n)).to(X_train.device).split(batch_size):",
    "randperm_own_generator": "        for batch in torch.randperm(n, generator=_shuffler).to(X_train.device).split(batch_size):",
}
for _step, _cell, _tests in (("train1", "train_autograd_code", TRAIN1_TESTS), ("train2", "train_nn_code", TRAIN2_TESTS),
                             ("train3", "train_optim_code", TRAIN3_TESTS)):
    for _name, _loop in SHUFFLES.items():
        _code = mutant(ASSIGNMENT, f"{_step}_shuffle_{_name}", _cell, _tests, (_TEACHER_SHUFFLE, _loop)).code
        if _name == "randperm_own_generator":
            _code = "_shuffler = torch.Generator().manual_seed(2024)\n" + _code
        CORRECT.append(Variant(f"{_step}_shuffle_{_name}", _cell, _code, _tests))

# Answers written independently, from the student's statement alone (tests/independent_banks/).
independent = independent_variants(ASSIGNMENT)
WRONG += independent.WRONG
CORRECT += independent.CORRECT
