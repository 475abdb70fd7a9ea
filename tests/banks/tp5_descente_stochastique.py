"""Validity bank for TP5 — Descente stochastique (sgd, sgd_mse, enumerate_batches, sgd_minibatch,
sgd_rmsprop, loss_by_region, batch_statistics).

Conventions in tests/banks/__init__.py.
"""
from coursekit.variants import Variant, mutant
from tests.independent_banks import independent_variants

ASSIGNMENT = "tp5_descente_stochastique"

SGD_TESTS = ("sgd_tests",)
SGD_MSE_TESTS = ("sgd_mse_tests",)
ENUMERATE_TESTS = ("enumerate_batches_tests",)
MINIBATCH_TESTS = ("sgd_minibatch_tests",)
RMSPROP_TESTS = ("sgd_rmsprop_tests",)
REGION_TESTS = ("loss_by_region_tests",)
STATISTICS_TESTS = ("batch_statistics_tests",)
# the answer cells whose test cells hold checks that involve randomness (bounds under every RNG stream)
RANDOM_ANSWERS = {"sgd_minibatch_code": MINIBATCH_TESTS, "sgd_rmsprop_code": RMSPROP_TESTS}

WRONG = [
    # gradients accumulate over the epochs
    mutant(ASSIGNMENT, 'sgd_gradient_never_zeroed', 'sgd_code', SGD_TESTS,
           ('        w.grad.zero_()\n',
            '')),
    # `w = w - eta * w.grad`: w is no longer a leaf, its .grad is None at the next epoch
    mutant(ASSIGNMENT, 'sgd_rebinds_w', 'sgd_code', SGD_TESTS,
           ('        with torch.no_grad():\n            w -= eta * w.grad\n        w.grad.zero_()\n',
            '        w = w - eta * w.grad\n')),
    # a detached copy is updated: the caller's w never changes
    mutant(ASSIGNMENT, 'sgd_rebinds_w_detached', 'sgd_code', SGD_TESTS,
           ('        with torch.no_grad():\n            w -= eta * w.grad\n        w.grad.zero_()\n',
            '        w = (w - eta * w.grad).detach().requires_grad_(True)\n')),
    # weights holds views of w (detach without clone): every entry is the final w
    mutant(ASSIGNMENT, 'sgd_weights_not_copied', 'sgd_code', SGD_TESTS,
           ('weights.append(w.detach().clone())',
            'weights.append(w.detach())')),
    # stopping rule loss <= epsilon instead of loss < epsilon
    mutant(ASSIGNMENT, 'sgd_stops_with_le', 'sgd_code', SGD_TESTS,
           ('if losses[-1] < epsilon:',
            'if losses[-1] <= epsilon:')),
    # stops before the update of the epoch that reached epsilon, which is not counted
    mutant(ASSIGNMENT, 'sgd_stop_test_before_update', 'sgd_code', SGD_TESTS,
           ('        loss.backward()\n',
            '        if loss.item() < epsilon:\n            break\n        loss.backward()\n'),
           ('        if losses[-1] < epsilon:\n            break\n',
            '')),
    # sum of squared errors instead of their mean (the step is n times too large)
    mutant(ASSIGNMENT, 'sgd_sum_of_squares', 'sgd_code', SGD_TESTS,
           ('torch.mean((y - f(w, x)) ** 2)',
            'torch.sum((y - f(w, x)) ** 2)')),
    # sign error: steps up the gradient
    mutant(ASSIGNMENT, 'sgd_gradient_ascent', 'sgd_code', SGD_TESTS,
           ('w -= eta * w.grad',
            'w += eta * w.grad')),
    # the step left to torch.optim.SGD in the exercise whose lesson is the step written by hand
    mutant(ASSIGNMENT, 'sgd_with_torch_optim', 'sgd_code', SGD_TESTS,
           ('    bar = tqdm(range(nepoch), desc="lot complet", disable=not progress)\n',
            '    optimizer = torch.optim.SGD([w], lr=eta)\n    bar = tqdm(range(nepoch), desc="lot complet", disable=not progress)\n'),
           ('        with torch.no_grad():\n            w -= eta * w.grad\n        w.grad.zero_()\n',
            '        optimizer.step()\n        optimizer.zero_grad()\n')),
    # the same shortcut in exercise 2 ("le reste ne change pas")
    mutant(ASSIGNMENT, 'sgd_mse_with_torch_optim', 'sgd_mse_code', SGD_MSE_TESTS,
           ('    criterion = torch.nn.MSELoss()\n',
            '    criterion = torch.nn.MSELoss()\n    optimizer = torch.optim.SGD([w], lr=eta)\n'),
           ('        with torch.no_grad():\n            w -= eta * w.grad\n        w.grad.zero_()\n',
            '        optimizer.step()\n        optimizer.zero_grad()\n')),
    # the batch sizes of a second pass over the loader (len(list(loader)) first): the loader is read twice
    mutant(ASSIGNMENT, 'enumerate_two_passes', 'enumerate_batches_code', ENUMERATE_TESTS,
           ('    sizes = []\n',
            '    sizes = []\n    print(f"{len(list(loader))} batchs")\n')),
    # MSELoss(reduction='sum'): a loss n times too large
    mutant(ASSIGNMENT, 'sgd_mse_reduction_sum', 'sgd_mse_code', SGD_MSE_TESTS,
           ('torch.nn.MSELoss()',
            'torch.nn.MSELoss(reduction="sum")')),
    # returns nepoch instead of the number of epochs run
    mutant(ASSIGNMENT, 'sgd_mse_returns_nepoch', 'sgd_mse_code', SGD_MSE_TESTS,
           ('return len(losses), losses, weights',
            'return nepoch, losses, weights')),
    # reports batch_size for every batch: the last, smaller batch is wrong
    mutant(ASSIGNMENT, 'enumerate_sizes_from_batch_size', 'enumerate_batches_code', ENUMERATE_TESTS,
           ('sizes.append(len(batch))',
            'sizes.append(loader.batch_size)')),
    # numbers batches and samples from 1
    mutant(ASSIGNMENT, 'enumerate_numbers_from_one', 'enumerate_batches_code', ENUMERATE_TESTS,
           ('print(f"lot {i}, exemple {j} :',
            'print(f"lot {i + 1}, exemple {j + 1} :')),
    # epoch loss = plain mean of the batch losses (last batch over-weighted)
    mutant(ASSIGNMENT, 'minibatch_unweighted_mean', 'sgd_minibatch_code', MINIBATCH_TESTS,
           ('total += loss.item() * len(batch)',
            'total += loss.item()'),
           ('losses.append(total / len(t))',
            'losses.append(total / len(loader))')),
    # the shuffle argument is not passed to the DataLoader (never shuffles)
    mutant(ASSIGNMENT, 'minibatch_shuffle_ignored', 'sgd_minibatch_code', MINIBATCH_TESTS,
           ('DataLoader(t, batch_size=minibatch, shuffle=shuffle)',
            'DataLoader(t, batch_size=minibatch)')),
    # weights each batch loss by minibatch instead of its actual size
    mutant(ASSIGNMENT, 'minibatch_weights_by_minibatch_argument', 'sgd_minibatch_code', MINIBATCH_TESTS,
           ('total += loss.item() * len(batch)',
            'total += loss.item() * minibatch')),
    # epoch loss = loss of all points with the end-of-epoch w, not the weighted mean of the batch losses
    mutant(ASSIGNMENT, 'minibatch_epoch_loss_after_epoch', 'sgd_minibatch_code', MINIBATCH_TESTS,
           ('        losses.append(total / len(t))\n',
            '        with torch.no_grad():\n            losses.append(criterion(f(w, t[:, 0]), t[:, 1]).item())\n')),
    # gradient zeroed once per epoch: it accumulates over the batches
    mutant(ASSIGNMENT, 'minibatch_zero_grad_once_per_epoch', 'sgd_minibatch_code', MINIBATCH_TESTS,
           ('            w.grad.zero_()\n            total',
            '            total'),
           ('        losses.append(total / len(t))\n',
            '        w.grad.zero_()\n        losses.append(total / len(t))\n')),
    # drop_last=True: the last, incomplete batch is never used
    mutant(ASSIGNMENT, 'minibatch_drop_last', 'sgd_minibatch_code', MINIBATCH_TESTS,
           ('DataLoader(t, batch_size=minibatch, shuffle=shuffle)',
            'DataLoader(t, batch_size=minibatch, shuffle=shuffle, drop_last=True)')),
    # the optimiser is built on a copy of w, which alone is updated
    mutant(ASSIGNMENT, 'rmsprop_optimizer_on_copy', 'sgd_rmsprop_code', RMSPROP_TESTS,
           ('torch.optim.RMSprop([w], lr=lr)',
            'torch.optim.RMSprop([w.detach().clone().requires_grad_(True)], lr=lr)')),
    # stopping rule on the last batch's loss (the original handout's trap)
    mutant(ASSIGNMENT, 'rmsprop_stops_on_last_batch_loss', 'sgd_rmsprop_code', RMSPROP_TESTS,
           ('if losses[-1] < epsilon:',
            'if loss.item() < epsilon:')),
    # never calls zero_grad, as if step() cleared the gradients
    mutant(ASSIGNMENT, 'rmsprop_no_zero_grad', 'sgd_rmsprop_code', RMSPROP_TESTS,
           ('            optimizer.zero_grad()\n',
            '')),
    # torch.optim.Adam instead of RMSprop
    mutant(ASSIGNMENT, 'rmsprop_uses_adam', 'sgd_rmsprop_code', RMSPROP_TESTS,
           ('torch.optim.RMSprop([w], lr=lr)',
            'torch.optim.Adam([w], lr=lr)')),
    # a new optimiser every epoch: RMSprop's running average restarts from zero
    mutant(ASSIGNMENT, 'rmsprop_optimizer_per_epoch', 'sgd_rmsprop_code', RMSPROP_TESTS,
           ('    optimizer = torch.optim.RMSprop([w], lr=lr)\n',
            ''),
           ('        total = 0.0\n',
            '        optimizer = torch.optim.RMSprop([w], lr=lr)\n        total = 0.0\n')),
    # regions taken one point in nregions (t[k::nregions]) instead of consecutive blocks
    mutant(ASSIGNMENT, 'regions_interleaved', 'loss_by_region_code', REGION_TESTS,
           ('for part in t.chunk(nregions)]',
            'for part in (t[k::nregions] for k in range(nregions))]')),
    # w.grad not zeroed between two backward: the batch gradients accumulate
    mutant(ASSIGNMENT, 'statistics_grad_not_zeroed', 'batch_statistics_code', STATISTICS_TESTS,
           ('        w.grad.zero_()\n',
            '')),
    # mean_batch_grad_norm computed as the norm of the mean batch gradient
    Variant('statistics_norm_of_mean_gradient', 'batch_statistics_code', '''\
def batch_statistics(f, w, t, minibatch=10):
    """Perte et norme du gradient sur tous les points, comparées à celles des batchs consécutifs de t."""
    def loss_and_grad(part):
        loss = torch.mean((part[:, 1] - f(w, part[:, 0])) ** 2)
        loss.backward()
        grad = w.grad.clone()
        w.grad.zero_()
        return loss.item(), grad

    full_loss, full_grad = loss_and_grad(t)
    batch_losses, batch_grads = zip(*[loss_and_grad(batch) for batch in DataLoader(t, batch_size=minibatch)])
    return {
        "full_loss": full_loss,
        "mean_batch_loss": sum(batch_losses) / len(batch_losses),
        "sum_batch_loss": sum(batch_losses),
        "full_grad_norm": full_grad.norm().item(),
        "mean_batch_grad_norm": torch.stack(batch_grads).mean(dim=0).norm().item(),
    }
''', STATISTICS_TESTS),
    # mean_batch_loss weighted by the batch sizes (the statement asks for the plain mean)
    Variant('statistics_weighted_mean_loss', 'batch_statistics_code', '''\
def batch_statistics(f, w, t, minibatch=10):
    """Perte et norme du gradient sur tous les points, comparées à celles des batchs consécutifs de t."""
    def loss_and_grad_norm(part):
        loss = torch.mean((part[:, 1] - f(w, part[:, 0])) ** 2)
        loss.backward()
        norm = w.grad.norm().item()
        w.grad.zero_()
        return loss.item(), norm

    full_loss, full_grad_norm = loss_and_grad_norm(t)
    batches = list(DataLoader(t, batch_size=minibatch))
    batch_losses, batch_norms = zip(*[loss_and_grad_norm(batch) for batch in batches])
    return {
        "full_loss": full_loss,
        "mean_batch_loss": sum(l * len(b) for l, b in zip(batch_losses, batches)) / len(t),
        "sum_batch_loss": sum(batch_losses),
        "full_grad_norm": full_grad_norm,
        "mean_batch_grad_norm": sum(batch_norms) / len(batch_norms),
    }
''', STATISTICS_TESTS),
]

CORRECT = [
    # while loop, w.data.sub_ and w.grad.data.zero_, a manual bar with update()
    Variant('sgd_seed_style_while_loop', 'sgd_code', '''\
def sgd(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
    """Descente de gradient à lot complet (écriture à la manière du sujet d'origine)."""
    bar = tqdm(total=nepoch, disable=not progress)
    epoch = 0
    x = t[:, 0]
    y = t[:, 1]
    losses = []
    weights = []
    while epoch < nepoch:
        loss = torch.mean(torch.pow(y - f(w, x), 2))
        loss.backward()
        w.data.sub_(eta * w.grad)
        w.grad.data.zero_()
        epoch += 1
        losses.append(float(loss))
        weights.append(w.data.clone())
        bar.update()
        bar.set_description("loss %f" % losses[-1])
        if losses[-1] < epsilon:
            break
    bar.close()
    return epoch, losses, weights
''', SGD_TESTS),
    # update with w.sub_ under no_grad, w.grad = None, (f - y)² and clone().detach() copies
    Variant('sgd_grad_set_to_none', 'sgd_code', '''\
def sgd(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
    """Descente de gradient à lot complet."""
    losses, weights = [], []
    epochs = 0
    for epochs in tqdm(range(1, nepoch + 1), disable=not progress):
        loss = ((f(w, t[:, 0]) - t[:, 1]) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w.sub_(w.grad, alpha=eta)
        w.grad = None
        losses.append(loss.detach().item())
        weights.append(w.clone().detach())
        if losses[-1] < epsilon:
            break
    return epochs, losses, weights
''', SGD_TESTS),
    # MSELoss(reduction='mean') on t's columns, w.add_ with alpha=-eta
    Variant('sgd_mse_add_alpha', 'sgd_mse_code', '''\
def sgd_mse(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
    """Comme sgd, avec le coût calculé par torch.nn.MSELoss."""
    criterion = torch.nn.MSELoss(reduction="mean")
    losses, weights = [], []
    with tqdm(range(nepoch), disable=not progress) as bar:
        for _ in bar:
            loss = criterion(f(w, t[:, 0]), t[:, 1])
            loss.backward()
            with torch.no_grad():
                w.add_(w.grad, alpha=-eta)
                w.grad.zero_()
            value = loss.item()
            losses.append(value)
            weights.append(w.detach().clone())
            bar.set_postfix(loss=value, refresh=False)
            if value < epsilon:
                break
    return len(losses), losses, weights
''', SGD_MSE_TESTS),
    # samples indexed by position, the original %f print format, sizes from shape[0]
    Variant('enumerate_seed_format', 'enumerate_batches_code', '''\
def enumerate_batches(loader, show=2):
    """Affiche les exemples des `show` premiers lots de loader et renvoie la taille de chaque lot."""
    sizes = []
    for i, data in enumerate(loader):
        sizes.append(data.shape[0])
        if i >= show:
            continue
        for j in range(data.shape[0]):
            x, y = data[j, 0], data[j, 1]
            print("lot %i, exemple %i : x = %f, y = %f" % (i, j, x.item(), y.item()))
    print(f"{len(sizes)} lots ; dernier lot : {sizes[-1] if sizes else 0} exemple(s)")
    return sizes
''', ENUMERATE_TESTS),
    # TensorDataset of (x, y), torch.optim.SGD, epoch loss from sums of squared errors
    Variant('minibatch_tensordataset_optim_sgd', 'sgd_minibatch_code', '''\
from torch.utils.data import TensorDataset


def sgd_minibatch(f, w, t, eta=4e-4, epsilon=0.1, nepoch=5, minibatch=10, shuffle=True, progress=True):
    """Descente par lots avec torch.optim.SGD sur un TensorDataset (x, y)."""
    loader = DataLoader(TensorDataset(t[:, 0], t[:, 1]), batch_size=minibatch, shuffle=shuffle)
    optimizer = torch.optim.SGD([w], lr=eta)
    losses, weights = [], []
    for _ in tqdm(range(nepoch), disable=not progress):
        squared_errors = 0.0
        for xb, yb in loader:
            optimizer.zero_grad()
            errors = (f(w, xb) - yb) ** 2
            errors.mean().backward()
            optimizer.step()
            squared_errors += errors.sum().item()
        optimizer.zero_grad()
        losses.append(squared_errors / len(t))
        weights.append(w.detach().clone())
        if losses[-1] < epsilon:
            break
    return len(losses), losses, weights
''', MINIBATCH_TESTS),
    # a new DataLoader each epoch, running weighted mean updated batch by batch
    Variant('minibatch_loader_per_epoch', 'sgd_minibatch_code', '''\
def sgd_minibatch(f, w, t, eta=4e-4, epsilon=0.1, nepoch=5, minibatch=10, shuffle=True, progress=True):
    """Descente par lots : une mise à jour par lot d'un DataLoader sur t."""
    criterion = torch.nn.MSELoss()
    losses, weights = [], []
    epoch = 0
    bar = tqdm(total=nepoch, disable=not progress)
    while epoch < nepoch:
        seen, epoch_loss = 0, 0.0
        for batch in DataLoader(t, batch_size=minibatch, shuffle=shuffle):
            loss = criterion(f(w, batch[:, 0]), batch[:, 1])
            loss.backward()
            with torch.no_grad():
                w -= eta * w.grad
                w.grad.zero_()
            seen += len(batch)
            epoch_loss += (loss.item() - epoch_loss) * len(batch) / seen
        epoch += 1
        bar.update()
        losses.append(epoch_loss)
        weights.append(w.detach().clone())
        if epoch_loss < epsilon:
            break
    bar.close()
    return epoch, losses, weights
''', MINIBATCH_TESTS),
    # zero_grad before backward and once more at the end, epoch loss kept as a tensor
    Variant('rmsprop_zero_grad_first', 'sgd_rmsprop_code', '''\
def sgd_rmsprop(f, w, t, lr=0.01, epsilon=1e-3, nepoch=3, minibatch=10, shuffle=True, progress=True):
    """Descente par lots dont les mises à jour sont faites par torch.optim.RMSprop."""
    trainloader = torch.utils.data.DataLoader(t, batch_size=minibatch, shuffle=shuffle)
    optimizer = torch.optim.RMSprop([w], lr=lr)
    criterion = torch.nn.MSELoss()
    losses, weights = [], []
    bar = tqdm(range(nepoch), disable=not progress)
    for epoch in bar:
        running = torch.zeros((), device=t.device)
        for i, data in enumerate(trainloader):
            optimizer.zero_grad()
            x, y = data[:, 0], data[:, 1]
            loss = criterion(f(w, x), y)
            loss.backward()
            optimizer.step()
            running += loss.detach() * len(data)
        epoch_loss = (running / len(t)).item()
        losses.append(epoch_loss)
        weights.append(w.detach().clone())
        bar.set_description("loss %f" % epoch_loss)
        if epoch_loss < epsilon:
            break
    optimizer.zero_grad()
    return len(losses), losses, weights
''', RMSPROP_TESTS),
    # explicit slices of len(t) // nregions points and F.mse_loss
    Variant('regions_loop_functional', 'loss_by_region_code', '''\
def loss_by_region(f, w, t, nregions=4):
    """MSE de f(w, x) sur chacune des nregions parts consécutives de t (liste de nombres)."""
    size = len(t) // nregions
    result = []
    for k in range(nregions):
        part = t[k * size:(k + 1) * size]
        with torch.no_grad():
            result.append(float(torch.nn.functional.mse_loss(f(w, part[:, 0]), part[:, 1])))
    return result
''', REGION_TESTS),
    # torch.autograd.grad (w.grad untouched), t.split and tensor statistics
    Variant('statistics_autograd_grad_split', 'batch_statistics_code', '''\
def batch_statistics(f, w, t, minibatch=10):
    """Perte et norme du gradient sur tous les points, comparées à celles des batchs consécutifs de t."""
    def loss_grad(part):
        loss = torch.nn.functional.mse_loss(f(w, part[:, 0]), part[:, 1])
        (grad,) = torch.autograd.grad(loss, w)
        return loss.detach(), torch.linalg.vector_norm(grad)

    full_loss, full_norm = loss_grad(t)
    pairs = [loss_grad(part) for part in t.split(minibatch)]
    batch_losses = torch.stack([p[0] for p in pairs])
    batch_norms = torch.stack([p[1] for p in pairs])
    return dict(full_loss=full_loss.item(), mean_batch_loss=batch_losses.mean().item(),
                sum_batch_loss=batch_losses.sum().item(), full_grad_norm=full_norm.item(),
                mean_batch_grad_norm=batch_norms.mean().item())
''', STATISTICS_TESTS),
]

# The mini-batch descents with other shuffle mechanisms: any permutation drawn anew each epoch is right.
_TEACHER_LOADER = "    loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)\n"
_BATCHES = {
    "randperm_slices": ("    n = len(t)\n",
                        "        order = torch.randperm(n, device=t.device) if shuffle else torch.arange(n, device=t.device)\n"
                        "        for batch in (t[order[k:k + minibatch]] for k in range(0, n, minibatch)):"),
    "random_shuffle": ("    import random\n    n = len(t)\n",
                       "        order = list(range(n))\n        if shuffle:\n            random.shuffle(order)\n"
                       "        for batch in t[torch.tensor(order, device=t.device)].split(minibatch):"),
    "numpy_permutation": ("    n = len(t)\n",
                          "        order = np.random.default_rng().permutation(n) if shuffle else np.arange(n)\n"
                          "        for batch in t[torch.as_tensor(order, device=t.device)].split(minibatch):"),
    "randperm_own_generator": ("    shuffler = torch.Generator(device=t.device).manual_seed(2024)\n    n = len(t)\n",
                               "        order = torch.randperm(n, generator=shuffler, device=t.device) if shuffle else torch.arange(n, device=t.device)\n"
                               "        for batch in t[order].split(minibatch):"),
    "argsort_rand": ("    n = len(t)\n",
                     "        order = torch.argsort(torch.rand(n, device=t.device)) if shuffle else torch.arange(n, device=t.device)\n"
                     "        for batch in t[order].split(minibatch):"),
    "loader_own_generator": ("    loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle,\n"
                             "                        generator=torch.Generator().manual_seed(2024))\n",
                             "        for batch in loader:"),
}
# every mechanism for the fixed-step descent; for RMSprop the four the issue names beside the teacher's DataLoader
_RMSPROP_BATCHES = ("random_shuffle", "numpy_permutation", "argsort_rand", "randperm_own_generator")
for _step, _cell, _tests, _names in (("minibatch", "sgd_minibatch_code", MINIBATCH_TESTS, tuple(_BATCHES)),
                                     ("rmsprop", "sgd_rmsprop_code", RMSPROP_TESTS, _RMSPROP_BATCHES)):
    for _name in _names:
        _setup, _loop = _BATCHES[_name]
        CORRECT.append(mutant(ASSIGNMENT, f"{_step}_shuffle_{_name}", _cell, _tests,
                              (_TEACHER_LOADER, _setup), ("        for batch in loader:", _loop)))

# Answers written independently, from the student's statement alone (tests/independent_banks/).
independent = independent_variants(ASSIGNMENT)
WRONG += independent.WRONG
CORRECT += independent.CORRECT
