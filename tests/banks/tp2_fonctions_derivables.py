"""Validity bank for TP2 — Fonctions dérivables (MSE, Linear, Tanh, ReLU, standardize,
train_linear, train_mlp).

Conventions in tests/banks/__init__.py.
"""
from coursekit.variants import Variant, mutant
from tests.independent_banks import independent_variants

ASSIGNMENT = "tp2_fonctions_derivables"

MSE_TESTS = ("mse_tests",)
LINEAR_TESTS = ("linear_tests",)
TANH_TESTS = ("tanh_tests",)
RELU_TESTS = ("relu_tests",)
STANDARDIZE_TESTS = ("standardize_tests",)
TRAIN_LINEAR_TESTS = ("train_linear_full_tests", "train_linear_minibatch_tests")
TRAIN_MLP_TESTS = ("train_mlp_tests",)

# Answers whose checks involve randomness (the order of the examples): graded under many RNG streams.
RANDOM_ANSWERS = {"train_linear_code": TRAIN_LINEAR_TESTS}


# ---------------------------------------------------------------------------------------------
# Wrong answers
# ---------------------------------------------------------------------------------------------

WRONG = [
    # --- MSE -----------------------------------------------------------------------------------
    mutant(ASSIGNMENT, "mse_mean_over_rows_only", "mse_code", MSE_TESTS,
           ('        return ((yhat - y) ** 2).mean()',
            '        return ((yhat - y) ** 2).mean(dim=0)')),
    mutant(ASSIGNMENT, "mse_backward_missing_factor_2", "mse_code", MSE_TESTS,
           ('        grad_yhat = grad_output * 2.0 * (yhat - y) / yhat.numel()',
            '        grad_yhat = grad_output * (yhat - y) / yhat.numel()')),
    mutant(ASSIGNMENT, "mse_divides_by_number_of_rows", "mse_code", MSE_TESTS,
           ('        return ((yhat - y) ** 2).mean()',
            '        n = yhat.shape[0]\n        return ((yhat - y) ** 2).sum() / n'),
           ('        grad_yhat = grad_output * 2.0 * (yhat - y) / yhat.numel()',
            '        n = yhat.shape[0]\n        grad_yhat = grad_output * 2 * (yhat - y) / n')),
    mutant(ASSIGNMENT, "mse_backward_divides_by_rows_forward_right", "mse_code", MSE_TESTS,
           ('        grad_yhat = grad_output * 2.0 * (yhat - y) / yhat.numel()',
            '        grad_yhat = grad_output * 2 * (yhat - y) / len(yhat)')),
    mutant(ASSIGNMENT, "mse_backward_ignores_grad_output", "mse_code", MSE_TESTS,
           ('        grad_yhat = grad_output * 2.0 * (yhat - y) / yhat.numel()',
            '        grad_yhat = 2 * (yhat - y) / yhat.numel()')),
    mutant(ASSIGNMENT, "mse_grad_y_wrong_sign", "mse_code", MSE_TESTS,
           ('        grad_yhat = grad_output * 2.0 * (yhat - y) / yhat.numel()\n        return grad_yhat, -grad_yhat',
            '        grad = grad_output * 2 * (yhat - y) / yhat.numel()\n        return grad, grad')),
    mutant(ASSIGNMENT, "mse_no_gradient_for_target", "mse_code", MSE_TESTS,
           ('        grad_yhat = grad_output * 2.0 * (yhat - y) / yhat.numel()\n        return grad_yhat, -grad_yhat',
            '        grad_yhat = grad_output * 2 * (yhat - y) / yhat.numel()\n        return grad_yhat, None  # y est la cible : pas besoin de son gradient')),

    # --- Linear --------------------------------------------------------------------------------
    mutant(ASSIGNMENT, "linear_forward_in_in_out_convention", "linear_code", LINEAR_TESTS,
           ('        return X @ W.T + b',
            '        return X @ W + b')),
    mutant(ASSIGNMENT, "linear_grad_W_transposed", "linear_code", LINEAR_TESTS,
           ('        return grad_output @ W, grad_output.T @ X, grad_output.sum(dim=0)',
            '        grad_X = grad_output @ W\n        grad_W = X.T @ grad_output\n        grad_b = grad_output.sum(dim=0)\n        return grad_X, grad_W, grad_b')),
    mutant(ASSIGNMENT, "linear_grad_b_not_summed", "linear_code", LINEAR_TESTS,
           ('        return grad_output @ W, grad_output.T @ X, grad_output.sum(dim=0)',
            '        grad_X = grad_output @ W\n        grad_W = grad_output.T @ X\n        grad_b = grad_output  # la dérivée de X @ W.T + b par rapport à b vaut 1\n        return grad_X, grad_W, grad_b')),
    mutant(ASSIGNMENT, "linear_grad_b_averaged", "linear_code", LINEAR_TESTS,
           ('        return grad_output @ W, grad_output.T @ X, grad_output.sum(dim=0)',
            '        return grad_output @ W, grad_output.T @ X, grad_output.mean(dim=0)')),
    mutant(ASSIGNMENT, "linear_grad_X_with_transpose", "linear_code", LINEAR_TESTS,
           ('        return grad_output @ W, grad_output.T @ X, grad_output.sum(dim=0)',
            '        return grad_output @ W.T, grad_output.T @ X, grad_output.sum(dim=0)')),

    # --- Tanh ----------------------------------------------------------------------------------
    mutant(ASSIGNMENT, "tanh_derivative_on_input", "tanh_code", TANH_TESTS,
           ('        y = torch.tanh(x)\n        ctx.save_for_backward(y)\n        return y',
            '        ctx.save_for_backward(x)\n        return torch.tanh(x)'),
           ('        (y,) = ctx.saved_tensors\n        return grad_output * (1 - y**2)',
            '        (x,) = ctx.saved_tensors\n        return grad_output * (1 - x**2)')),
    mutant(ASSIGNMENT, "tanh_backward_forgets_grad_output", "tanh_code", TANH_TESTS,
           ('        return grad_output * (1 - y**2)',
            '        return 1 - y**2')),

    # --- ReLU ----------------------------------------------------------------------------------
    mutant(ASSIGNMENT, "relu_backward_multiplies_by_output", "relu_code", RELU_TESTS,
           ('        ctx.save_for_backward(x)\n        return torch.clamp(x, min=0)',
            '        y = torch.clamp(x, min=0)\n        ctx.save_for_backward(y)\n        return y'),
           ('        (x,) = ctx.saved_tensors\n        return grad_output * (x > 0).to(grad_output.dtype)',
            '        (y,) = ctx.saved_tensors\n        return grad_output * y')),
    mutant(ASSIGNMENT, "relu_backward_forgets_grad_output", "relu_code", RELU_TESTS,
           ('        return grad_output * (x > 0).to(grad_output.dtype)',
            '        return (x > 0).to(grad_output.dtype)')),

    mutant(ASSIGNMENT, "relu_backward_uses_sign", "relu_code", RELU_TESTS,
           ('        return grad_output * (x > 0).to(grad_output.dtype)',
            '        return grad_output * torch.sign(x)')),
    mutant(ASSIGNMENT, "relu_forward_in_place", "relu_code", RELU_TESTS,
           ('        ctx.save_for_backward(x)\n        return torch.clamp(x, min=0)',
            '        ctx.save_for_backward(x > 0)\n        return x.clamp_(min=0)'),
           ('        (x,) = ctx.saved_tensors\n        return grad_output * (x > 0).to(grad_output.dtype)',
            '        (mask,) = ctx.saved_tensors\n        return grad_output * mask')),

    # --- standardize ---------------------------------------------------------------------------
    mutant(ASSIGNMENT, "standardize_test_with_its_own_statistics", "standardize_code", STANDARDIZE_TESTS,
           ('    mean = train.mean(dim=0)\n    std = train.std(dim=0)\n    return (train - mean) / std, (test - mean) / std',
            '    train_std = (train - train.mean(dim=0)) / train.std(dim=0)\n    test_std = (test - test.mean(dim=0)) / test.std(dim=0)\n    return train_std, test_std')),
    mutant(ASSIGNMENT, "standardize_statistics_of_train_and_test", "standardize_code", STANDARDIZE_TESTS,
           ('    mean = train.mean(dim=0)\n    std = train.std(dim=0)',
            '    everything = torch.cat([train, test], dim=0)\n    mean = everything.mean(dim=0)\n    std = everything.std(dim=0)')),
    mutant(ASSIGNMENT, "standardize_along_rows", "standardize_code", STANDARDIZE_TESTS,
           ('    mean = train.mean(dim=0)\n    std = train.std(dim=0)',
            '    mean = train.mean(dim=1)\n    std = train.std(dim=1)')),
    mutant(ASSIGNMENT, "standardize_global_statistics", "standardize_code", STANDARDIZE_TESTS,
           ('    mean = train.mean(dim=0)\n    std = train.std(dim=0)',
            '    mean = train.mean()\n    std = train.std()')),
    mutant(ASSIGNMENT, "standardize_modifies_its_inputs", "standardize_code", STANDARDIZE_TESTS,
           ('    return (train - mean) / std, (test - mean) / std',
            '    train -= mean\n    train /= std\n    test -= mean\n    test /= std\n    return train, test')),

    # --- train_linear --------------------------------------------------------------------------
    mutant(ASSIGNMENT, "train_linear_update_sign_flipped", "train_linear_code", TRAIN_LINEAR_TESTS,
           ('            W = W - lr * grad_W\n            b = b - lr * grad_b',
            '            W = W + lr * grad_W\n            b = b + lr * grad_b')),
    mutant(ASSIGNMENT, "train_linear_ignores_lr", "train_linear_code", TRAIN_LINEAR_TESTS,
           ('            W = W - lr * grad_W\n            b = b - lr * grad_b',
            '            W = W - grad_W\n            b = b - grad_b')),
    Variant("train_linear_only_first_batch_each_epoch", "train_linear_code", '''\
def train_linear(X_train, y_train, X_test, y_test, batch_size, lr, n_epochs, seed=0, progress=True):
    n, d = X_train.shape
    W = torch.zeros(1, d, dtype=X_train.dtype, device=X_train.device)
    b = torch.zeros(1, dtype=X_train.dtype, device=X_train.device)
    one = torch.ones((), dtype=X_train.dtype, device=X_train.device)
    generator = torch.Generator().manual_seed(seed)
    train_losses, test_losses = [], []
    for _ in tqdm(range(n_epochs), disable=not progress):
        order = torch.randperm(n, generator=generator).to(X_train.device)
        batch = order[:batch_size]
        ctx_linear, ctx_mse = Context(), Context()
        yhat = Linear.forward(ctx_linear, X_train[batch], W, b)
        MSE.forward(ctx_mse, yhat, y_train[batch])
        grad_yhat, _ = MSE.backward(ctx_mse, one)
        _, grad_W, grad_b = Linear.backward(ctx_linear, grad_yhat)
        W = W - lr * grad_W
        b = b - lr * grad_b
        train_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_train, W, b), y_train).item())
        test_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_test, W, b), y_test).item())
    return W, b, train_losses, test_losses
''', TRAIN_LINEAR_TESTS),
    mutant(ASSIGNMENT, "train_linear_drops_last_partial_batch", "train_linear_code", TRAIN_LINEAR_TESTS,
           ('        for batch in order.split(batch_size):',
            '        for i in range(n // batch_size):\n            batch = order[i * batch_size:(i + 1) * batch_size]')),
    Variant("train_linear_no_shuffling", "train_linear_code", '''\
def train_linear(X_train, y_train, X_test, y_test, batch_size, lr, n_epochs, seed=0, progress=True):
    n, d = X_train.shape
    W = torch.zeros(1, d, dtype=X_train.dtype, device=X_train.device)
    b = torch.zeros(1, dtype=X_train.dtype, device=X_train.device)
    one = torch.ones((), dtype=X_train.dtype, device=X_train.device)
    train_losses, test_losses = [], []
    for _ in tqdm(range(n_epochs), disable=not progress):
        for start in range(0, n, batch_size):
            Xb, yb = X_train[start:start + batch_size], y_train[start:start + batch_size]
            ctx_linear, ctx_mse = Context(), Context()
            yhat = Linear.forward(ctx_linear, Xb, W, b)
            MSE.forward(ctx_mse, yhat, yb)
            grad_yhat, _ = MSE.backward(ctx_mse, one)
            _, grad_W, grad_b = Linear.backward(ctx_linear, grad_yhat)
            W = W - lr * grad_W
            b = b - lr * grad_b
        train_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_train, W, b), y_train).item())
        test_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_test, W, b), y_test).item())
    return W, b, train_losses, test_losses
''', TRAIN_LINEAR_TESTS),
    mutant(ASSIGNMENT, "train_linear_same_order_every_epoch", "train_linear_code", TRAIN_LINEAR_TESTS,
           ('    generator = torch.Generator().manual_seed(seed)',
            '    generator = torch.Generator().manual_seed(seed)\n    order = torch.randperm(n, generator=generator).to(X_train.device)'),
           ('    for _ in tqdm(range(n_epochs), desc=f"batch_size={batch_size}", disable=not progress):\n        order = torch.randperm(n, generator=generator).to(X_train.device)',
            '    for _ in tqdm(range(n_epochs), disable=not progress):')),
    mutant(ASSIGNMENT, "train_linear_test_history_on_train_data", "train_linear_code", TRAIN_LINEAR_TESTS,
           ('        train_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_train, W, b), y_train).item())\n        test_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_test, W, b), y_test).item())',
            '        train_loss = MSE.forward(Context(), Linear.forward(Context(), X_train, W, b), y_train).item()\n        test_loss = MSE.forward(Context(), Linear.forward(Context(), X_train, W, b), y_train).item()\n        train_losses.append(train_loss)\n        test_losses.append(test_loss)')),
    mutant(ASSIGNMENT, "train_linear_records_last_batch_loss", "train_linear_code", TRAIN_LINEAR_TESTS,
           ('            MSE.forward(ctx_mse, yhat, y_train[batch])',
            '            loss = MSE.forward(ctx_mse, yhat, y_train[batch])'),
           ('        train_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_train, W, b), y_train).item())',
            '        train_losses.append(loss.item())')),
    Variant("train_linear_uses_autograd", "train_linear_code", '''\
def train_linear(X_train, y_train, X_test, y_test, batch_size, lr, n_epochs, seed=0, progress=True):
    n, d = X_train.shape
    W = torch.zeros(1, d, dtype=X_train.dtype, device=X_train.device, requires_grad=True)
    b = torch.zeros(1, dtype=X_train.dtype, device=X_train.device, requires_grad=True)
    generator = torch.Generator().manual_seed(seed)
    train_losses, test_losses = [], []
    for _ in tqdm(range(n_epochs), disable=not progress):
        order = torch.randperm(n, generator=generator).to(X_train.device)
        for batch in order.split(batch_size):
            loss = MSE.apply(Linear.apply(X_train[batch], W, b), y_train[batch])
            loss.backward()
            with torch.no_grad():
                W -= lr * W.grad
                b -= lr * b.grad
            W.grad.zero_()
            b.grad.zero_()
        with torch.no_grad():
            train_losses.append(((X_train @ W.T + b - y_train) ** 2).mean().item())
            test_losses.append(((X_test @ W.T + b - y_test) ** 2).mean().item())
    return W.detach(), b.detach(), train_losses, test_losses
''', TRAIN_LINEAR_TESTS),
    Variant("train_linear_bias_never_updated", "train_linear_code", '''\
def train_linear(X_train, y_train, X_test, y_test, batch_size, lr, n_epochs, seed=0, progress=True):
    n, d = X_train.shape
    W = torch.zeros(1, d, dtype=X_train.dtype, device=X_train.device)
    b = torch.zeros(1, dtype=X_train.dtype, device=X_train.device)
    one = torch.ones((), dtype=X_train.dtype, device=X_train.device)
    generator = torch.Generator().manual_seed(seed)
    train_losses, test_losses = [], []
    for _ in tqdm(range(n_epochs), disable=not progress):
        order = torch.randperm(n, generator=generator).to(X_train.device)
        for batch in order.split(batch_size):
            ctx_linear, ctx_mse = Context(), Context()
            yhat = Linear.forward(ctx_linear, X_train[batch], W, b)
            MSE.forward(ctx_mse, yhat, y_train[batch])
            grad_yhat, _ = MSE.backward(ctx_mse, one)
            _, grad_W, grad_b = Linear.backward(ctx_linear, grad_yhat)
            W = W - lr * grad_W
        train_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_train, W, b), y_train).item())
        test_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_test, W, b), y_test).item())
    return W, b, train_losses, test_losses
''', TRAIN_LINEAR_TESTS),
    Variant("train_linear_random_initial_weights", "train_linear_code", '''\
def train_linear(X_train, y_train, X_test, y_test, batch_size, lr, n_epochs, seed=0, progress=True):
    n, d = X_train.shape
    generator = torch.Generator().manual_seed(seed)
    W = (0.1 * torch.randn(1, d, generator=generator)).to(X_train.device, X_train.dtype)
    b = torch.zeros(1, dtype=X_train.dtype, device=X_train.device)
    one = torch.ones((), dtype=X_train.dtype, device=X_train.device)
    train_losses, test_losses = [], []
    for _ in tqdm(range(n_epochs), disable=not progress):
        order = torch.randperm(n, generator=generator).to(X_train.device)
        for batch in order.split(batch_size):
            ctx_linear, ctx_mse = Context(), Context()
            yhat = Linear.forward(ctx_linear, X_train[batch], W, b)
            MSE.forward(ctx_mse, yhat, y_train[batch])
            grad_yhat, _ = MSE.backward(ctx_mse, one)
            _, grad_W, grad_b = Linear.backward(ctx_linear, grad_yhat)
            W = W - lr * grad_W
            b = b - lr * grad_b
        train_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_train, W, b), y_train).item())
        test_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_test, W, b), y_test).item())
    return W, b, train_losses, test_losses
''', TRAIN_LINEAR_TESTS),
    mutant(ASSIGNMENT, "train_linear_history_appended_every_batch", "train_linear_code", TRAIN_LINEAR_TESTS,
           ('        train_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_train, W, b), y_train).item())\n        test_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_test, W, b), y_test).item())',
            '            train_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_train, W, b), y_train).item())\n            test_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_test, W, b), y_test).item())')),

    mutant(ASSIGNMENT, "train_linear_one_update_per_epoch_with_averaged_batch_gradients", "train_linear_code", TRAIN_LINEAR_TESTS,
           ('        order = torch.randperm(n, generator=generator).to(X_train.device)',
            '        order = torch.randperm(n, generator=generator).to(X_train.device)\n        sum_W, sum_b, count = torch.zeros_like(W), torch.zeros_like(b), 0'),
           ('            W = W - lr * grad_W\n            b = b - lr * grad_b',
            '            sum_W, sum_b, count = sum_W + grad_W, sum_b + grad_b, count + 1\n        W = W - lr * sum_W / count\n        b = b - lr * sum_b / count')),
    mutant(ASSIGNMENT, "train_linear_lr_divided_by_batch_size", "train_linear_code", TRAIN_LINEAR_TESTS,
           ('            W = W - lr * grad_W\n            b = b - lr * grad_b',
            '            step = lr / len(batch)  # moyenne sur le lot\n            W = W - step * grad_W\n            b = b - step * grad_b')),

    # --- train_mlp -----------------------------------------------------------------------------
    mutant(ASSIGNMENT, "train_mlp_skips_activation_backward", "train_mlp_code", TRAIN_MLP_TESTS,
           ('        grad_h_tilde = activation.backward(contexts[1], grad_h)\n        _, grad_W1, grad_b1 = Linear.backward(contexts[0], grad_h_tilde)',
            '        _, grad_W1, grad_b1 = Linear.backward(contexts[0], grad_h)')),
    mutant(ASSIGNMENT, "train_mlp_b1_never_updated", "train_mlp_code", TRAIN_MLP_TESTS,
           ('        _, grad_W1, grad_b1 = Linear.backward(contexts[0], grad_h_tilde)\n        grads = {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}\n        params = {name: params[name] - lr * grads[name] for name in params}',
            '        _, grad_W1, _ = Linear.backward(contexts[0], grad_h_tilde)\n        params["W1"] = params["W1"] - lr * grad_W1\n        params["W2"] = params["W2"] - lr * grad_W2\n        params["b2"] = params["b2"] - lr * grad_b2')),
    Variant("train_mlp_tanh_derivative_on_pre_activation", "train_mlp_code", '''\
def train_mlp(X_train, y_train, X_test, y_test, activation, hidden=10, lr=0.05, n_epochs=500, seed=0, progress=True):
    params = init_mlp(X_train.shape[1], hidden, seed=seed, device=X_train.device, dtype=X_train.dtype)
    one = torch.ones((), dtype=X_train.dtype, device=X_train.device)

    def predict(X):
        H = activation.forward(Context(), Linear.forward(Context(), X, params["W1"], params["b1"]))
        return Linear.forward(Context(), H, params["W2"], params["b2"])

    train_losses, test_losses = [], []
    for _ in tqdm(range(n_epochs), disable=not progress):
        ctx1, ctx_act, ctx2, ctx_mse = Context(), Context(), Context(), Context()
        H_tilde = Linear.forward(ctx1, X_train, params["W1"], params["b1"])
        H = activation.forward(ctx_act, H_tilde)
        yhat = Linear.forward(ctx2, H, params["W2"], params["b2"])
        MSE.forward(ctx_mse, yhat, y_train)
        grad_yhat, _ = MSE.backward(ctx_mse, one)
        grad_H, grad_W2, grad_b2 = Linear.backward(ctx2, grad_yhat)
        grad_H_tilde = grad_H * (1 - H_tilde**2)
        _, grad_W1, grad_b1 = Linear.backward(ctx1, grad_H_tilde)
        params["W1"] = params["W1"] - lr * grad_W1
        params["b1"] = params["b1"] - lr * grad_b1
        params["W2"] = params["W2"] - lr * grad_W2
        params["b2"] = params["b2"] - lr * grad_b2
        train_losses.append(MSE.forward(Context(), predict(X_train), y_train).item())
        test_losses.append(MSE.forward(Context(), predict(X_test), y_test).item())
    return params, train_losses, test_losses
''', TRAIN_MLP_TESTS),
    mutant(ASSIGNMENT, "train_mlp_always_uses_tanh", "train_mlp_code", TRAIN_MLP_TESTS,
           ('        h = activation.forward(contexts[1], Linear.forward(contexts[0], X, params["W1"], params["b1"]))',
            '        h = Tanh.forward(contexts[1], Linear.forward(contexts[0], X, params["W1"], params["b1"]))'),
           ('        grad_h_tilde = activation.backward(contexts[1], grad_h)',
            '        grad_h_tilde = Tanh.backward(contexts[1], grad_h)')),
    mutant(ASSIGNMENT, "train_mlp_ignores_seed", "train_mlp_code", TRAIN_MLP_TESTS,
           ('    params = init_mlp(X_train.shape[1], hidden, seed=seed, device=X_train.device, dtype=X_train.dtype)',
            '    params = init_mlp(X_train.shape[1], hidden, device=X_train.device, dtype=X_train.dtype)')),
    Variant("train_mlp_one_context_for_both_layers", "train_mlp_code", '''\
def train_mlp(X_train, y_train, X_test, y_test, activation, hidden=10, lr=0.05, n_epochs=500, seed=0, progress=True):
    params = init_mlp(X_train.shape[1], hidden, seed=seed, device=X_train.device, dtype=X_train.dtype)
    one = torch.ones((), dtype=X_train.dtype, device=X_train.device)

    def full_loss(X, y):
        ctx = Context()
        H = activation.forward(Context(), Linear.forward(ctx, X, params["W1"], params["b1"]))
        return MSE.forward(Context(), Linear.forward(ctx, H, params["W2"], params["b2"]), y).item()

    train_losses, test_losses = [], []
    for _ in tqdm(range(n_epochs), disable=not progress):
        ctx_linear, ctx_act, ctx_mse = Context(), Context(), Context()
        H = activation.forward(ctx_act, Linear.forward(ctx_linear, X_train, params["W1"], params["b1"]))
        yhat = Linear.forward(ctx_linear, H, params["W2"], params["b2"])
        MSE.forward(ctx_mse, yhat, y_train)
        grad_yhat, _ = MSE.backward(ctx_mse, one)
        grad_H, grad_W2, grad_b2 = Linear.backward(ctx_linear, grad_yhat)
        grad_H_tilde = activation.backward(ctx_act, grad_H)
        _, grad_W1, grad_b1 = Linear.backward(ctx_linear, grad_H_tilde)
        grads = {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}
        params = {name: params[name] - lr * grads[name] for name in params}
        train_losses.append(full_loss(X_train, y_train))
        test_losses.append(full_loss(X_test, y_test))
    return params, train_losses, test_losses
''', TRAIN_MLP_TESTS),
    Variant("train_mlp_records_loss_before_update", "train_mlp_code", '''\
def train_mlp(X_train, y_train, X_test, y_test, activation, hidden=10, lr=0.05, n_epochs=500, seed=0, progress=True):
    params = init_mlp(X_train.shape[1], hidden, seed=seed, device=X_train.device, dtype=X_train.dtype)
    one = torch.ones((), dtype=X_train.dtype, device=X_train.device)

    def predict(X, contexts):
        h = activation.forward(contexts[1], Linear.forward(contexts[0], X, params["W1"], params["b1"]))
        return Linear.forward(contexts[2], h, params["W2"], params["b2"])

    train_losses, test_losses = [], []
    for _ in tqdm(range(n_epochs), disable=not progress):
        contexts, ctx_mse = [Context() for _ in range(3)], Context()
        loss = MSE.forward(ctx_mse, predict(X_train, contexts), y_train)
        train_losses.append(loss.item())
        test_losses.append(MSE.forward(Context(), predict(X_test, [Context() for _ in range(3)]), y_test).item())
        grad_yhat, _ = MSE.backward(ctx_mse, one)
        grad_h, grad_W2, grad_b2 = Linear.backward(contexts[2], grad_yhat)
        grad_h_tilde = activation.backward(contexts[1], grad_h)
        _, grad_W1, grad_b1 = Linear.backward(contexts[0], grad_h_tilde)
        grads = {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}
        params = {name: params[name] - lr * grads[name] for name in params}
    return params, train_losses, test_losses
''', TRAIN_MLP_TESTS),
    mutant(ASSIGNMENT, "train_mlp_hidden_size_hardcoded", "train_mlp_code", TRAIN_MLP_TESTS,
           ('    params = init_mlp(X_train.shape[1], hidden, seed=seed, device=X_train.device, dtype=X_train.dtype)',
            '    params = init_mlp(X_train.shape[1], 10, seed=seed, device=X_train.device, dtype=X_train.dtype)')),
]


# ---------------------------------------------------------------------------------------------
# Alternative correct answers
# ---------------------------------------------------------------------------------------------

CORRECT = [
    Variant("mse_functional_forward_saves_difference", "mse_code", '''\
import torch.nn.functional as F


class MSE(Function):
    """Erreur quadratique moyenne sur tous les éléments : mean((yhat - y)²)."""

    @staticmethod
    def forward(ctx, yhat, y):
        ctx.save_for_backward(yhat - y)
        return F.mse_loss(yhat, y)

    @staticmethod
    def backward(ctx, grad_output):
        (diff,) = ctx.saved_tensors
        grad = 2 * grad_output * diff / diff.numel()
        return grad, -grad


mse = MSE.apply
''', MSE_TESTS),
    Variant("mse_explicit_sum_over_rows_and_columns", "mse_code", '''\
class MSE(Function):
    """Erreur quadratique moyenne sur tous les éléments : mean((yhat - y)²)."""

    @staticmethod
    def forward(ctx, yhat, y):
        ctx.save_for_backward(yhat, y)
        n, c = yhat.shape
        diff = yhat - y
        return (diff * diff).sum() / (n * c)

    @staticmethod
    def backward(ctx, grad_output):
        yhat, y = ctx.saved_tensors
        n, c = yhat.shape
        grad_yhat = (2.0 / (n * c)) * (yhat - y) * grad_output
        grad_y = (2.0 / (n * c)) * (y - yhat) * grad_output
        return grad_yhat, grad_y


mse = MSE.apply
''', MSE_TESTS),
    Variant("linear_addmm_and_einsum", "linear_code", '''\
class Linear(Function):
    """Couche linéaire : X @ W.T + b, avec X (N, d), W (p, d) et b (p,)."""

    @staticmethod
    def forward(ctx, X, W, b):
        ctx.save_for_backward(X, W, b)
        return torch.addmm(b, X, W.t())

    @staticmethod
    def backward(ctx, grad_output):
        X, W, b = ctx.saved_tensors
        grad_X = torch.einsum("np,pd->nd", grad_output, W)
        grad_W = torch.einsum("np,nd->pd", grad_output, X)
        grad_b = torch.einsum("np->p", grad_output)
        return grad_X, grad_W, grad_b


linear = Linear.apply
''', LINEAR_TESTS),
    Variant("linear_matmul_ones_vector_for_bias", "linear_code", '''\
class Linear(Function):
    """Couche linéaire : X @ W.T + b, avec X (N, d), W (p, d) et b (p,)."""

    @staticmethod
    def forward(ctx, X, W, b):
        ctx.save_for_backward(X, W)
        return torch.matmul(X, W.t()) + b.unsqueeze(0)

    @staticmethod
    def backward(ctx, grad_output):
        X, W = ctx.saved_tensors
        ones = torch.ones(X.shape[0], dtype=grad_output.dtype, device=grad_output.device)
        grad_X = torch.matmul(grad_output, W)
        grad_W = torch.matmul(grad_output.t(), X)
        grad_b = torch.matmul(ones, grad_output)
        return grad_X, grad_W, grad_b


linear = Linear.apply
''', LINEAR_TESTS),
    Variant("tanh_saves_input_and_recomputes", "tanh_code", '''\
class Tanh(Function):
    """Tangente hyperbolique, élément par élément."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.tanh(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output / torch.cosh(x) ** 2


tanh = Tanh.apply
''', TANH_TESTS),
    Variant("relu_torch_where", "relu_code", '''\
class ReLU(Function):
    """Unité linéaire rectifiée max(0, x), élément par élément."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.where(x > 0, x, torch.zeros_like(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return torch.where(x > 0, grad_output, torch.zeros_like(grad_output))


relu = ReLU.apply
''', RELU_TESTS),
    Variant("relu_saves_output", "relu_code", '''\
class ReLU(Function):
    """Unité linéaire rectifiée max(0, x), élément par élément."""

    @staticmethod
    def forward(ctx, x):
        y = torch.maximum(x, torch.zeros_like(x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        grad = grad_output.clone()
        grad[y <= 0] = 0
        return grad


relu = ReLU.apply
''', RELU_TESTS),
    Variant("standardize_biased_std_keepdim", "standardize_code", '''\
def standardize(train, test):
    """Centre et réduit chaque colonne avec la moyenne et l'écart-type de `train`."""
    mu = train.mean(dim=0, keepdim=True)
    sigma = train.std(dim=0, unbiased=False, keepdim=True)
    train_std = (train - mu) / sigma
    test_std = (test - mu) / sigma
    return train_std, test_std
''', STANDARDIZE_TESTS + TRAIN_LINEAR_TESTS + TRAIN_MLP_TESTS),
    Variant("standardize_clone_then_in_place", "standardize_code", '''\
def standardize(train, test):
    """Centre et réduit chaque colonne avec la moyenne et l'écart-type de `train`."""
    mean = torch.mean(train, 0)
    std = torch.sqrt(((train - mean) ** 2).sum(0) / (train.shape[0] - 1))
    train_out, test_out = train.clone(), test.clone()
    train_out -= mean
    train_out /= std
    test_out -= mean
    test_out /= std
    return train_out, test_out
''', STANDARDIZE_TESTS),
    Variant("standardize_std_with_epsilon", "standardize_code", '''\
def standardize(train, test):
    """Centre et réduit chaque colonne avec la moyenne et l'écart-type de `train`."""
    eps = 1e-8  # évite une division par zéro pour une colonne constante
    mean = train.mean(0)
    std = train.std(0) + eps
    return (train - mean) / std, (test - mean) / std
''', STANDARDIZE_TESTS),
    Variant("train_linear_index_slices_global_randperm_in_place", "train_linear_code", '''\
def train_linear(X_train, y_train, X_test, y_test, batch_size, lr, n_epochs, seed=0, progress=True):
    n, d = X_train.shape
    W = torch.zeros((1, d), dtype=X_train.dtype, device=X_train.device)
    b = torch.zeros((1,), dtype=X_train.dtype, device=X_train.device)
    train_losses = []
    test_losses = []
    for epoch in tqdm(range(n_epochs), disable=not progress):
        perm = torch.randperm(n, device=X_train.device)
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]
            ctx_lin = Context()
            ctx_loss = Context()
            y_pred = Linear.forward(ctx_lin, X_train[idx], W, b)
            MSE.forward(ctx_loss, y_pred, y_train[idx])
            grad_pred, _ = MSE.backward(ctx_loss, torch.tensor(1.0, dtype=X_train.dtype, device=X_train.device))
            _, gW, gb = Linear.backward(ctx_lin, grad_pred)
            W -= lr * gW
            b -= lr * gb
        ctx = Context()
        train_losses.append(float(MSE.forward(ctx, Linear.forward(Context(), X_train, W, b), y_train)))
        test_losses.append(float(MSE.forward(ctx, Linear.forward(Context(), X_test, W, b), y_test)))
    return W, b, train_losses, test_losses
''', TRAIN_LINEAR_TESTS),
    Variant("train_linear_numpy_permutation_helper", "train_linear_code", '''\
def train_linear(X_train, y_train, X_test, y_test, batch_size, lr, n_epochs, seed=0, progress=True):
    """Régression linéaire par descente de gradient avec Linear et MSE, sans autograd."""
    rng = np.random.default_rng(seed)
    n, d = X_train.shape
    W = X_train.new_zeros(1, d)
    b = X_train.new_zeros(1)

    def loss_on(X, y):
        return MSE.forward(Context(), Linear.forward(Context(), X, W, b), y).item()

    train_losses, test_losses = [], []
    for _ in tqdm(range(n_epochs), disable=not progress):
        order = torch.as_tensor(rng.permutation(n), device=X_train.device)
        n_batches = (n + batch_size - 1) // batch_size
        for k in range(n_batches):
            rows = order[k * batch_size:min(n, (k + 1) * batch_size)]
            lin, err = Context(), Context()
            MSE.forward(err, Linear.forward(lin, X_train[rows], W, b), y_train[rows])
            g_yhat = MSE.backward(err, X_train.new_ones(()))[0]
            grads = Linear.backward(lin, g_yhat)
            W = W - lr * grads[1]
            b = b - lr * grads[2]
        train_losses.append(loss_on(X_train, y_train))
        test_losses.append(loss_on(X_test, y_test))
    return W, b, train_losses, test_losses
''', TRAIN_LINEAR_TESTS),
    Variant("train_mlp_explicit_variables_in_place", "train_mlp_code", '''\
def train_mlp(X_train, y_train, X_test, y_test, activation, hidden=10, lr=0.05, n_epochs=500, seed=0, progress=True):
    params = init_mlp(X_train.shape[1], hidden, seed=seed, device=X_train.device, dtype=X_train.dtype)
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]

    def evaluate(X, y):
        H = activation.forward(Context(), Linear.forward(Context(), X, W1, b1))
        return MSE.forward(Context(), Linear.forward(Context(), H, W2, b2), y).item()

    train_losses, test_losses = [], []
    for epoch in tqdm(range(n_epochs), disable=not progress):
        ctx1, ctx_act, ctx2, ctx_loss = Context(), Context(), Context(), Context()
        H_tilde = Linear.forward(ctx1, X_train, W1, b1)
        H = activation.forward(ctx_act, H_tilde)
        y_hat = Linear.forward(ctx2, H, W2, b2)
        MSE.forward(ctx_loss, y_hat, y_train)

        g_yhat, _ = MSE.backward(ctx_loss, torch.ones((), dtype=X_train.dtype, device=X_train.device))
        g_H, g_W2, g_b2 = Linear.backward(ctx2, g_yhat)
        g_H_tilde = activation.backward(ctx_act, g_H)
        _, g_W1, g_b1 = Linear.backward(ctx1, g_H_tilde)

        W1 -= lr * g_W1
        b1 -= lr * g_b1
        W2 -= lr * g_W2
        b2 -= lr * g_b2
        train_losses.append(evaluate(X_train, y_train))
        test_losses.append(evaluate(X_test, y_test))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, train_losses, test_losses
''', TRAIN_MLP_TESTS),
]

# The statement fixes ReLU's gradient at 0 to 0: `x >= 0` gives 1 there (tested at the edge).
WRONG.append(Variant("relu_mask_product_with_ge", "relu_code", '''\
class ReLU(Function):
    """Unité linéaire rectifiée max(0, x), élément par élément."""

    @staticmethod
    def forward(ctx, x):
        mask = x >= 0
        ctx.save_for_backward(mask)
        return x * mask

    @staticmethod
    def backward(ctx, grad_output):
        (mask,) = ctx.saved_tensors
        return grad_output * mask


relu = ReLU.apply
''', RELU_TESTS))

# Shortcuts the checks must refuse: autograd where backward is written by hand, and borrowing the
# grader's references (which never reach the kernel).
WRONG += [
    mutant(ASSIGNMENT, "mse_backward_through_autograd_grad", "mse_code", MSE_TESTS,
           ('        yhat, y = ctx.saved_tensors\n        grad_yhat = grad_output * 2.0 * (yhat - y) / yhat.numel()\n        return grad_yhat, -grad_yhat',
            '        yhat, y = (t.detach().requires_grad_() for t in ctx.saved_tensors)\n'
            '        with torch.enable_grad():\n'
            '            loss = ((yhat - y) ** 2).mean()\n'
            '        return torch.autograd.grad(loss, (yhat, y), grad_output)')),
    mutant(ASSIGNMENT, "tanh_backward_through_tensor_backward", "tanh_code", TANH_TESTS,
           ('        (y,) = ctx.saved_tensors\n        return grad_output * (1 - y**2)',
            '        (y,) = ctx.saved_tensors\n'
            '        x = torch.atanh(y).detach().requires_grad_()\n'
            '        with torch.enable_grad():\n'
            '            torch.tanh(x).backward(grad_output)\n'
            '        return x.grad')),
    Variant("train_linear_borrows_the_grader_reference", "train_linear_code", '''\
import gc


def train_linear(X_train, y_train, X_test, y_test, batch_size, lr, n_epochs, seed=0, progress=True):
    for obj in gc.get_objects():  # the grader's reference, wherever it may live
        if callable(obj) and getattr(obj, "__name__", "") == "_ref_full_batch":
            return obj(X_train, y_train, X_test, y_test, lr, n_epochs)
    raise NotImplementedError()
''', TRAIN_LINEAR_TESTS),
    mutant(ASSIGNMENT, "train_mlp_gradients_by_autograd", "train_mlp_code", TRAIN_MLP_TESTS,
           ('        contexts, ctx_mse = [Context() for _ in range(3)], Context()\n'
            '        MSE.forward(ctx_mse, predict(X_train, contexts), y_train)\n'
            '        grad_yhat, _ = MSE.backward(ctx_mse, one)\n'
            '        grad_h, grad_W2, grad_b2 = Linear.backward(contexts[2], grad_yhat)\n'
            '        grad_h_tilde = activation.backward(contexts[1], grad_h)\n'
            '        _, grad_W1, grad_b1 = Linear.backward(contexts[0], grad_h_tilde)\n'
            '        grads = {"W1": grad_W1, "b1": grad_b1, "W2": grad_W2, "b2": grad_b2}\n',
            '        leaves = {name: p.detach().requires_grad_() for name, p in params.items()}\n'
            '        with torch.enable_grad():\n'
            '            H = activation.apply(Linear.apply(X_train, leaves["W1"], leaves["b1"]))\n'
            '            loss = MSE.apply(Linear.apply(H, leaves["W2"], leaves["b2"]), y_train)\n'
            '        grads = dict(zip(leaves, torch.autograd.grad(loss, list(leaves.values()))))\n')),
]

# Answers written independently, from the student's statement alone (tests/independent_banks/).
independent = independent_variants(ASSIGNMENT)
WRONG += independent.WRONG
CORRECT += independent.CORRECT
