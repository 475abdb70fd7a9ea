"""Independent bank of student answers for TP5 (descente stochastique).

Written from the student statement only (release notebook), without reading the teacher's
solution, the hidden tests or the course's own bank. CORRECT variants satisfy every promise of
the statement; each WRONG variant breaks one (a plausible bug, a lazy shortcut or a rule the
statement states), and differs from a correct answer on some input the statement covers.
"""
from __future__ import annotations

import textwrap

from coursekit.variants import Variant

ASSIGNMENT = "tp5_descente_stochastique"


def _v(name: str, cell: str, code: str, tests: tuple[str, ...] | None = None) -> Variant:
    if tests is None:
        tests = (cell[: -len("_code")] + "_tests",)
    return Variant(name, cell, textwrap.dedent(code).strip("\n") + "\n", tuple(tests))


# ---------------------------------------------------------------------------------------------
# Exercice 1 — sgd (lot complet, mise à jour à la main)
# ---------------------------------------------------------------------------------------------
_SGD = "sgd_code"

SGD_CORRECT = [
    _v("sgd_no_grad_zero", _SGD, '''
        def sgd(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            x, y = t[:, 0], t[:, 1]
            losses, weights = [], []
            bar = tqdm(range(nepoch), disable=not progress)
            epochs = 0
            for epoch in bar:
                loss = torch.mean((y - f(w, x)) ** 2)
                loss.backward()
                with torch.no_grad():
                    w -= eta * w.grad
                w.grad.zero_()
                epochs += 1
                losses.append(loss.item())
                weights.append(w.detach().clone())
                bar.set_postfix(loss=losses[-1], refresh=False)
                if losses[-1] < epsilon:
                    break
            return epochs, losses, weights
    '''),
    _v("sgd_data_sub_grad_none", _SGD, '''
        def sgd(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            """Batch complet, pas fait avec w.data.sub_ et gradient remis à None."""
            x = t[:, 0]
            y = t[:, 1]
            n = t.shape[0]
            losses = []
            weights = []
            for epoch in tqdm(range(nepoch), disable=not progress):
                residual = y - f(w, x)
                loss = (residual * residual).sum() / n
                loss.backward()
                w.data.sub_(eta * w.grad)
                w.grad = None
                losses.append(float(loss))
                weights.append(w.detach().clone())
                if progress:
                    print(f"époque {epoch + 1} : coût {losses[-1]:.4f}")
                if loss.item() < epsilon:
                    return epoch + 1, losses, weights
            return nepoch, losses, weights
    '''),
    _v("sgd_while_loop_add", _SGD, '''
        def sgd(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            xs, ys = t[:, 0], t[:, 1]
            losses, weights = [], []
            bar = tqdm(range(nepoch), disable=not progress)
            epoch = 0
            stop = False
            while epoch < nepoch and not stop:
                if w.grad is not None:
                    w.grad.zero_()
                loss = ((f(w, xs) - ys) ** 2).mean()
                loss.backward()
                with torch.no_grad():
                    w.add_(w.grad, alpha=-eta)
                epoch += 1
                bar.update(1)
                bar.set_postfix(loss=loss.item(), refresh=False)
                losses.append(loss.item())
                weights.append(w.detach().clone())
                stop = losses[-1] < epsilon
            w.grad.zero_()
            bar.close()
            return epoch, losses, weights
    '''),
    _v("sgd_autograd_grad_f64_loss", _SGD, '''
        def sgd(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            x, y = t[:, 0], t[:, 1]
            losses, weights = [], []
            done = 0
            for _ in tqdm(range(nepoch), disable=not progress):
                loss = torch.nn.functional.mse_loss(f(w, x), y)
                loss.backward()
                with torch.no_grad():
                    w.copy_(w - eta * w.grad)
                    w.grad.zero_()
                done += 1
                losses.append(float(loss.detach().double()))
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return done, losses, weights
    '''),
]

SGD_WRONG = [
    _v("sgd_no_zero_grad", _SGD, '''
        def sgd(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            x, y = t[:, 0], t[:, 1]
            losses, weights = [], []
            epochs = 0
            for epoch in tqdm(range(nepoch), disable=not progress):
                loss = torch.mean((y - f(w, x)) ** 2)
                loss.backward()
                with torch.no_grad():
                    w -= eta * w.grad
                epochs += 1
                losses.append(loss.item())
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return epochs, losses, weights
    '''),
    _v("sgd_sum_loss", _SGD, '''
        def sgd(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            x, y = t[:, 0], t[:, 1]
            losses, weights = [], []
            epochs = 0
            for epoch in tqdm(range(nepoch), disable=not progress):
                loss = torch.sum((y - f(w, x)) ** 2)
                loss.backward()
                with torch.no_grad():
                    w -= eta * w.grad
                w.grad.zero_()
                epochs += 1
                losses.append(loss.item())
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return epochs, losses, weights
    '''),
    _v("sgd_stop_before_update", _SGD, '''
        def sgd(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            x, y = t[:, 0], t[:, 1]
            losses, weights = [], []
            epochs = 0
            for epoch in tqdm(range(nepoch), disable=not progress):
                loss = torch.mean((y - f(w, x)) ** 2)
                epochs += 1
                losses.append(loss.item())
                if losses[-1] < epsilon:
                    weights.append(w.detach().clone())
                    break
                loss.backward()
                with torch.no_grad():
                    w -= eta * w.grad
                w.grad.zero_()
                weights.append(w.detach().clone())
            return epochs, losses, weights
    '''),
    _v("sgd_loss_after_step", _SGD, '''
        def sgd(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            x, y = t[:, 0], t[:, 1]
            losses, weights = [], []
            epochs = 0
            for epoch in tqdm(range(nepoch), disable=not progress):
                loss = torch.mean((y - f(w, x)) ** 2)
                loss.backward()
                with torch.no_grad():
                    w -= eta * w.grad
                    loss = torch.mean((y - f(w, x)) ** 2)
                w.grad.zero_()
                epochs += 1
                losses.append(loss.item())
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return epochs, losses, weights
    '''),
    _v("sgd_weights_not_copied", _SGD, '''
        def sgd(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            x, y = t[:, 0], t[:, 1]
            losses, weights = [], []
            epochs = 0
            for epoch in tqdm(range(nepoch), disable=not progress):
                loss = torch.mean((y - f(w, x)) ** 2)
                loss.backward()
                with torch.no_grad():
                    w -= eta * w.grad
                w.grad.zero_()
                epochs += 1
                losses.append(loss.item())
                weights.append(w.detach())
                if losses[-1] < epsilon:
                    break
            return epochs, losses, weights
    '''),
    _v("sgd_stop_less_equal", _SGD, '''
        def sgd(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            x, y = t[:, 0], t[:, 1]
            losses, weights = [], []
            epochs = 0
            for epoch in tqdm(range(nepoch), disable=not progress):
                loss = torch.mean((y - f(w, x)) ** 2)
                loss.backward()
                with torch.no_grad():
                    w -= eta * w.grad
                w.grad.zero_()
                epochs += 1
                losses.append(loss.item())
                weights.append(w.detach().clone())
                if losses[-1] <= epsilon:
                    break
            return epochs, losses, weights
    '''),
    _v("sgd_optimizer_shortcut", _SGD, '''
        def sgd(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            x, y = t[:, 0], t[:, 1]
            optimizer = torch.optim.SGD([w], lr=eta)
            losses, weights = [], []
            epochs = 0
            for epoch in tqdm(range(nepoch), disable=not progress):
                optimizer.zero_grad()
                loss = torch.mean((y - f(w, x)) ** 2)
                loss.backward()
                optimizer.step()
                epochs += 1
                losses.append(loss.item())
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            optimizer.zero_grad()
            return epochs, losses, weights
    '''),
]

# ---------------------------------------------------------------------------------------------
# Exercice 2 — sgd_mse
# ---------------------------------------------------------------------------------------------
_MSE = "sgd_mse_code"

MSE_CORRECT = [
    _v("mse_criterion_pred_target", _MSE, '''
        def sgd_mse(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            criterion = torch.nn.MSELoss()
            x, y = t[:, 0], t[:, 1]
            losses, weights = [], []
            epochs = 0
            bar = tqdm(range(nepoch), disable=not progress)
            for epoch in bar:
                loss = criterion(f(w, x), y)
                loss.backward()
                with torch.no_grad():
                    w -= eta * w.grad
                w.grad.zero_()
                epochs += 1
                losses.append(loss.item())
                weights.append(w.detach().clone())
                bar.set_postfix(loss=losses[-1], refresh=False)
                if losses[-1] < epsilon:
                    break
            return epochs, losses, weights
    '''),
    _v("mse_target_first_reduction_kw", _MSE, '''
        from torch import nn


        def sgd_mse(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            """Le critère est symétrique : l'ordre (cible, prédiction) donne le même coût."""
            loss_fn = nn.MSELoss(reduction="mean")
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                w.grad = None
                loss = loss_fn(t[:, 1], f(w, t[:, 0]))
                loss.backward()
                with torch.no_grad():
                    w.sub_(eta * w.grad)
                losses.append(loss.item())
                weights.append(w.detach().clone())
                if loss.item() < epsilon:
                    break
            w.grad = None
            return len(losses), losses, weights
    '''),
    _v("mse_unsqueezed_both", _MSE, '''
        def sgd_mse(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            criterion = torch.nn.MSELoss()
            x = t[:, 0]
            y = t[:, 1:]                      # (n, 1)
            losses, weights = [], []
            n_done = 0
            for _ in tqdm(range(nepoch), disable=not progress):
                prediction = f(w, x).unsqueeze(1)  # (n, 1), même forme que y
                loss = criterion(prediction, y)
                loss.backward()
                with torch.no_grad():
                    w -= eta * w.grad
                    w.grad.zero_()
                n_done += 1
                losses.append(loss.item())
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return n_done, losses, weights
    '''),
]

MSE_WRONG = [
    _v("mse_reduction_sum", _MSE, '''
        def sgd_mse(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            criterion = torch.nn.MSELoss(reduction="sum")
            x, y = t[:, 0], t[:, 1]
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                loss = criterion(f(w, x), y)
                loss.backward()
                with torch.no_grad():
                    w -= eta * w.grad
                w.grad.zero_()
                losses.append(loss.item())
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return len(losses), losses, weights
    '''),
    _v("mse_broadcast_shapes", _MSE, '''
        def sgd_mse(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            criterion = torch.nn.MSELoss()
            x, y = t[:, 0], t[:, 1:]
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                loss = criterion(f(w, x), y)   # (n,) contre (n, 1) : diffuse en (n, n)
                loss.backward()
                with torch.no_grad():
                    w -= eta * w.grad
                w.grad.zero_()
                losses.append(loss.item())
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return len(losses), losses, weights
    '''),
    _v("mse_calls_sgd", _MSE, '''
        def sgd_mse(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            return sgd(f, w, t, eta=eta, epsilon=epsilon, nepoch=nepoch, progress=progress)
    '''),
    _v("mse_by_hand_no_criterion", _MSE, '''
        def sgd_mse(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            x, y = t[:, 0], t[:, 1]
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                loss = ((f(w, x) - y) ** 2).mean()
                loss.backward()
                with torch.no_grad():
                    w -= eta * w.grad
                w.grad.zero_()
                losses.append(loss.item())
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return len(losses), losses, weights
    '''),
    _v("mse_no_zero_grad", _MSE, '''
        def sgd_mse(f, w, t, eta=4e-4, epsilon=0.1, nepoch=2000, progress=True):
            criterion = torch.nn.MSELoss()
            x, y = t[:, 0], t[:, 1]
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                loss = criterion(f(w, x), y)
                loss.backward()
                with torch.no_grad():
                    w -= eta * w.grad
                losses.append(loss.item())
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return len(losses), losses, weights
    '''),
]

# ---------------------------------------------------------------------------------------------
# Exercice 3 — enumerate_batches
# ---------------------------------------------------------------------------------------------
_ENUM = "enumerate_batches_code"

ENUM_CORRECT = [
    _v("enum_len_fstring", _ENUM, '''
        def enumerate_batches(loader, show=2):
            sizes = []
            for i, batch in enumerate(loader):
                sizes.append(len(batch))
                if i < show:
                    for j, (x, y) in enumerate(batch):
                        print(f"lot {i}, exemple {j} : x = {x:.3f}, y = {y:.3f}")
            return sizes
    '''),
    _v("enum_shape_format_item", _ENUM, '''
        def enumerate_batches(loader, show=2):
            """Un seul parcours ; les tailles sont lues sur les lots."""
            sizes = []
            for k, batch in enumerate(loader):
                b = batch.shape[0]
                sizes.append(int(b))
                if k >= show:
                    continue
                for j in range(b):
                    x = batch[j, 0].item()
                    y = batch[j, 1].item()
                    print("lot {}, exemple {} : x = {} ; y = {}".format(k, j, fr(x, 3), fr(y, 3)))
            return sizes
    '''),
    _v("enum_percent_tolist", _ENUM, '''
        def enumerate_batches(loader, show=2):
            sizes = []
            for number, batch in enumerate(loader):
                rows = batch.tolist()
                if number < show:
                    for index, row in enumerate(rows):
                        print("lot %d, exemple %d : x = %.3f ; y = %.3f" % (number, index, row[0], row[1]))
                sizes.append(batch.size(0))
            return sizes
    '''),
]

ENUM_WRONG = [
    _v("enum_sizes_from_batch_size", _ENUM, '''
        def enumerate_batches(loader, show=2):
            for i, batch in enumerate(loader):
                if i < show:
                    for j, (x, y) in enumerate(batch):
                        print(f"lot {i}, exemple {j} : x = {x:.3f}, y = {y:.3f}")
            return [loader.batch_size] * len(loader)
    '''),
    _v("enum_two_passes", _ENUM, '''
        def enumerate_batches(loader, show=2):
            for i, batch in enumerate(loader):
                if i >= show:
                    break
                for j, (x, y) in enumerate(batch):
                    print(f"lot {i}, exemple {j} : x = {x:.3f}, y = {y:.3f}")
            return [len(batch) for batch in loader]
    '''),
    _v("enum_numbered_from_one", _ENUM, '''
        def enumerate_batches(loader, show=2):
            sizes = []
            for i, batch in enumerate(loader, start=1):
                sizes.append(len(batch))
                if i <= show:
                    for j, (x, y) in enumerate(batch, start=1):
                        print(f"lot {i}, exemple {j} : x = {x:.3f}, y = {y:.3f}")
            return sizes
    '''),
    _v("enum_shows_one_too_many", _ENUM, '''
        def enumerate_batches(loader, show=2):
            sizes = []
            for i, batch in enumerate(loader):
                sizes.append(len(batch))
                if i <= show:
                    for j, (x, y) in enumerate(batch):
                        print(f"lot {i}, exemple {j} : x = {x:.3f}, y = {y:.3f}")
            return sizes
    '''),
    _v("enum_no_printing", _ENUM, '''
        def enumerate_batches(loader, show=2):
            return [len(batch) for _, batch in enumerate(loader)]
    '''),
    _v("enum_drops_last", _ENUM, '''
        def enumerate_batches(loader, show=2):
            sizes = []
            for i, batch in enumerate(loader):
                if len(batch) < loader.batch_size:
                    break
                sizes.append(len(batch))
                if i < show:
                    for j, (x, y) in enumerate(batch):
                        print(f"lot {i}, exemple {j} : x = {x:.3f}, y = {y:.3f}")
            return sizes
    '''),
]

# ---------------------------------------------------------------------------------------------
# Exercice 4 — sgd_minibatch
# ---------------------------------------------------------------------------------------------
_MINI = "sgd_minibatch_code"

MINI_CORRECT = [
    _v("mini_weighted_sum", _MINI, '''
        def sgd_minibatch(f, w, t, eta=4e-4, epsilon=0.1, nepoch=5, minibatch=10, shuffle=True, progress=True):
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)
            n = len(t)
            losses, weights = [], []
            epochs = 0
            bar = tqdm(range(nepoch), disable=not progress)
            for epoch in bar:
                total = 0.0
                for batch in loader:
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    with torch.no_grad():
                        w -= eta * w.grad
                    w.grad.zero_()
                    total += loss.item() * len(batch)
                epochs += 1
                losses.append(total / n)
                weights.append(w.detach().clone())
                bar.set_postfix(loss=losses[-1], refresh=False)
                if losses[-1] < epsilon:
                    break
            return epochs, losses, weights
    '''),
    _v("mini_tensor_accumulator_grad_none", _MINI, '''
        def sgd_minibatch(f, w, t, eta=4e-4, epsilon=0.1, nepoch=5, minibatch=10, shuffle=True, progress=True):
            criterion = torch.nn.MSELoss()
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)
                weighted = torch.zeros((), dtype=torch.float64)
                count = 0
                for batch in loader:
                    x, y = batch[:, 0], batch[:, 1]
                    w.grad = None
                    loss = criterion(f(w, x), y)
                    loss.backward()
                    with torch.no_grad():
                        w.sub_(eta * w.grad)
                    weighted += loss.detach().double().cpu() * x.shape[0]
                    count += x.shape[0]
                w.grad = None
                losses.append((weighted / count).item())
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return len(losses), losses, weights
    '''),
    _v("mini_generator_seeded_lists", _MINI, '''
        def sgd_minibatch(f, w, t, eta=4e-4, epsilon=0.1, nepoch=5, minibatch=10, shuffle=True, progress=True):
            generator = torch.Generator().manual_seed(1234)
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle, generator=generator)
            criterion = torch.nn.MSELoss()
            losses, weights = [], []
            epochs = 0
            for epoch in tqdm(range(nepoch), disable=not progress):
                batch_losses, batch_sizes = [], []
                for k, batch in enumerate(loader):
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    with torch.no_grad():
                        w -= eta * w.grad
                        w.grad.zero_()
                    batch_losses.append(loss.item())
                    batch_sizes.append(batch.shape[0])
                epoch_loss = float(np.average(batch_losses, weights=batch_sizes))
                losses.append(epoch_loss)
                weights.append(w.detach().clone())
                epochs += 1
                if progress:
                    print(f"époque {epochs} : coût {epoch_loss:.4f}")
                if epoch_loss < epsilon:
                    break
            return epochs, losses, weights
    '''),
    _v("mini_sse_over_n", _MINI, '''
        def sgd_minibatch(f, w, t, eta=4e-4, epsilon=0.1, nepoch=5, minibatch=10, shuffle=True, progress=True):
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)
            losses, weights = [], []
            bar = tqdm(range(nepoch), disable=not progress)
            for epoch in bar:
                sse = 0.0
                for batch in loader:
                    prediction = f(w, batch[:, 0])
                    loss = criterion(prediction, batch[:, 1])
                    loss.backward()
                    with torch.no_grad():
                        w.add_(w.grad, alpha=-eta)
                    w.grad.zero_()
                    sse += loss.item() * batch.size(0)   # somme des erreurs du batch
                epoch_loss = sse / t.shape[0]
                losses.append(epoch_loss)
                weights.append(w.detach().clone())
                bar.set_postfix(loss=epoch_loss, refresh=False)
                if epoch_loss < epsilon:
                    return epoch + 1, losses, weights
            return nepoch, losses, weights
    '''),
]

MINI_WRONG = [
    _v("mini_unweighted_mean", _MINI, '''
        def sgd_minibatch(f, w, t, eta=4e-4, epsilon=0.1, nepoch=5, minibatch=10, shuffle=True, progress=True):
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                batch_losses = []
                for batch in loader:
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    with torch.no_grad():
                        w -= eta * w.grad
                    w.grad.zero_()
                    batch_losses.append(loss.item())
                losses.append(sum(batch_losses) / len(batch_losses))
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return len(losses), losses, weights
    '''),
    _v("mini_weighted_by_batch_size_param", _MINI, '''
        def sgd_minibatch(f, w, t, eta=4e-4, epsilon=0.1, nepoch=5, minibatch=10, shuffle=True, progress=True):
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                total = 0.0
                for batch in loader:
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    with torch.no_grad():
                        w -= eta * w.grad
                    w.grad.zero_()
                    total += loss.item() * minibatch
                losses.append(total / len(t))
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return len(losses), losses, weights
    '''),
    _v("mini_drop_last", _MINI, '''
        def sgd_minibatch(f, w, t, eta=4e-4, epsilon=0.1, nepoch=5, minibatch=10, shuffle=True, progress=True):
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle, drop_last=True)
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                total, count = 0.0, 0
                for batch in loader:
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    with torch.no_grad():
                        w -= eta * w.grad
                    w.grad.zero_()
                    total += loss.item() * len(batch)
                    count += len(batch)
                losses.append(total / count)
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return len(losses), losses, weights
    '''),
    _v("mini_stop_on_last_batch", _MINI, '''
        def sgd_minibatch(f, w, t, eta=4e-4, epsilon=0.1, nepoch=5, minibatch=10, shuffle=True, progress=True):
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                total = 0.0
                for batch in loader:
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    with torch.no_grad():
                        w -= eta * w.grad
                    w.grad.zero_()
                    total += loss.item() * len(batch)
                losses.append(total / len(t))
                weights.append(w.detach().clone())
                if loss.item() < epsilon:
                    break
            return len(losses), losses, weights
    '''),
    _v("mini_no_zero_grad", _MINI, '''
        def sgd_minibatch(f, w, t, eta=4e-4, epsilon=0.1, nepoch=5, minibatch=10, shuffle=True, progress=True):
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                total = 0.0
                for batch in loader:
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    with torch.no_grad():
                        w -= eta * w.grad
                    total += loss.item() * len(batch)
                losses.append(total / len(t))
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            w.grad = None
            return len(losses), losses, weights
    '''),
    _v("mini_ignores_shuffle_flag", _MINI, '''
        def sgd_minibatch(f, w, t, eta=4e-4, epsilon=0.1, nepoch=5, minibatch=10, shuffle=True, progress=True):
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=True)
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                total = 0.0
                for batch in loader:
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    with torch.no_grad():
                        w -= eta * w.grad
                    w.grad.zero_()
                    total += loss.item() * len(batch)
                losses.append(total / len(t))
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return len(losses), losses, weights
    '''),
    _v("mini_full_loss_at_epoch_end", _MINI, '''
        def sgd_minibatch(f, w, t, eta=4e-4, epsilon=0.1, nepoch=5, minibatch=10, shuffle=True, progress=True):
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                for batch in loader:
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    with torch.no_grad():
                        w -= eta * w.grad
                    w.grad.zero_()
                with torch.no_grad():
                    losses.append(criterion(f(w, t[:, 0]), t[:, 1]).item())
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return len(losses), losses, weights
    '''),
]

# ---------------------------------------------------------------------------------------------
# Exercice 5 — sgd_rmsprop
# ---------------------------------------------------------------------------------------------
_RMS = "sgd_rmsprop_code"

RMS_CORRECT = [
    _v("rms_zero_before_backward_and_after", _RMS, '''
        def sgd_rmsprop(f, w, t, lr=0.01, epsilon=1e-3, nepoch=3, minibatch=10, shuffle=True, progress=True):
            optimizer = torch.optim.RMSprop([w], lr=lr)
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)
            losses, weights = [], []
            bar = tqdm(range(nepoch), disable=not progress)
            for epoch in bar:
                total = 0.0
                for batch in loader:
                    optimizer.zero_grad()
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    optimizer.step()
                    total += loss.item() * len(batch)
                losses.append(total / len(t))
                weights.append(w.detach().clone())
                bar.set_postfix(loss=losses[-1], refresh=False)
                if losses[-1] < epsilon:
                    break
            optimizer.zero_grad()
            return len(losses), losses, weights
    '''),
    _v("rms_zero_after_step_keep_zeros", _RMS, '''
        def sgd_rmsprop(f, w, t, lr=0.01, epsilon=1e-3, nepoch=3, minibatch=10, shuffle=True, progress=True):
            optimizer = torch.optim.RMSprop([w], lr=lr)
            criterion = torch.nn.MSELoss()
            losses, weights = [], []
            epochs = 0
            for epoch in tqdm(range(nepoch), disable=not progress):
                weighted, n = 0.0, 0
                for batch in DataLoader(t, batch_size=minibatch, shuffle=shuffle):
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    optimizer.step()
                    optimizer.zero_grad(set_to_none=False)
                    weighted += loss.item() * batch.shape[0]
                    n += batch.shape[0]
                epochs += 1
                losses.append(weighted / n)
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return epochs, losses, weights
    '''),
    _v("rms_grad_none_generator", _RMS, '''
        def sgd_rmsprop(f, w, t, lr=0.01, epsilon=1e-3, nepoch=3, minibatch=10, shuffle=True, progress=True):
            g = torch.Generator()
            g.manual_seed(2024)
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle, generator=g)
            optimizer = torch.optim.RMSprop(params=[w], lr=lr)
            mse = torch.nn.MSELoss()
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                sizes, values = [], []
                for batch in loader:
                    x, y = batch[:, 0], batch[:, 1]
                    loss = mse(f(w, x), y)
                    loss.backward()
                    optimizer.step()
                    w.grad = None
                    sizes.append(len(x))
                    values.append(loss.item())
                epoch_loss = sum(s * v for s, v in zip(sizes, values)) / sum(sizes)
                losses.append(epoch_loss)
                weights.append(w.detach().clone())
                if progress:
                    print(f"époque {epoch + 1} : {epoch_loss:.3e}")
                if epoch_loss < epsilon:
                    break
            return len(losses), losses, weights
    '''),
]

RMS_WRONG = [
    _v("rms_no_final_zero_grad", _RMS, '''
        def sgd_rmsprop(f, w, t, lr=0.01, epsilon=1e-3, nepoch=3, minibatch=10, shuffle=True, progress=True):
            optimizer = torch.optim.RMSprop([w], lr=lr)
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                total = 0.0
                for batch in loader:
                    optimizer.zero_grad()
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    optimizer.step()
                    total += loss.item() * len(batch)
                losses.append(total / len(t))
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            return len(losses), losses, weights
    '''),
    _v("rms_eps_from_epsilon", _RMS, '''
        def sgd_rmsprop(f, w, t, lr=0.01, epsilon=1e-3, nepoch=3, minibatch=10, shuffle=True, progress=True):
            optimizer = torch.optim.RMSprop([w], lr=lr, eps=epsilon)
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                total = 0.0
                for batch in loader:
                    optimizer.zero_grad()
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    optimizer.step()
                    total += loss.item() * len(batch)
                losses.append(total / len(t))
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            optimizer.zero_grad()
            return len(losses), losses, weights
    '''),
    _v("rms_optimizer_per_epoch", _RMS, '''
        def sgd_rmsprop(f, w, t, lr=0.01, epsilon=1e-3, nepoch=3, minibatch=10, shuffle=True, progress=True):
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                optimizer = torch.optim.RMSprop([w], lr=lr)
                total = 0.0
                for batch in loader:
                    optimizer.zero_grad()
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    optimizer.step()
                    total += loss.item() * len(batch)
                losses.append(total / len(t))
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            optimizer.zero_grad()
            return len(losses), losses, weights
    '''),
    _v("rms_unweighted_epoch_loss", _RMS, '''
        def sgd_rmsprop(f, w, t, lr=0.01, epsilon=1e-3, nepoch=3, minibatch=10, shuffle=True, progress=True):
            optimizer = torch.optim.RMSprop([w], lr=lr)
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                batch_losses = []
                for batch in loader:
                    optimizer.zero_grad()
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    optimizer.step()
                    batch_losses.append(loss.item())
                losses.append(float(np.mean(batch_losses)))
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            optimizer.zero_grad()
            return len(losses), losses, weights
    '''),
    _v("rms_adam_instead", _RMS, '''
        def sgd_rmsprop(f, w, t, lr=0.01, epsilon=1e-3, nepoch=3, minibatch=10, shuffle=True, progress=True):
            optimizer = torch.optim.Adam([w], lr=lr)
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                total = 0.0
                for batch in loader:
                    optimizer.zero_grad()
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    optimizer.step()
                    total += loss.item() * len(batch)
                losses.append(total / len(t))
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            optimizer.zero_grad()
            return len(losses), losses, weights
    '''),
    _v("rms_optimizer_on_copy", _RMS, '''
        def sgd_rmsprop(f, w, t, lr=0.01, epsilon=1e-3, nepoch=3, minibatch=10, shuffle=True, progress=True):
            params = w.detach().clone().requires_grad_(True)
            optimizer = torch.optim.RMSprop([params], lr=lr)
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                total = 0.0
                for batch in loader:
                    optimizer.zero_grad()
                    loss = criterion(f(params, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    optimizer.step()
                    total += loss.item() * len(batch)
                losses.append(total / len(t))
                weights.append(params.detach().clone())
                if losses[-1] < epsilon:
                    break
            return len(losses), losses, weights
    '''),
    _v("rms_hardcoded_lr", _RMS, '''
        def sgd_rmsprop(f, w, t, lr=0.01, epsilon=1e-3, nepoch=3, minibatch=10, shuffle=True, progress=True):
            optimizer = torch.optim.RMSprop([w], lr=0.01)
            criterion = torch.nn.MSELoss()
            loader = DataLoader(t, batch_size=minibatch, shuffle=shuffle)
            losses, weights = [], []
            for epoch in tqdm(range(nepoch), disable=not progress):
                total = 0.0
                for batch in loader:
                    optimizer.zero_grad()
                    loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                    loss.backward()
                    optimizer.step()
                    total += loss.item() * len(batch)
                losses.append(total / len(t))
                weights.append(w.detach().clone())
                if losses[-1] < epsilon:
                    break
            optimizer.zero_grad()
            return len(losses), losses, weights
    '''),
]

# ---------------------------------------------------------------------------------------------
# Exercice 6 — loss_by_region
# ---------------------------------------------------------------------------------------------
_REG = "loss_by_region_code"

REG_CORRECT = [
    _v("region_chunk", _REG, '''
        def loss_by_region(f, w, t, nregions=4):
            with torch.no_grad():
                return [torch.mean((part[:, 1] - f(w, part[:, 0])) ** 2).item() for part in torch.chunk(t, nregions)]
    '''),
    _v("region_slices_loop", _REG, '''
        def loss_by_region(f, w, t, nregions=4):
            size = len(t) // nregions
            result = []
            with torch.no_grad():
                for r in range(nregions):
                    part = t[r * size:(r + 1) * size]
                    error = part[:, 1] - f(w, part[:, 0])
                    result.append(float((error * error).mean()))
            return result
    '''),
    _v("region_reshape_vectorised", _REG, '''
        def loss_by_region(f, w, t, nregions=4):
            with torch.no_grad():
                errors = (t[:, 1] - f(w, t[:, 0])) ** 2
                return errors.reshape(nregions, -1).double().mean(dim=1).tolist()
    '''),
    _v("region_split_mse_loss", _REG, '''
        def loss_by_region(f, w, t, nregions=4):
            criterion = torch.nn.MSELoss()
            out = []
            with torch.no_grad():
                for part in t.split(t.shape[0] // nregions):
                    out.append(criterion(f(w, part[:, 0]), part[:, 1]).item())
            return out
    '''),
]

REG_WRONG = [
    _v("region_interleaved", _REG, '''
        def loss_by_region(f, w, t, nregions=4):
            with torch.no_grad():
                return [torch.mean((t[r::nregions, 1] - f(w, t[r::nregions, 0])) ** 2).item() for r in range(nregions)]
    '''),
    _v("region_sum_not_mean", _REG, '''
        def loss_by_region(f, w, t, nregions=4):
            with torch.no_grad():
                return [torch.sum((p[:, 1] - f(w, p[:, 0])) ** 2).item() for p in torch.chunk(t, nregions)]
    '''),
    _v("region_sorted_by_x", _REG, '''
        def loss_by_region(f, w, t, nregions=4):
            t = t[torch.argsort(t[:, 0])]
            with torch.no_grad():
                return [torch.mean((p[:, 1] - f(w, p[:, 0])) ** 2).item() for p in torch.chunk(t, nregions)]
    '''),
    _v("region_tensors_not_numbers", _REG, '''
        def loss_by_region(f, w, t, nregions=4):
            with torch.no_grad():
                return [torch.mean((p[:, 1] - f(w, p[:, 0])) ** 2) for p in torch.chunk(t, nregions)]
    '''),
    _v("region_rmse", _REG, '''
        def loss_by_region(f, w, t, nregions=4):
            with torch.no_grad():
                return [torch.mean((p[:, 1] - f(w, p[:, 0])) ** 2).sqrt().item() for p in torch.chunk(t, nregions)]
    '''),
    _v("region_wrong_axis", _REG, '''
        def loss_by_region(f, w, t, nregions=4):
            with torch.no_grad():
                errors = (t[:, 1] - f(w, t[:, 0])) ** 2
                return errors.reshape(-1, nregions).mean(dim=0).tolist()
    '''),
]

# ---------------------------------------------------------------------------------------------
# Exercice 7 — batch_statistics
# ---------------------------------------------------------------------------------------------
_STAT = "batch_statistics_code"

STAT_CORRECT = [
    _v("stats_autograd_grad", _STAT, '''
        def batch_statistics(f, w, t, minibatch=10):
            def loss_and_grad(part):
                loss = torch.mean((part[:, 1] - f(w, part[:, 0])) ** 2)
                (grad,) = torch.autograd.grad(loss, w)
                return loss.item(), grad.norm().item()

            full_loss, full_grad_norm = loss_and_grad(t)
            batch_losses, batch_norms = [], []
            for batch in DataLoader(t, batch_size=minibatch, shuffle=False):
                loss, norm = loss_and_grad(batch)
                batch_losses.append(loss)
                batch_norms.append(norm)
            return {
                "full_loss": full_loss,
                "mean_batch_loss": sum(batch_losses) / len(batch_losses),
                "sum_batch_loss": sum(batch_losses),
                "full_grad_norm": full_grad_norm,
                "mean_batch_grad_norm": sum(batch_norms) / len(batch_norms),
            }
    '''),
    _v("stats_backward_zero", _STAT, '''
        def batch_statistics(f, w, t, minibatch=10):
            criterion = torch.nn.MSELoss()
            loss = criterion(f(w, t[:, 0]), t[:, 1])
            loss.backward()
            full_loss = loss.item()
            full_grad_norm = w.grad.norm().item()
            w.grad.zero_()
            losses, norms = [], []
            for batch in DataLoader(t, batch_size=minibatch, shuffle=False):
                batch_loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                batch_loss.backward()
                losses.append(batch_loss.item())
                norms.append(torch.linalg.vector_norm(w.grad).item())
                w.grad.zero_()
            return dict(full_loss=full_loss, mean_batch_loss=float(np.mean(losses)),
                        sum_batch_loss=float(np.sum(losses)), full_grad_norm=full_grad_norm,
                        mean_batch_grad_norm=float(np.mean(norms)))
    '''),
    _v("stats_split_copy_f64", _STAT, '''
        def batch_statistics(f, w, t, minibatch=10):
            """Sur une copie de w : w lui-même n'est jamais touché."""
            import math
            v = w.detach().clone().requires_grad_(True)

            def mse(part):
                return ((f(v, part[:, 0]) - part[:, 1]) ** 2).mean()

            full = mse(t)
            full_grad = torch.autograd.grad(full, v)[0]
            losses = []
            norms = []
            for part in torch.split(t, minibatch):
                loss = mse(part)
                grad = torch.autograd.grad(loss, v)[0]
                losses.append(float(loss.double()))
                norms.append(float(grad.double().norm()))
            K = len(losses)
            return {
                "full_loss": float(full),
                "mean_batch_loss": math.fsum(losses) / K,
                "sum_batch_loss": math.fsum(losses),
                "full_grad_norm": float(full_grad.norm()),
                "mean_batch_grad_norm": math.fsum(norms) / K,
            }
    '''),
]

STAT_WRONG = [
    _v("stats_norm_of_mean_grad", _STAT, '''
        def batch_statistics(f, w, t, minibatch=10):
            losses, grads = [], []
            full = torch.mean((t[:, 1] - f(w, t[:, 0])) ** 2)
            full_grad = torch.autograd.grad(full, w)[0]
            for batch in DataLoader(t, batch_size=minibatch, shuffle=False):
                loss = torch.mean((batch[:, 1] - f(w, batch[:, 0])) ** 2)
                losses.append(loss.item())
                grads.append(torch.autograd.grad(loss, w)[0])
            return {"full_loss": full.item(), "mean_batch_loss": sum(losses) / len(losses),
                    "sum_batch_loss": sum(losses), "full_grad_norm": full_grad.norm().item(),
                    "mean_batch_grad_norm": torch.stack(grads).mean(0).norm().item()}
    '''),
    _v("stats_no_zero_between_backward", _STAT, '''
        def batch_statistics(f, w, t, minibatch=10):
            criterion = torch.nn.MSELoss()
            loss = criterion(f(w, t[:, 0]), t[:, 1])
            loss.backward()
            full_loss, full_grad_norm = loss.item(), w.grad.norm().item()
            w.grad.zero_()
            losses, norms = [], []
            for batch in DataLoader(t, batch_size=minibatch, shuffle=False):
                batch_loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                batch_loss.backward()
                losses.append(batch_loss.item())
                norms.append(w.grad.norm().item())
            w.grad.zero_()
            return {"full_loss": full_loss, "mean_batch_loss": sum(losses) / len(losses),
                    "sum_batch_loss": sum(losses), "full_grad_norm": full_grad_norm,
                    "mean_batch_grad_norm": sum(norms) / len(norms)}
    '''),
    _v("stats_grad_left_in_w", _STAT, '''
        def batch_statistics(f, w, t, minibatch=10):
            criterion = torch.nn.MSELoss()
            losses, norms = [], []
            for batch in DataLoader(t, batch_size=minibatch, shuffle=False):
                w.grad = None
                batch_loss = criterion(f(w, batch[:, 0]), batch[:, 1])
                batch_loss.backward()
                losses.append(batch_loss.item())
                norms.append(w.grad.norm().item())
            w.grad = None
            loss = criterion(f(w, t[:, 0]), t[:, 1])
            loss.backward()
            return {"full_loss": loss.item(), "mean_batch_loss": sum(losses) / len(losses),
                    "sum_batch_loss": sum(losses), "full_grad_norm": w.grad.norm().item(),
                    "mean_batch_grad_norm": sum(norms) / len(norms)}
    '''),
    _v("stats_weighted_mean_batch_loss", _STAT, '''
        def batch_statistics(f, w, t, minibatch=10):
            losses, sizes, norms = [], [], []
            full = torch.mean((t[:, 1] - f(w, t[:, 0])) ** 2)
            full_grad = torch.autograd.grad(full, w)[0]
            for batch in DataLoader(t, batch_size=minibatch, shuffle=False):
                loss = torch.mean((batch[:, 1] - f(w, batch[:, 0])) ** 2)
                losses.append(loss.item())
                sizes.append(len(batch))
                norms.append(torch.autograd.grad(loss, w)[0].norm().item())
            mean_loss = sum(l * s for l, s in zip(losses, sizes)) / sum(sizes)
            return {"full_loss": full.item(), "mean_batch_loss": mean_loss,
                    "sum_batch_loss": sum(losses), "full_grad_norm": full_grad.norm().item(),
                    "mean_batch_grad_norm": sum(norms) / len(norms)}
    '''),
    _v("stats_shuffled_batches", _STAT, '''
        def batch_statistics(f, w, t, minibatch=10):
            losses, norms = [], []
            full = torch.mean((t[:, 1] - f(w, t[:, 0])) ** 2)
            full_grad = torch.autograd.grad(full, w)[0]
            for batch in DataLoader(t, batch_size=minibatch, shuffle=True):
                loss = torch.mean((batch[:, 1] - f(w, batch[:, 0])) ** 2)
                losses.append(loss.item())
                norms.append(torch.autograd.grad(loss, w)[0].norm().item())
            return {"full_loss": full.item(), "mean_batch_loss": sum(losses) / len(losses),
                    "sum_batch_loss": sum(losses), "full_grad_norm": full_grad.norm().item(),
                    "mean_batch_grad_norm": sum(norms) / len(norms)}
    '''),
    _v("stats_sum_of_squared_errors", _STAT, '''
        def batch_statistics(f, w, t, minibatch=10):
            losses, norms = [], []
            full = torch.mean((t[:, 1] - f(w, t[:, 0])) ** 2)
            full_grad = torch.autograd.grad(full, w)[0]
            for batch in DataLoader(t, batch_size=minibatch, shuffle=False):
                loss = torch.sum((batch[:, 1] - f(w, batch[:, 0])) ** 2) / minibatch
                losses.append(loss.item())
                norms.append(torch.autograd.grad(loss, w)[0].norm().item())
            return {"full_loss": full.item(), "mean_batch_loss": sum(losses) / len(losses),
                    "sum_batch_loss": sum(losses), "full_grad_norm": full_grad.norm().item(),
                    "mean_batch_grad_norm": sum(norms) / len(norms)}
    '''),
]

CORRECT = SGD_CORRECT + MSE_CORRECT + ENUM_CORRECT + MINI_CORRECT + RMS_CORRECT + REG_CORRECT + STAT_CORRECT
WRONG = SGD_WRONG + MSE_WRONG + ENUM_WRONG + MINI_WRONG + RMS_WRONG + REG_WRONG + STAT_WRONG
