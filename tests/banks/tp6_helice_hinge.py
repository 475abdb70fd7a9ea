"""Validity bank for TP6 — Hélice et hinge loss (compute_cat_per_pixel, hinge_loss, total_loss_loop and
train_classifier, hinge_loss_batch, HelixNet and accuracy, train_width, MINIMAL_WIDTH).

Conventions in tests/banks/__init__.py.
"""
from coursekit.variants import Variant, mutant
from tests.independent_banks import independent_variants

ASSIGNMENT = "tp6_helice_hinge"

CAT_TESTS = ("compute_cat_per_pixel_tests",)
HINGE_TESTS = ("hinge_loss_tests",)
TRAIN_TESTS = ("train_classifier_tests",)
BATCH_TESTS = ("hinge_loss_batch_tests",)
NET_TESTS = ("helix_net_tests",)
WIDTH_TESTS = ("train_width_tests",)
MINIMAL_TESTS = ("minimal_width_tests",)


def _mutant(name, cell, tests, *edits):
    return mutant(ASSIGNMENT, name, cell, tests, *edits)


# ---------------------------------------------------------------------------------------------
# Wrong answers
# ---------------------------------------------------------------------------------------------

WRONG = [
    # --- compute_cat_per_pixel -----------------------------------------------------------------
    _mutant("cat_argmax_over_the_rows", "compute_cat_per_pixel_code", CAT_TESTS,
            ("scores.argmax(dim=-1)", "scores.argmax(dim=0)")),
    _mutant("cat_argmax_over_the_columns", "compute_cat_per_pixel_code", CAT_TESTS,
            ("scores.argmax(dim=-1)", "scores.argmax(dim=1)")),
    _mutant("cat_coordinates_swapped", "compute_cat_per_pixel_code", CAT_TESTS,
            ("torch.stack([XX, YY], dim=-1)", "torch.stack([YY, XX], dim=-1)")),
    _mutant("cat_grid_transposed", "compute_cat_per_pixel_code", CAT_TESTS,
            ("return scores.argmax(dim=-1)", "return scores.argmax(dim=-1).T")),
    _mutant("cat_argmin", "compute_cat_per_pixel_code", CAT_TESTS,
            ("scores.argmax(dim=-1)", "scores.argmin(dim=-1)")),
    _mutant("cat_returns_the_best_score", "compute_cat_per_pixel_code", CAT_TESTS,
            ("scores.argmax(dim=-1)", "scores.max(dim=-1).values")),
    _mutant("cat_returns_numpy", "compute_cat_per_pixel_code", CAT_TESTS,
            ("return scores.argmax(dim=-1)", "return scores.argmax(dim=-1).cpu().numpy()")),
    Variant("cat_stacked_first_then_reshaped", "compute_cat_per_pixel_code", '''\
def compute_cat_per_pixel(model, XX, YY):
    with torch.no_grad():
        points = torch.stack([XX, YY]).reshape(-1, 2)  # (2, H, W) read as pairs: mixes x and y
        return model(points).argmax(dim=1).reshape(XX.shape)
''', CAT_TESTS),
    Variant("cat_linear_weights_only", "compute_cat_per_pixel_code", '''\
def compute_cat_per_pixel(model, XX, YY):
    W, b = model.weight, model.bias
    with torch.no_grad():
        scores = XX[..., None] * W[:, 0] + YY[..., None] * W[:, 1] + b
        return scores.argmax(dim=-1)
''', CAT_TESTS),

    # --- hinge_loss ----------------------------------------------------------------------------
    _mutant("hinge_true_class_included", "hinge_loss_code", HINGE_TESTS,
            ("return margins[others].sum()", "return margins.sum()")),
    _mutant("hinge_delta_sign_flipped", "hinge_loss_code", HINGE_TESTS,
            ("scores - scores[cat] + delta", "scores - scores[cat] - delta")),
    _mutant("hinge_max_without_zero", "hinge_loss_code", HINGE_TESTS,
            ("torch.clamp(scores - scores[cat] + delta, min=0)", "scores - scores[cat] + delta")),
    _mutant("hinge_mean_over_the_other_classes", "hinge_loss_code", HINGE_TESTS,
            ("margins[others].sum()", "margins[others].mean()")),
    _mutant("hinge_divided_by_the_number_of_classes", "hinge_loss_code", HINGE_TESTS,
            ("return margins[others].sum()", "return margins[others].sum() / len(scores)")),
    _mutant("hinge_difference_reversed", "hinge_loss_code", HINGE_TESTS,
            ("scores - scores[cat] + delta", "scores[cat] - scores + delta")),
    _mutant("hinge_max_instead_of_sum", "hinge_loss_code", HINGE_TESTS,
            ("margins[others].sum()", "margins[others].max()")),
    _mutant("hinge_squared", "hinge_loss_code", HINGE_TESTS,
            ("return margins[others].sum()", "return (margins[others] ** 2).sum()")),
    _mutant("hinge_true_score_detached", "hinge_loss_code", HINGE_TESTS,
            ("scores - scores[cat] + delta", "scores - scores[cat].detach() + delta")),
    _mutant("hinge_returns_a_python_float", "hinge_loss_code", HINGE_TESTS,
            ("return margins[others].sum()", "return margins[others].sum().item()")),
    _mutant("hinge_three_classes_hard_coded", "hinge_loss_code", HINGE_TESTS,
            ("torch.arange(len(scores), device=scores.device)", "torch.arange(3, device=scores.device)")),

    # --- total_loss_loop and train_classifier --------------------------------------------------
    _mutant("train_no_zero_grad", "train_classifier_code", TRAIN_TESTS,
            ("        optimizer.zero_grad()\n", "")),
    _mutant("train_keeps_loss_tensors", "train_classifier_code", TRAIN_TESTS,
            ("losses.append(loss.item())", "losses.append(loss)")),
    _mutant("train_records_the_loss_after_the_step", "train_classifier_code", TRAIN_TESTS,
            ("losses.append(loss.item())", "losses.append(total_loss(model, X, cats, delta).item())")),
    _mutant("train_sgd_hard_coded", "train_classifier_code", TRAIN_TESTS,
            ("optimizer = optimizer_class(model.parameters(), lr=lr)", "optimizer = torch.optim.SGD(model.parameters(), lr=lr)")),
    _mutant("train_ignores_total_loss", "train_classifier_code", TRAIN_TESTS,
            ("loss = total_loss(model, X, cats, delta)", "loss = total_loss_loop(model, X, cats, delta)")),
    _mutant("train_margin_hard_coded", "train_classifier_code", TRAIN_TESTS,
            ("loss = total_loss(model, X, cats, delta)", "loss = total_loss(model, X, cats, 1.0)")),
    _mutant("train_optimizer_created_every_epoch", "train_classifier_code", TRAIN_TESTS,
            ("    optimizer = optimizer_class(model.parameters(), lr=lr)\n", ""),
            ("        optimizer.zero_grad()\n", "        optimizer = optimizer_class(model.parameters(), lr=lr)\n        optimizer.zero_grad()\n")),
    _mutant("train_step_before_backward", "train_classifier_code", TRAIN_TESTS,
            ("        loss.backward()\n        optimizer.step()\n", "        optimizer.step()\n        loss.backward()\n")),
    _mutant("train_copies_the_model", "train_classifier_code", TRAIN_TESTS,
            ("    optimizer = optimizer_class(model.parameters(), lr=lr)\n",
             "    import copy\n    model = copy.deepcopy(model)\n    optimizer = optimizer_class(model.parameters(), lr=lr)\n")),
    _mutant("total_loss_mean_instead_of_sum", "train_classifier_code", TRAIN_TESTS,
            ("    return total\n", "    return total / len(X)\n")),
    _mutant("total_loss_skips_the_last_sample", "train_classifier_code", TRAIN_TESTS,
            ("for x, cat in zip(X, cats):", "for x, cat in zip(X[:-1], cats[:-1]):")),

    # --- hinge_loss_batch ----------------------------------------------------------------------
    _mutant("batch_true_class_included", "hinge_loss_batch_code", BATCH_TESTS,
            ("return margins[others].sum()", "return margins.sum()")),
    _mutant("batch_mean_over_the_batch", "hinge_loss_batch_code", BATCH_TESTS,
            ("return margins[others].sum()", "return margins[others].sum() / len(cats)")),
    _mutant("batch_mean_over_the_entries", "hinge_loss_batch_code", BATCH_TESTS,
            ("margins[others].sum()", "margins[others].mean()")),
    _mutant("batch_delta_sign_flipped", "hinge_loss_batch_code", BATCH_TESTS,
            ("true_scores[:, None] + delta", "true_scores[:, None] - delta")),
    _mutant("batch_max_without_zero", "hinge_loss_batch_code", BATCH_TESTS,
            ("torch.clamp(scores - true_scores[:, None] + delta, min=0)", "scores - true_scores[:, None] + delta")),
    _mutant("batch_true_scores_not_a_column", "hinge_loss_batch_code", BATCH_TESTS,
            ("scores - true_scores[:, None] + delta", "scores - true_scores + delta")),
    _mutant("batch_true_scores_whole_columns", "hinge_loss_batch_code", BATCH_TESTS,
            ("true_scores = scores[I, cats]", "true_scores = scores[:, cats]")),
    _mutant("batch_mask_whole_columns", "hinge_loss_batch_code", BATCH_TESTS,
            ("others[I, cats] = False", "others[:, cats] = False")),
    _mutant("batch_true_scores_detached", "hinge_loss_batch_code", BATCH_TESTS,
            ("true_scores = scores[I, cats]", "true_scores = scores[I, cats].detach()")),
    _mutant("batch_best_score_instead_of_true_score", "hinge_loss_batch_code", BATCH_TESTS,
            ("true_scores = scores[I, cats]", "true_scores = scores.max(dim=1).values")),
    Variant("batch_python_loop_over_samples", "hinge_loss_batch_code", '''\
def hinge_loss_batch(scores, cats, delta):
    total = torch.zeros((), dtype=scores.dtype, device=scores.device)
    for i in range(len(cats)):
        margins = torch.clamp(scores[i] - scores[i, cats[i]] + delta, min=0)
        total = total + margins.sum() - margins[cats[i]]
    return total
''', BATCH_TESTS),
    Variant("batch_worst_class_only", "hinge_loss_batch_code", '''\
def hinge_loss_batch(scores, cats, delta):
    I = torch.arange(len(cats), device=scores.device)
    margins = torch.clamp(scores - scores[I, cats][:, None] + delta, min=0)
    margins[I, cats] = 0
    return margins.max(dim=1).values.sum()
''', BATCH_TESTS),
    Variant("batch_multi_margin_loss_defaults", "hinge_loss_batch_code", '''\
def hinge_loss_batch(scores, cats, delta):
    return torch.nn.functional.multi_margin_loss(scores, cats, margin=delta)
''', BATCH_TESTS),

    # --- HelixNet and accuracy -----------------------------------------------------------------
    _mutant("net_without_relu", "helix_net_code", NET_TESTS,
            ("self.layer2(torch.relu(self.layer1(x)))", "self.layer2(self.layer1(x))")),
    _mutant("net_relu_on_the_scores", "helix_net_code", NET_TESTS,
            ("return self.layer2(torch.relu(self.layer1(x)))", "return torch.relu(self.layer2(torch.relu(self.layer1(x))))")),
    _mutant("net_sigmoid_instead_of_relu", "helix_net_code", NET_TESTS,
            ("torch.relu(self.layer1(x))", "torch.sigmoid(self.layer1(x))")),
    _mutant("net_hidden_layer_without_bias", "helix_net_code", NET_TESTS,
            ("torch.nn.Linear(2, hidden)", "torch.nn.Linear(2, hidden, bias=False)")),
    _mutant("net_three_classes_hard_coded", "helix_net_code", NET_TESTS,
            ("torch.nn.Linear(hidden, n_classes)", "torch.nn.Linear(hidden, 3)")),
    _mutant("net_layers_created_in_reverse_order", "helix_net_code", NET_TESTS,
            ("        self.layer1 = torch.nn.Linear(2, hidden)\n        self.layer2 = torch.nn.Linear(hidden, n_classes)\n",
             "        self.layer2 = torch.nn.Linear(hidden, n_classes)\n        self.layer1 = torch.nn.Linear(2, hidden)\n")),
    _mutant("accuracy_counts_instead_of_proportion", "helix_net_code", NET_TESTS,
            (".float().mean().item()", ".float().sum().item()")),
    _mutant("accuracy_returns_a_tensor", "helix_net_code", NET_TESTS,
            (".float().mean().item()", ".float().mean()")),
    _mutant("accuracy_argmax_over_the_batch", "helix_net_code", NET_TESTS,
            ("argmax(dim=1)", "argmax(dim=0)")),

    # --- train_width ---------------------------------------------------------------------------
    _mutant("width_no_seed", "train_width_code", WIDTH_TESTS,
            ("    torch.manual_seed(seed)\n", "")),
    _mutant("width_seed_after_the_model", "train_width_code", WIDTH_TESTS,
            ("    torch.manual_seed(seed)\n    model = HelixNet(hidden, n_classes=int(cats.max()) + 1).to(X.device)\n",
             "    model = HelixNet(hidden, n_classes=int(cats.max()) + 1).to(X.device)\n    torch.manual_seed(seed)\n")),
    _mutant("width_seed_ignored", "train_width_code", WIDTH_TESTS,
            ("torch.manual_seed(seed)", "torch.manual_seed(0)")),
    _mutant("width_three_classes_hard_coded", "train_width_code", WIDTH_TESTS,
            ("HelixNet(hidden, n_classes=int(cats.max()) + 1)", "HelixNet(hidden)")),
    _mutant("width_sgd_instead_of_adam", "train_width_code", WIDTH_TESTS,
            ("optimizer_class=torch.optim.Adam", "optimizer_class=torch.optim.SGD")),
    _mutant("width_epochs_hard_coded", "train_width_code", WIDTH_TESTS,
            ("delta, lr, n_epochs, total_loss", "delta, lr, HELIX_EPOCHS, total_loss")),
    _mutant("width_margin_hard_coded", "train_width_code", WIDTH_TESTS,
            ("cats, delta, lr, n_epochs", "cats, 1.0, lr, n_epochs")),
    _mutant("width_learning_rate_hard_coded", "train_width_code", WIDTH_TESTS,
            ("delta, lr, n_epochs, total_loss", "delta, HELIX_LR, n_epochs, total_loss")),
    _mutant("width_returns_a_percentage", "train_width_code", WIDTH_TESTS,
            ("return accuracy(model, X, cats)", "return 100 * accuracy(model, X, cats)")),

    # --- the library's margin loss, which does the exercise (forbidden by the statement) ----------
    Variant("hinge_multi_margin_loss_times_classes", "hinge_loss_code", '''\
import torch.nn.functional as F


def hinge_loss(scores, cat, delta):
    target = torch.as_tensor(cat, device=scores.device).reshape(1).long()
    return F.multi_margin_loss(scores.unsqueeze(0), target, margin=delta, reduction="sum") * scores.shape[0]
''', HINGE_TESTS),
    Variant("batch_multi_margin_loss_sum_times_classes", "hinge_loss_batch_code", '''\
def hinge_loss_batch(scores, cats, delta):
    # MultiMarginLoss divides each sample by C: multiply back, and sum over the batch
    return torch.nn.functional.multi_margin_loss(scores, cats, margin=delta, reduction="sum") * scores.shape[1]
''', BATCH_TESTS),

    # --- MINIMAL_WIDTH -------------------------------------------------------------------------
    # one step either side of the answer: 30 reaches 93 %, 300 is not the smallest width that reaches 100 %
    _mutant("minimal_width_one_step_below", "minimal_width_code", MINIMAL_TESTS,
            ("MINIMAL_WIDTH = 100", "MINIMAL_WIDTH = 30")),
    _mutant("minimal_width_one_step_above", "minimal_width_code", MINIMAL_TESTS,
            ("MINIMAL_WIDTH = 100", "MINIMAL_WIDTH = 300")),
    _mutant("minimal_width_smallest_tried", "minimal_width_code", MINIMAL_TESTS,
            ("MINIMAL_WIDTH = 100", "MINIMAL_WIDTH = 10")),
    _mutant("minimal_width_largest_tried", "minimal_width_code", MINIMAL_TESTS,
            ("MINIMAL_WIDTH = 100", "MINIMAL_WIDTH = 1000")),
    _mutant("minimal_width_two_steps_too_large", "minimal_width_code", MINIMAL_TESTS,
            ("MINIMAL_WIDTH = 100", "MINIMAL_WIDTH = 500")),
]


# ---------------------------------------------------------------------------------------------
# Alternative correct answers
# ---------------------------------------------------------------------------------------------

CORRECT = [
    # --- compute_cat_per_pixel -----------------------------------------------------------------
    Variant("cat_flattened_points", "compute_cat_per_pixel_code", '''\
def compute_cat_per_pixel(model, XX, YY):
    points = torch.stack([XX.flatten(), YY.flatten()], dim=1)  # (H * W, 2)
    with torch.no_grad():
        cats = model(points).argmax(dim=1)
    return cats.reshape(XX.shape)
''', CAT_TESTS),
    Variant("cat_dstack_and_max_indices", "compute_cat_per_pixel_code", '''\
def compute_cat_per_pixel(model, XX, YY):
    scores = model(torch.dstack((XX, YY))).detach()
    return scores.max(dim=2).indices
''', CAT_TESTS),
    Variant("cat_concatenated_columns", "compute_cat_per_pixel_code", '''\
def compute_cat_per_pixel(model, XX, YY):
    grid = torch.cat([XX.unsqueeze(-1), YY.unsqueeze(-1)], dim=-1)
    with torch.no_grad():
        return torch.argmax(model(grid), dim=grid.dim() - 1).long()
''', CAT_TESTS),
    Variant("cat_column_stack_view_as", "compute_cat_per_pixel_code", '''\
def compute_cat_per_pixel(model, XX, YY):
    with torch.no_grad():
        scores = model(torch.column_stack((XX.ravel(), YY.ravel())))
    return scores.argmax(1).view_as(XX)
''', CAT_TESTS),

    # --- hinge_loss ----------------------------------------------------------------------------
    Variant("hinge_loop_over_other_classes", "hinge_loss_code", '''\
def hinge_loss(scores, cat, delta):
    total = torch.zeros((), dtype=scores.dtype, device=scores.device)
    for j in range(scores.shape[0]):
        if j != int(cat):
            total = total + torch.relu(scores[j] - scores[cat] + delta)
    return total
''', HINGE_TESTS),
    Variant("hinge_every_class_minus_delta", "hinge_loss_code", '''\
def hinge_loss(scores, cat, delta):
    # the true class adds max(0, delta) = delta (delta >= 0): take it back
    return torch.relu(scores - scores[cat] + delta).sum() - delta
''', HINGE_TESTS),
    Variant("hinge_concatenated_slices", "hinge_loss_code", '''\
def hinge_loss(scores, cat, delta):
    cat = int(cat)
    others = torch.cat([scores[:cat], scores[cat + 1:]])
    return torch.clamp(others - scores[cat] + delta, min=0).sum()
''', HINGE_TESTS),
    Variant("hinge_where_mask", "hinge_loss_code", '''\
def hinge_loss(scores, cat, delta):
    margins = torch.maximum(scores - scores[cat] + delta, torch.zeros_like(scores))
    is_true = torch.arange(scores.numel(), device=scores.device) == cat
    return torch.where(is_true, torch.zeros_like(margins), margins).sum()
''', HINGE_TESTS),

    # --- total_loss_loop and train_classifier --------------------------------------------------
    Variant("train_indexed_loop_stack_and_float", "train_classifier_code", '''\
def total_loss_loop(model, X, cats, delta):
    return torch.stack([hinge_loss(model(X[i]), cats[i], delta) for i in range(len(X))]).sum()


def train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_loop,
                     optimizer_class=torch.optim.SGD, progress=True):
    optimizer = optimizer_class(model.parameters(), lr=lr)
    history = []
    for epoch in tqdm(range(n_epochs), disable=not progress):
        model.zero_grad()
        value = total_loss(model, X, cats, delta)
        history.append(float(value))
        value.backward()
        optimizer.step()
    return history
''', TRAIN_TESTS),
    Variant("train_batch_of_one_and_zero_grad_to_zero", "train_classifier_code", '''\
def total_loss_loop(model, X, cats, delta):
    total = 0
    for i in range(X.shape[0]):
        scores = model(X[i:i + 1])[0]  # a batch of one sample
        total = total + hinge_loss(scores, int(cats[i]), delta)
    return total


def train_classifier(model, X, cats, delta, lr, n_epochs, total_loss=total_loss_loop,
                     optimizer_class=torch.optim.SGD, progress=True):
    optimizer = optimizer_class(params=model.parameters(), lr=lr)
    losses = []
    for _ in tqdm(range(n_epochs), disable=not progress):
        optimizer.zero_grad(set_to_none=False)
        loss = total_loss(model, X, cats, delta)
        loss.backward()
        optimizer.step()
        losses.append(loss.detach().item())
    return losses
''', TRAIN_TESTS),

    # --- hinge_loss_batch ----------------------------------------------------------------------
    Variant("batch_gather", "hinge_loss_batch_code", '''\
def hinge_loss_batch(scores, cats, delta):
    true = scores.gather(1, cats.unsqueeze(1))  # (N, 1)
    margins = torch.clamp(scores - true + delta, min=0)
    return margins.sum() - margins.gather(1, cats.unsqueeze(1)).sum()
''', BATCH_TESTS),
    Variant("batch_one_hot_mask", "hinge_loss_batch_code", '''\
import torch.nn.functional as F


def hinge_loss_batch(scores, cats, delta):
    I = torch.arange(scores.shape[0], device=scores.device)
    margins = F.relu(scores - scores[I, cats].unsqueeze(1) + delta)
    mask = 1 - F.one_hot(cats, num_classes=scores.shape[1]).to(scores.dtype)
    return (margins * mask).sum()
''', BATCH_TESTS),
    Variant("batch_relu_minus_n_delta", "hinge_loss_batch_code", '''\
def hinge_loss_batch(scores, cats, delta):
    N = len(cats)
    I = torch.arange(0, N, dtype=torch.int64, device=scores.device)
    return torch.relu(scores - scores[I, cats].view(N, 1) + delta).sum() - N * delta
''', BATCH_TESTS),
    Variant("batch_true_class_set_to_minus_infinity", "hinge_loss_batch_code", '''\
def hinge_loss_batch(scores, cats, delta):
    I = torch.arange(len(cats), device=scores.device)
    true = scores[I, cats]
    others = scores.scatter(1, cats[:, None], float("-inf"))  # the true class can no longer count
    return torch.clamp(others - true[:, None] + delta, min=0).sum()
''', BATCH_TESTS),
    Variant("batch_where_mask", "hinge_loss_batch_code", '''\
def hinge_loss_batch(scores, cats, delta):
    classes = torch.arange(scores.shape[1], device=scores.device)
    is_true = classes[None, :] == cats[:, None]                        # (N, C)
    true = (scores * is_true).sum(dim=1, keepdim=True)
    margins = torch.where(is_true, torch.zeros_like(scores), scores - true + delta)
    return margins.clamp_min(0).sum()
''', BATCH_TESTS),

    # --- HelixNet and accuracy -----------------------------------------------------------------
    Variant("net_sequential_and_sum_over_len", "helix_net_code", '''\
class HelixNet(torch.nn.Module):
    def __init__(self, hidden, n_classes=3):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(2, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, n_classes))

    def forward(self, x):
        return self.net(x)


def accuracy(model, X, cats):
    predicted = model(X).detach().argmax(dim=-1)
    return (predicted == cats).sum().item() / len(cats)
''', NET_TESTS),
    Variant("net_functional_relu_and_eq", "helix_net_code", '''\
import torch.nn.functional as F


class HelixNet(torch.nn.Module):
    def __init__(self, hidden, n_classes=3):
        super().__init__()
        self.fc1 = torch.nn.Linear(in_features=2, out_features=hidden)
        self.fc2 = torch.nn.Linear(in_features=hidden, out_features=n_classes)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        return self.fc2(h)


@torch.no_grad()
def accuracy(model, X, cats):
    return float(torch.eq(torch.max(model(X), 1)[1], cats).double().mean())
''', NET_TESTS),
    Variant("net_clamp_and_module_list", "helix_net_code", '''\
class HelixNet(torch.nn.Module):
    def __init__(self, hidden, n_classes=3):
        super().__init__()
        self.layers = torch.nn.ModuleList([torch.nn.Linear(2, hidden), torch.nn.Linear(hidden, n_classes)])

    def forward(self, x):
        return self.layers[1](self.layers[0](x).clamp(min=0))


def accuracy(model, X, cats):
    with torch.no_grad():
        good = model(X).argmax(dim=1).eq(cats)
    return good.float().mean().item()
''', NET_TESTS),

    # --- train_width ---------------------------------------------------------------------------
    Variant("width_set_seed_and_unique_classes", "train_width_code", '''\
def train_width(hidden, X, cats, delta=1.0, lr=HELIX_LR, n_epochs=HELIX_EPOCHS, seed=0, progress=False):
    set_seed(seed)
    model = HelixNet(hidden, len(torch.unique(cats)))
    model = model.to(X.device)
    train_classifier(model, X, cats, delta=delta, lr=lr, n_epochs=n_epochs, total_loss=total_loss_batch,
                     optimizer_class=torch.optim.Adam, progress=progress)
    return accuracy(model, X, cats)
''', WIDTH_TESTS),
    Variant("width_own_adam_loop", "train_width_code", '''\
def train_width(hidden, X, cats, delta=1.0, lr=HELIX_LR, n_epochs=HELIX_EPOCHS, seed=0, progress=False):
    torch.manual_seed(seed)
    model = HelixNet(hidden, n_classes=int(cats.max().item()) + 1).to(X.device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in tqdm(range(n_epochs), disable=not progress):
        optimizer.zero_grad()
        loss = hinge_loss_batch(model(X), cats, delta)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        return (model(X).argmax(dim=1) == cats).float().mean().item()
''', WIDTH_TESTS),
]

# Answers written independently, from the student's statement alone (tests/independent_banks/).
independent = independent_variants(ASSIGNMENT)
WRONG += independent.WRONG
CORRECT += independent.CORRECT
