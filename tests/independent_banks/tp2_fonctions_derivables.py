"""Independent bank of student answers for TP2 (fonctions dérivables).

Written from the student statement only (release notebook), without reading the teacher's
solution, the hidden tests or the course's own bank. CORRECT variants satisfy every promise of
the statement; each WRONG variant breaks one (a plausible bug, a lazy shortcut or a rule the
statement states), and differs from a correct answer on some input the statement covers.
"""
from __future__ import annotations

import textwrap

from coursekit.variants import Variant

ASSIGNMENT = "tp2_fonctions_derivables"

_TRAIN_LINEAR_TESTS = ("train_linear_full_tests", "train_linear_minibatch_tests")


def _v(name: str, cell: str, code: str, tests: tuple[str, ...] | None = None) -> Variant:
    """A variant judged by the test cell that follows its answer cell."""
    if tests is None:
        tests = (cell[: -len("_code")] + "_tests",)
    return Variant(name, cell, textwrap.dedent(code).strip("\n") + "\n", tuple(tests))


def _tl(name: str, code: str) -> Variant:
    return _v(name, "train_linear_code", code, _TRAIN_LINEAR_TESTS)


# =============================================================================================
# MSE
# =============================================================================================

_MSE_CORRECT = {
    "mse_saved_diff": '''
        class MSE(Function):
            """Erreur quadratique moyenne sur tous les éléments : mean((yhat - y)²)."""

            @staticmethod
            def forward(ctx, yhat, y):
                diff = yhat - y
                ctx.save_for_backward(diff)
                return (diff ** 2).mean()

            @staticmethod
            def backward(ctx, grad_output):
                (diff,) = ctx.saved_tensors
                grad_yhat = grad_output * 2 * diff / diff.numel()
                return grad_yhat, -grad_yhat


        mse = MSE.apply
    ''',
    "mse_sum_over_nc": '''
        class MSE(Function):
            @staticmethod
            def forward(ctx, yhat, y):
                ctx.save_for_backward(yhat, y)
                n, c = yhat.shape
                return torch.sum((yhat - y) * (yhat - y)) / (n * c)

            @staticmethod
            def backward(ctx, grad_output):
                yhat, y = ctx.saved_tensors
                n, c = yhat.shape
                g = 2.0 / (n * c) * (yhat - y) * grad_output
                return g, -g


        mse = MSE.apply
    ''',
    "mse_ctx_attributes": '''
        class MSE(Function):
            """MSE, le contexte gardant les entrées comme attributs."""

            @staticmethod
            def forward(ctx, yhat, y):
                ctx.yhat = yhat
                ctx.y = y
                return (yhat - y).pow(2).sum() / yhat.numel()

            @staticmethod
            def backward(ctx, grad_output):
                scale = 2.0 / ctx.yhat.numel()
                grad_yhat = scale * grad_output * (ctx.yhat - ctx.y)
                grad_y = scale * grad_output * (ctx.y - ctx.yhat)
                return grad_yhat, grad_y


        mse = MSE.apply
    ''',
    "mse_torch_mean_square": '''
        class MSE(Function):
            @staticmethod
            def forward(ctx, yhat, y):
                ctx.save_for_backward(yhat, y)
                return torch.mean(torch.square(yhat - y))

            @staticmethod
            def backward(ctx, grad_output):
                yhat, y = ctx.saved_tensors
                d = torch.sub(yhat, y).mul(2).div(yhat.numel())
                d = d * grad_output
                return d, d.neg()


        mse = MSE.apply
    ''',
}

_MSE_WRONG = {
    # mean over the rows only: sum / n, the 1/c factor is missing (c > 1 in the statement)
    "mse_divides_by_n_only": '''
        class MSE(Function):
            @staticmethod
            def forward(ctx, yhat, y):
                ctx.save_for_backward(yhat, y)
                return ((yhat - y) ** 2).sum() / yhat.shape[0]

            @staticmethod
            def backward(ctx, grad_output):
                yhat, y = ctx.saved_tensors
                g = grad_output * 2 * (yhat - y) / yhat.shape[0]
                return g, -g


        mse = MSE.apply
    ''',
    # forgets the factor 2 of the derivative
    "mse_backward_no_factor_2": '''
        class MSE(Function):
            @staticmethod
            def forward(ctx, yhat, y):
                ctx.save_for_backward(yhat, y)
                return ((yhat - y) ** 2).mean()

            @staticmethod
            def backward(ctx, grad_output):
                yhat, y = ctx.saved_tensors
                g = grad_output * (yhat - y) / yhat.numel()
                return g, -g


        mse = MSE.apply
    ''',
    # ignores grad_output (delta): gradcheck (delta = 1) passes, a chain with delta != 1 does not
    "mse_ignores_grad_output": '''
        class MSE(Function):
            @staticmethod
            def forward(ctx, yhat, y):
                ctx.save_for_backward(yhat, y)
                return ((yhat - y) ** 2).mean()

            @staticmethod
            def backward(ctx, grad_output):
                yhat, y = ctx.saved_tensors
                g = 2 * (yhat - y) / yhat.numel()
                return g, -g


        mse = MSE.apply
    ''',
    # same sign for both gradients
    "mse_grad_y_same_sign": '''
        class MSE(Function):
            @staticmethod
            def forward(ctx, yhat, y):
                ctx.save_for_backward(yhat, y)
                return ((yhat - y) ** 2).mean()

            @staticmethod
            def backward(ctx, grad_output):
                yhat, y = ctx.saved_tensors
                g = grad_output * 2 * (yhat - y) / yhat.numel()
                return g, g


        mse = MSE.apply
    ''',
    # lazy: library loss in forward and autograd inside backward
    "mse_library_and_autograd": '''
        class MSE(Function):
            @staticmethod
            def forward(ctx, yhat, y):
                ctx.save_for_backward(yhat, y)
                return torch.nn.functional.mse_loss(yhat, y)

            @staticmethod
            def backward(ctx, grad_output):
                yhat, y = ctx.saved_tensors
                with torch.enable_grad():
                    a = yhat.detach().requires_grad_(True)
                    b = y.detach().requires_grad_(True)
                    loss = torch.nn.functional.mse_loss(a, b)
                    ga, gb = torch.autograd.grad(loss, (a, b), grad_output)
                return ga, gb


        mse = MSE.apply
    ''',
    # only one gradient returned (for yhat): the statement asks one per input
    "mse_single_gradient": '''
        class MSE(Function):
            @staticmethod
            def forward(ctx, yhat, y):
                ctx.save_for_backward(yhat, y)
                return ((yhat - y) ** 2).mean()

            @staticmethod
            def backward(ctx, grad_output):
                yhat, y = ctx.saved_tensors
                return grad_output * 2 * (yhat - y) / yhat.numel(), None


        mse = MSE.apply
    ''',
}

# =============================================================================================
# Linear
# =============================================================================================

_LINEAR_CORRECT = {
    "linear_matmul": '''
        class Linear(Function):
            """Couche linéaire : X @ W.T + b, avec X (N, d), W (p, d) et b (p,)."""

            @staticmethod
            def forward(ctx, X, W, b):
                ctx.save_for_backward(X, W)
                return X @ W.T + b

            @staticmethod
            def backward(ctx, grad_output):
                X, W = ctx.saved_tensors
                return grad_output @ W, grad_output.T @ X, grad_output.sum(dim=0)


        linear = Linear.apply
    ''',
    "linear_addmm_mm": '''
        class Linear(Function):
            @staticmethod
            def forward(ctx, X, W, b):
                ctx.save_for_backward(X, W, b)
                return torch.addmm(b, X, W.t())

            @staticmethod
            def backward(ctx, grad_output):
                X, W, b = ctx.saved_tensors
                grad_X = torch.mm(grad_output, W)
                grad_W = torch.mm(grad_output.t(), X)
                grad_b = torch.ones(grad_output.shape[0], dtype=grad_output.dtype,
                                    device=grad_output.device) @ grad_output
                return grad_X, grad_W, grad_b


        linear = Linear.apply
    ''',
    "linear_einsum": '''
        class Linear(Function):
            @staticmethod
            def forward(ctx, X, W, b):
                ctx.X, ctx.W = X, W
                return torch.einsum("nd,pd->np", X, W) + b.unsqueeze(0)

            @staticmethod
            def backward(ctx, grad_output):
                X, W = ctx.X, ctx.W
                grad_X = torch.einsum("np,pd->nd", grad_output, W)
                grad_W = torch.einsum("np,nd->pd", grad_output, X)
                grad_b = torch.einsum("np->p", grad_output)
                print("Linear.backward :", tuple(grad_X.shape), tuple(grad_W.shape), tuple(grad_b.shape))
                return grad_X, grad_W, grad_b


        linear = Linear.apply
    ''',
    "linear_outer_loop": '''
        class Linear(Function):
            @staticmethod
            def forward(ctx, X, W, b):
                ctx.save_for_backward(X, W)
                return X.matmul(W.transpose(0, 1)) + b

            @staticmethod
            def backward(ctx, grad_output):
                X, W = ctx.saved_tensors
                grad_W = torch.zeros_like(W)
                grad_b = torch.zeros(W.shape[0], dtype=W.dtype, device=W.device)
                for i in range(X.shape[0]):
                    grad_W += torch.outer(grad_output[i], X[i])
                    grad_b += grad_output[i]
                grad_X = grad_output.matmul(W)
                return grad_X, grad_W, grad_b


        linear = Linear.apply
    ''',
    # torch.nn.functional.linear takes W as torch.nn.Linear stores it: the forward is allowed, the backward by hand
    "linear_functional_forward": '''
        class Linear(Function):
            @staticmethod
            def forward(ctx, X, W, b):
                ctx.save_for_backward(X, W)
                return torch.nn.functional.linear(X, W, b)

            @staticmethod
            def backward(ctx, grad_output):
                X, W = ctx.saved_tensors
                return grad_output.mm(W), grad_output.t().mm(X), grad_output.sum(0)


        linear = Linear.apply
    ''',
}

_LINEAR_WRONG = {
    # grad_b is the mean of the rows, not their sum
    "linear_bias_mean": '''
        class Linear(Function):
            @staticmethod
            def forward(ctx, X, W, b):
                ctx.save_for_backward(X, W)
                return X @ W.T + b

            @staticmethod
            def backward(ctx, grad_output):
                X, W = ctx.saved_tensors
                return grad_output @ W, grad_output.T @ X, grad_output.mean(dim=0)


        linear = Linear.apply
    ''',
    # forgets the bias gradient
    "linear_no_bias_grad": '''
        class Linear(Function):
            @staticmethod
            def forward(ctx, X, W, b):
                ctx.save_for_backward(X, W)
                return X @ W.T + b

            @staticmethod
            def backward(ctx, grad_output):
                X, W = ctx.saved_tensors
                return grad_output @ W, grad_output.T @ X, None


        linear = Linear.apply
    ''',
    # transposed weight gradient: (d, p) instead of (p, d), reshaped to fit
    "linear_grad_w_transposed": '''
        class Linear(Function):
            @staticmethod
            def forward(ctx, X, W, b):
                ctx.save_for_backward(X, W)
                return X @ W.T + b

            @staticmethod
            def backward(ctx, grad_output):
                X, W = ctx.saved_tensors
                grad_W = (X.T @ grad_output).reshape(W.shape)
                return grad_output @ W, grad_W, grad_output.sum(dim=0)


        linear = Linear.apply
    ''',
    # bias summed over the wrong axis, then broadcast back to (p,)
    "linear_bias_wrong_axis": '''
        class Linear(Function):
            @staticmethod
            def forward(ctx, X, W, b):
                ctx.save_for_backward(X, W)
                return X @ W.T + b

            @staticmethod
            def backward(ctx, grad_output):
                X, W = ctx.saved_tensors
                grad_b = grad_output.sum() * torch.ones(W.shape[0], dtype=W.dtype, device=W.device)
                return grad_output @ W, grad_output.T @ X, grad_b


        linear = Linear.apply
    ''',
    # the previous convention, W of shape (in, out): every test gives W as torch.nn.Linear stores it
    "linear_in_out_convention": '''
        class Linear(Function):
            @staticmethod
            def forward(ctx, X, W, b):
                ctx.save_for_backward(X, W)
                return X @ W + b

            @staticmethod
            def backward(ctx, grad_output):
                X, W = ctx.saved_tensors
                return grad_output @ W.T, X.T @ grad_output, grad_output.sum(dim=0)


        linear = Linear.apply
    ''',
    # lazy: autograd inside backward
    "linear_autograd_backward": '''
        class Linear(Function):
            @staticmethod
            def forward(ctx, X, W, b):
                ctx.save_for_backward(X, W, b)
                return X @ W.T + b

            @staticmethod
            def backward(ctx, grad_output):
                X, W, b = ctx.saved_tensors
                with torch.enable_grad():
                    leaves = [t.detach().requires_grad_(True) for t in (X, W, b)]
                    out = leaves[0] @ leaves[1].T + leaves[2]
                    return torch.autograd.grad(out, leaves, grad_output)


        linear = Linear.apply
    ''',
}

# =============================================================================================
# Tanh and ReLU
# =============================================================================================

_TANH_CORRECT = {
    "tanh_save_output": '''
        class Tanh(Function):
            """Tangente hyperbolique, élément par élément."""

            @staticmethod
            def forward(ctx, x):
                y = torch.tanh(x)
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, grad_output):
                (y,) = ctx.saved_tensors
                return grad_output * (1 - y ** 2)


        tanh = Tanh.apply
    ''',
    "tanh_save_input": '''
        class Tanh(Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x.tanh()

            @staticmethod
            def backward(ctx, grad_output):
                (x,) = ctx.saved_tensors
                t = torch.tanh(x)
                return grad_output * (1.0 - t * t)


        tanh = Tanh.apply
    ''',
    "tanh_cosh": '''
        class Tanh(Function):
            @staticmethod
            def forward(ctx, x):
                ctx.x = x
                return torch.tanh(x)

            @staticmethod
            def backward(ctx, grad_output):
                # 1 - tanh²(x) = 1 / cosh²(x)
                return grad_output / torch.cosh(ctx.x) ** 2


        tanh = Tanh.apply
    ''',
    "tanh_exp_formula": '''
        class Tanh(Function):
            @staticmethod
            def forward(ctx, x):
                e = torch.exp(-2 * x.abs())
                y = torch.sign(x) * (1 - e) / (1 + e)
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, grad_output):
                (y,) = ctx.saved_tensors
                return grad_output.mul(1 - y.pow(2))


        tanh = Tanh.apply
    ''',
}

_TANH_WRONG = {
    # derivative computed on the input instead of tanh(x)
    "tanh_one_minus_x2": '''
        class Tanh(Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return torch.tanh(x)

            @staticmethod
            def backward(ctx, grad_output):
                (x,) = ctx.saved_tensors
                return grad_output * (1 - x ** 2)


        tanh = Tanh.apply
    ''',
    # forgets the square
    "tanh_not_squared": '''
        class Tanh(Function):
            @staticmethod
            def forward(ctx, x):
                y = torch.tanh(x)
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, grad_output):
                (y,) = ctx.saved_tensors
                return grad_output * (1 - y)


        tanh = Tanh.apply
    ''',
    # forgets grad_output
    "tanh_ignores_grad_output": '''
        class Tanh(Function):
            @staticmethod
            def forward(ctx, x):
                y = torch.tanh(x)
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, grad_output):
                (y,) = ctx.saved_tensors
                return 1 - y ** 2


        tanh = Tanh.apply
    ''',
    # lazy: autograd inside backward
    "tanh_autograd_backward": '''
        class Tanh(Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return torch.tanh(x)

            @staticmethod
            def backward(ctx, grad_output):
                (x,) = ctx.saved_tensors
                with torch.enable_grad():
                    leaf = x.detach().requires_grad_(True)
                    (g,) = torch.autograd.grad(torch.tanh(leaf), leaf, grad_output)
                return g


        tanh = Tanh.apply
    ''',
    # returns two gradients for a function of one input
    "tanh_two_gradients": '''
        class Tanh(Function):
            @staticmethod
            def forward(ctx, x):
                y = torch.tanh(x)
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, grad_output):
                (y,) = ctx.saved_tensors
                return grad_output * (1 - y ** 2), grad_output
    
    
        tanh = Tanh.apply
    ''',
}

_RELU_CORRECT = {
    "relu_mask_input": '''
        class ReLU(Function):
            """Unité linéaire rectifiée max(0, x), élément par élément."""

            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x.clamp(min=0)

            @staticmethod
            def backward(ctx, grad_output):
                (x,) = ctx.saved_tensors
                return grad_output * (x > 0).to(grad_output.dtype)


        relu = ReLU.apply
    ''',
    "relu_where": '''
        class ReLU(Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return torch.where(x > 0, x, torch.zeros_like(x))

            @staticmethod
            def backward(ctx, grad_output):
                (x,) = ctx.saved_tensors
                return torch.where(x > 0, grad_output, torch.zeros_like(grad_output))


        relu = ReLU.apply
    ''',
    "relu_mask_output": '''
        class ReLU(Function):
            @staticmethod
            def forward(ctx, x):
                y = torch.maximum(x, x.new_zeros(()))
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, grad_output):
                (y,) = ctx.saved_tensors
                grad = grad_output.clone()
                grad[y <= 0] = 0
                return grad


        relu = ReLU.apply
    ''',
    "relu_heaviside": '''
        class ReLU(Function):
            @staticmethod
            def forward(ctx, x):
                ctx.x = x
                return x * (x > 0)

            @staticmethod
            def backward(ctx, grad_output):
                step = torch.heaviside(ctx.x, torch.zeros((), dtype=ctx.x.dtype, device=ctx.x.device))
                return grad_output * step


        relu = ReLU.apply
    ''',
}

_RELU_WRONG = {
    # derivative 1 at x = 0, the statement says 0
    "relu_grad_one_at_zero": '''
        class ReLU(Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x.clamp(min=0)

            @staticmethod
            def backward(ctx, grad_output):
                (x,) = ctx.saved_tensors
                return grad_output * (x >= 0).to(grad_output.dtype)


        relu = ReLU.apply
    ''',
    # in place on the input: the caller's tensor is modified
    "relu_inplace_input": '''
        class ReLU(Function):
            @staticmethod
            def forward(ctx, x):
                mask = x > 0
                ctx.save_for_backward(mask)
                x[~mask] = 0
                return x

            @staticmethod
            def backward(ctx, grad_output):
                (mask,) = ctx.saved_tensors
                return grad_output * mask


        relu = ReLU.apply
    ''',
    # mask taken on grad_output instead of x
    "relu_mask_on_grad": '''
        class ReLU(Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x.clamp(min=0)

            @staticmethod
            def backward(ctx, grad_output):
                return grad_output.clamp(min=0)


        relu = ReLU.apply
    ''',
    # forgets grad_output
    "relu_returns_mask": '''
        class ReLU(Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x.clamp(min=0)

            @staticmethod
            def backward(ctx, grad_output):
                (x,) = ctx.saved_tensors
                return (x > 0).to(grad_output.dtype)


        relu = ReLU.apply
    ''',
    # lazy: autograd inside backward
    "relu_autograd_backward": '''
        class ReLU(Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return torch.relu(x)

            @staticmethod
            def backward(ctx, grad_output):
                (x,) = ctx.saved_tensors
                with torch.enable_grad():
                    leaf = x.detach().requires_grad_(True)
                    torch.relu(leaf).backward(grad_output)
                return leaf.grad


        relu = ReLU.apply
    ''',
}

# =============================================================================================
# standardize
# =============================================================================================

_STANDARDIZE_CORRECT = {
    "std_unbiased": '''
        def standardize(train, test):
            """Centre et réduit chaque colonne avec la moyenne et l'écart-type de `train`."""
            mean = train.mean(dim=0)
            std = train.std(dim=0)
            return (train - mean) / std, (test - mean) / std
    ''',
    "std_population_keepdim": '''
        def standardize(train, test):
            mu = train.mean(dim=0, keepdim=True)
            sigma = train.std(dim=0, unbiased=False, keepdim=True)
            train_std = (train - mu) / sigma
            test_std = (test - mu) / sigma
            return train_std, test_std
    ''',
    "std_float64_intermediate": '''
        def standardize(train, test):
            t64 = train.double()
            mu = t64.mean(0)
            sigma = ((t64 - mu) ** 2).sum(0).div(len(train) - 1).sqrt()
            train_s = ((t64 - mu) / sigma).to(train.dtype)
            test_s = ((test.double() - mu) / sigma).to(test.dtype)
            return train_s, test_s
    ''',
    "std_clone_inplace": '''
        def standardize(train, test):
            mean, std = train.mean(axis=0), train.std(axis=0)
            a, b = train.clone(), test.clone()
            a -= mean
            a /= std
            b -= mean
            b /= std
            print("moyennes :", mean.tolist())
            return a, b
    ''',
    "std_std_mean": '''
        def standardize(train, test):
            std, mean = torch.std_mean(train, dim=0)
            return (train - mean) / std, (test - mean) / std
    ''',
}

_STANDARDIZE_WRONG = {
    # the test set is standardised with its own statistics
    "std_test_own_stats": '''
        def standardize(train, test):
            return ((train - train.mean(0)) / train.std(0),
                    (test - test.mean(0)) / test.std(0))
    ''',
    # statistics of train and test together (test leaks into the statistics)
    "std_pooled_stats": '''
        def standardize(train, test):
            both = torch.cat([train, test])
            mean, std = both.mean(0), both.std(0)
            return (train - mean) / std, (test - mean) / std
    ''',
    # one mean and one std for the whole matrix instead of per column
    "std_global_scalar": '''
        def standardize(train, test):
            mean, std = train.mean(), train.std()
            return (train - mean) / std, (test - mean) / std
    ''',
    # statistics along the wrong axis (per row)
    "std_wrong_axis": '''
        def standardize(train, test):
            mean = train.mean(dim=1, keepdim=True)
            std = train.std(dim=1, keepdim=True)
            return (train - mean) / std, (test - test.mean(dim=1, keepdim=True)) / test.std(dim=1, keepdim=True)
    ''',
    # modifies its inputs in place
    "std_modifies_inputs": '''
        def standardize(train, test):
            mean, std = train.mean(0), train.std(0)
            train -= mean
            train /= std
            test -= mean
            test /= std
            return train, test
    ''',
    # centres only
    "std_center_only": '''
        def standardize(train, test):
            mean = train.mean(0)
            return train - mean, test - mean
    ''',
}

# =============================================================================================
# train_linear
# =============================================================================================

_TL_GENERATOR = '''
def train_linear(X_train, y_train, X_test, y_test, batch_size, lr, n_epochs, seed=0, progress=True):
    """Régression linéaire par descente de gradient avec Linear et MSE, sans autograd."""
    n, d = X_train.shape
    W = torch.zeros(1, d, device=X_train.device, dtype=X_train.dtype)
    b = torch.zeros(1, device=X_train.device, dtype=X_train.dtype)
    generator = torch.Generator().manual_seed(seed)
    train_losses, test_losses = [], []
    for epoch in tqdm(range(n_epochs), disable=not progress):
        order = torch.randperm(n, generator=generator).to(X_train.device)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            XB, yB = X_train[idx], y_train[idx]
            ctx_lin, ctx_mse = Context(), Context()
            yhat = Linear.forward(ctx_lin, XB, W, b)
            MSE.forward(ctx_mse, yhat, yB)
            grad_yhat, _ = MSE.backward(ctx_mse, 1)
            _, grad_W, grad_b = Linear.backward(ctx_lin, grad_yhat)
            W = W - lr * grad_W
            b = b - lr * grad_b
        train_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_train, W, b), y_train).item())
        test_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_test, W, b), y_test).item())
    return W, b, train_losses, test_losses
'''

_TL_CORRECT = {
    "tl_generator_seed": _TL_GENERATOR,
    "tl_manual_seed_split": '''
        def train_linear(X_train, y_train, X_test, y_test, batch_size, lr, n_epochs, seed=0, progress=True):
            torch.manual_seed(seed)
            W = torch.zeros((1, X_train.shape[1]), dtype=X_train.dtype, device=X_train.device)
            b = torch.zeros((1,), dtype=X_train.dtype, device=X_train.device)
            train_losses, test_losses = [], []

            def loss_on(X, y):
                return MSE.forward(Context(), Linear.forward(Context(), X, W, b), y).item()

            bar = tqdm(range(n_epochs), disable=not progress, desc="époques")
            for _ in bar:
                perm = torch.randperm(len(X_train), device=X_train.device)
                for idx in torch.split(perm, batch_size):
                    c1, c2 = Context(), Context()
                    out = Linear.forward(c1, X_train[idx], W, b)
                    MSE.forward(c2, out, y_train[idx])
                    g_out, _ = MSE.backward(c2, torch.tensor(1.0, device=X_train.device))
                    _, gW, gb = Linear.backward(c1, g_out)
                    W -= lr * gW
                    b -= lr * gb
                train_losses.append(loss_on(X_train, y_train))
                test_losses.append(loss_on(X_test, y_test))
                bar.set_postfix(train=train_losses[-1], test=test_losses[-1])
            return W, b, train_losses, test_losses
    ''',
    # global generator (seeded by the caller's set_seed), seed unused
    "tl_global_randperm_print": '''
        def train_linear(X_train, y_train, X_test, y_test, batch_size, lr, n_epochs, seed=0, progress=True):
            n = X_train.shape[0]
            W = X_train.new_zeros(1, X_train.shape[1])
            b = X_train.new_zeros(1)
            train_losses = []
            test_losses = []
            n_batches = (n + batch_size - 1) // batch_size
            for epoch in tqdm(range(n_epochs), disable=not progress):
                perm = torch.randperm(n)
                for k in range(n_batches):
                    batch = perm[k * batch_size:(k + 1) * batch_size]
                    Xb = X_train[batch]
                    yb = y_train[batch]
                    lin_ctx = Context()
                    pred = Linear.forward(lin_ctx, Xb, W, b)
                    mse_ctx = Context()
                    MSE.forward(mse_ctx, pred, yb)
                    dpred = MSE.backward(mse_ctx, 1.0)[0]
                    dW, db = Linear.backward(lin_ctx, dpred)[1:]
                    W = W - lr * dW
                    b = b - lr * db
                pred_train = X_train @ W.T + b
                pred_test = X_test @ W.T + b
                train_losses.append(((pred_train - y_train) ** 2).mean().item())
                test_losses.append(((pred_test - y_test) ** 2).mean().item())
                if progress and epoch % 10 == 0:
                    print(f"époque {epoch} : {train_losses[-1]:.4f} / {test_losses[-1]:.4f}")
            return W, b, train_losses, test_losses
    ''',
    "tl_argsort_rand": '''
        def train_linear(X_train, y_train, X_test, y_test, batch_size, lr, n_epochs, seed=0, progress=True):
            g = torch.Generator().manual_seed(seed + 12345)
            n, d = X_train.shape
            W = torch.zeros(1, d).to(X_train)
            b = torch.zeros(1).to(X_train)
            hist_train, hist_test = [], []
            for _ in tqdm(range(n_epochs), disable=not progress, leave=False):
                order = torch.argsort(torch.rand(n, generator=g)).to(X_train.device)
                start = 0
                while start < n:
                    sel = order[start:start + batch_size]
                    start += batch_size
                    ctx_a, ctx_b = Context(), Context()
                    yhat = Linear.forward(ctx_a, X_train[sel], W, b)
                    MSE.forward(ctx_b, yhat, y_train[sel])
                    grads = Linear.backward(ctx_a, MSE.backward(ctx_b, 1)[0])
                    W = W - lr * grads[1]
                    b = b - lr * grads[2]
                for X, y, hist in ((X_train, y_train, hist_train), (X_test, y_test, hist_test)):
                    hist.append(float(MSE.forward(Context(), Linear.forward(Context(), X, W, b), y)))
            return W, b, hist_train, hist_test
    ''',
    "tl_numpy_permutation": '''
        def train_linear(X_train, y_train, X_test, y_test, batch_size, lr, n_epochs, seed=0, progress=True):
            rng = np.random.default_rng(seed)
            n, d = X_train.shape
            W = torch.zeros(1, d, dtype=X_train.dtype, device=X_train.device)
            b = torch.zeros(1, dtype=X_train.dtype, device=X_train.device)
            train_losses, test_losses = [], []
            for _ in tqdm(range(n_epochs), disable=not progress):
                order = torch.as_tensor(rng.permutation(n), device=X_train.device)
                for i in range(0, n, batch_size):
                    rows = order[i:i + batch_size]
                    c_lin, c_mse = Context(), Context()
                    MSE.forward(c_mse, Linear.forward(c_lin, X_train[rows], W, b), y_train[rows])
                    g_yhat, g_y = MSE.backward(c_mse, 1)
                    g_X, g_W, g_b = Linear.backward(c_lin, g_yhat)
                    W, b = W - lr * g_W, b - lr * g_b
                train_losses.append(MSE.forward(Context(), X_train @ W.T + b, y_train).item())
                test_losses.append(MSE.forward(Context(), X_test @ W.T + b, y_test).item())
            return W, b, train_losses, test_losses
    ''',
    "tl_python_shuffle": '''
        import random as _random


        def train_linear(X_train, y_train, X_test, y_test, batch_size, lr, n_epochs, seed=0, progress=True):
            shuffler = _random.Random(seed)
            n = len(X_train)
            W = torch.zeros_like(X_train[:1])
            b = torch.zeros_like(X_train[0, :1])
            train_losses, test_losses = [], []
            indices = list(range(n))
            with tqdm(total=n_epochs, disable=not progress) as bar:
                for _ in range(n_epochs):
                    shuffler.shuffle(indices)
                    order = torch.tensor(indices, device=X_train.device)
                    for batch in order.split(batch_size):
                        ctx1 = Context()
                        ctx2 = Context()
                        yhat = Linear.forward(ctx1, X_train[batch], W, b)
                        MSE.forward(ctx2, yhat, y_train[batch])
                        g = MSE.backward(ctx2, 1)[0]
                        _, gW, gb = Linear.backward(ctx1, g)
                        W = W - lr * gW
                        b = b - lr * gb
                    train_losses.append(((X_train @ W.T + b - y_train) ** 2).mean().item())
                    test_losses.append(((X_test @ W.T + b - y_test) ** 2).mean().item())
                    bar.update(1)
            return W, b, train_losses, test_losses
    ''',
}


def _tl_edit(*edits: tuple[str, str]) -> str:
    code = textwrap.dedent(_TL_GENERATOR).strip("\n")
    for old, new in edits:
        assert code.count(old) == 1, old
        code = code.replace(old, new)
    return code


_TL_WRONG = {
    # the last incomplete batch is dropped
    "tl_drops_last_batch": _tl_edit(("range(0, n, batch_size)", "range(0, n - batch_size + 1, batch_size)")),
    # inputs and targets shuffled by two different permutations
    "tl_shuffles_separately": _tl_edit(
        ("            XB, yB = X_train[idx], y_train[idx]\n",
         "            XB = X_train[idx]\n"
         "            yB = y_train[torch.randperm(n, generator=generator)[:len(idx)].to(X_train.device)]\n")),
    # no shuffling at all
    "tl_no_shuffle": _tl_edit(("torch.randperm(n, generator=generator)", "torch.arange(n)")),
    # gradient ascent
    "tl_sign_error": _tl_edit(("W = W - lr * grad_W", "W = W + lr * grad_W"),
                              ("b = b - lr * grad_b", "b = b + lr * grad_b")),
    # test loss measured on the training set
    "tl_test_loss_on_train": _tl_edit(
        ("Linear.forward(Context(), X_test, W, b), y_test)", "Linear.forward(Context(), X_train, W, b), y_train)")),
    # loss of the last batch instead of the whole training set
    "tl_last_batch_loss": _tl_edit(
        ("            MSE.forward(ctx_mse, yhat, yB)\n", "            batch_loss = MSE.forward(ctx_mse, yhat, yB)\n"),
        ("train_losses.append(MSE.forward(Context(), Linear.forward(Context(), X_train, W, b), y_train).item())",
         "train_losses.append(batch_loss.item())")),
    # bias never updated
    "tl_bias_not_updated": _tl_edit(("b = b - lr * grad_b", "b = b")),
    # gradient of the sum over the batch (grad_output = batch size): lr effectively multiplied
    "tl_sum_gradient": _tl_edit(("MSE.backward(ctx_mse, 1)", "MSE.backward(ctx_mse, len(idx))")),
    # losses kept as tensors instead of Python numbers
    "tl_tensor_history": _tl_edit(
        ("Linear.forward(Context(), X_train, W, b), y_train).item())", "Linear.forward(Context(), X_train, W, b), y_train))"),
        ("Linear.forward(Context(), X_test, W, b), y_test).item())", "Linear.forward(Context(), X_test, W, b), y_test))")),
    # random initialisation instead of zeros
    "tl_random_init": _tl_edit(("W = torch.zeros(1, d, device=X_train.device, dtype=X_train.dtype)",
                                "W = torch.randn(1, d, device=X_train.device, dtype=X_train.dtype)")),
    # lazy: autograd (fails under torch.no_grad())
    "tl_uses_autograd": '''
        def train_linear(X_train, y_train, X_test, y_test, batch_size, lr, n_epochs, seed=0, progress=True):
            n, d = X_train.shape
            W = torch.zeros(1, d, device=X_train.device, requires_grad=True)
            b = torch.zeros(1, device=X_train.device, requires_grad=True)
            generator = torch.Generator().manual_seed(seed)
            train_losses, test_losses = [], []
            for _ in tqdm(range(n_epochs), disable=not progress):
                order = torch.randperm(n, generator=generator)
                for start in range(0, n, batch_size):
                    idx = order[start:start + batch_size]
                    loss = mse(linear(X_train[idx], W, b), y_train[idx])
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
    ''',
    # lazy: closed-form least squares, fake flat histories
    "tl_closed_form": '''
        def train_linear(X_train, y_train, X_test, y_test, batch_size, lr, n_epochs, seed=0, progress=True):
            A = torch.cat([X_train, torch.ones(len(X_train), 1, dtype=X_train.dtype, device=X_train.device)], dim=1)
            solution = torch.linalg.lstsq(A.cpu(), y_train.cpu()).solution.to(X_train.device)
            W, b = solution[:-1].T, solution[-1]
            train_loss = ((X_train @ W.T + b - y_train) ** 2).mean().item()
            test_loss = ((X_test @ W.T + b - y_test) ** 2).mean().item()
            return W, b, [train_loss] * n_epochs, [test_loss] * n_epochs
    ''',
}

# =============================================================================================
# train_mlp
# =============================================================================================

_MLP_BASE = '''
def train_mlp(X_train, y_train, X_test, y_test, activation, hidden=10, lr=0.05, n_epochs=500, seed=0, progress=True):
    """Réseau Linear -> activation -> Linear entraîné par descente de gradient batch, sans autograd."""
    params = init_mlp(X_train.shape[1], hidden, seed=seed, device=X_train.device, dtype=X_train.dtype)

    def predict(X):
        H = activation.forward(Context(), Linear.forward(Context(), X, params["W1"], params["b1"]))
        return Linear.forward(Context(), H, params["W2"], params["b2"])

    train_losses, test_losses = [], []
    for _ in tqdm(range(n_epochs), disable=not progress):
        c1, c_act, c2, c_mse = Context(), Context(), Context(), Context()
        H_tilde = Linear.forward(c1, X_train, params["W1"], params["b1"])
        H = activation.forward(c_act, H_tilde)
        yhat = Linear.forward(c2, H, params["W2"], params["b2"])
        MSE.forward(c_mse, yhat, y_train)
        g_yhat, _ = MSE.backward(c_mse, 1)
        g_H, g_W2, g_b2 = Linear.backward(c2, g_yhat)
        g_Ht = activation.backward(c_act, g_H)
        _, g_W1, g_b1 = Linear.backward(c1, g_Ht)
        grads = {"W1": g_W1, "b1": g_b1, "W2": g_W2, "b2": g_b2}
        params = {name: params[name] - lr * grads[name] for name in params}
        train_losses.append(MSE.forward(Context(), predict(X_train), y_train).item())
        test_losses.append(MSE.forward(Context(), predict(X_test), y_test).item())
    return params, train_losses, test_losses
'''

_MLP_CORRECT = {
    "mlp_dict_update": _MLP_BASE,
    "mlp_layer_list": '''
        def train_mlp(X_train, y_train, X_test, y_test, activation, hidden=10, lr=0.05, n_epochs=500, seed=0, progress=True):
            p = init_mlp(X_train.shape[1], hidden, seed=seed, device=X_train.device, dtype=X_train.dtype)
            W1, b1, W2, b2 = p["W1"], p["b1"], p["W2"], p["b2"]

            def mse_of(X, y):
                out = Linear.forward(Context(), activation.forward(Context(), Linear.forward(Context(), X, W1, b1)), W2, b2)
                return float(((out - y) ** 2).mean())

            train_losses, test_losses = [], []
            epochs = tqdm(range(n_epochs), disable=not progress)
            for epoch in epochs:
                contexts = [Context() for _ in range(4)]
                z = Linear.forward(contexts[0], X_train, W1, b1)
                a = activation.forward(contexts[1], z)
                out = Linear.forward(contexts[2], a, W2, b2)
                loss = MSE.forward(contexts[3], out, y_train)
                (g,) = MSE.backward(contexts[3], 1)[:1]
                g, dW2, db2 = Linear.backward(contexts[2], g)
                g = activation.backward(contexts[1], g)
                g, dW1, db1 = Linear.backward(contexts[0], g)
                W1 -= lr * dW1
                b1 -= lr * db1
                W2 -= lr * dW2
                b2 -= lr * db2
                train_losses.append(mse_of(X_train, y_train))
                test_losses.append(mse_of(X_test, y_test))
                if epoch % 100 == 0:
                    epochs.set_postfix(loss=f"{loss.item():.4f}")
            return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, train_losses, test_losses
    ''',
    "mlp_inplace_dict_print": '''
        def train_mlp(X_train, y_train, X_test, y_test, activation, hidden=10, lr=0.05, n_epochs=500, seed=0, progress=True):
            params = init_mlp(X_train.size(1), hidden, seed=seed, device=X_train.device, dtype=X_train.dtype)

            def full_forward(X):
                ctxs = {"l1": Context(), "act": Context(), "l2": Context()}
                H = activation.forward(ctxs["act"], Linear.forward(ctxs["l1"], X, params["W1"], params["b1"]))
                return Linear.forward(ctxs["l2"], H, params["W2"], params["b2"]), ctxs

            train_losses, test_losses = [], []
            for epoch in tqdm(range(1, n_epochs + 1), disable=not progress):
                yhat, ctxs = full_forward(X_train)
                c_loss = Context()
                MSE.forward(c_loss, yhat, y_train)
                delta = MSE.backward(c_loss, torch.ones((), dtype=X_train.dtype, device=X_train.device))[0]
                delta, grad_W2, grad_b2 = Linear.backward(ctxs["l2"], delta)
                delta = activation.backward(ctxs["act"], delta)
                _, grad_W1, grad_b1 = Linear.backward(ctxs["l1"], delta)
                for name, grad in (("W1", grad_W1), ("b1", grad_b1), ("W2", grad_W2), ("b2", grad_b2)):
                    params[name].sub_(lr * grad)
                train_losses.append(MSE.forward(Context(), full_forward(X_train)[0], y_train).item())
                test_losses.append(MSE.forward(Context(), full_forward(X_test)[0], y_test).item())
                if progress and epoch % 250 == 0:
                    print(f"{activation.__name__} époque {epoch} : apprentissage {train_losses[-1]:.4f}")
            return params, train_losses, test_losses
    ''',
}


def _mlp_edit(*edits: tuple[str, str]) -> str:
    code = textwrap.dedent(_MLP_BASE).strip("\n")
    for old, new in edits:
        assert code.count(old) == 1, old
        code = code.replace(old, new)
    return code


_MLP_WRONG = {
    # the activation's backward is skipped
    "mlp_skips_activation_backward": _mlp_edit(("g_Ht = activation.backward(c_act, g_H)", "g_Ht = g_H")),
    # one context shared by the two Linear layers: layer 1's backward sees layer 2's tensors
    "mlp_shared_context": _mlp_edit(("c1, c_act, c2, c_mse = Context(), Context(), Context(), Context()",
                                     "c1, c_act, c_mse = Context(), Context(), Context()\n        c2 = c1")),
    # seed ignored
    "mlp_ignores_seed": _mlp_edit(("hidden, seed=seed,", "hidden, seed=0,")),
    # dtype of X_train ignored (float32 parameters with float64 data)
    "mlp_forces_float32": _mlp_edit(("device=X_train.device, dtype=X_train.dtype)", "device=X_train.device)")),
    # Tanh hard-coded instead of the `activation` argument
    "mlp_tanh_hardcoded": _mlp_edit(("H = activation.forward(c_act, H_tilde)", "H = Tanh.forward(c_act, H_tilde)"),
                                    ("g_Ht = activation.backward(c_act, g_H)", "g_Ht = Tanh.backward(c_act, g_H)"),
                                    ("H = activation.forward(Context(), Linear", "H = Tanh.forward(Context(), Linear")),
    # losses recorded before the step
    "mlp_loss_before_step": _mlp_edit(
        ("        params = {name: params[name] - lr * grads[name] for name in params}\n"
         "        train_losses.append(MSE.forward(Context(), predict(X_train), y_train).item())\n"
         "        test_losses.append(MSE.forward(Context(), predict(X_test), y_test).item())\n",
         "        train_losses.append(MSE.forward(Context(), predict(X_train), y_train).item())\n"
         "        test_losses.append(MSE.forward(Context(), predict(X_test), y_test).item())\n"
         "        params = {name: params[name] - lr * grads[name] for name in params}\n")),
    # the hidden bias is never updated (its gradient is zeroed)
    "mlp_forgets_b1": _mlp_edit(('grads = {"W1": g_W1, "b1": g_b1,', 'grads = {"W1": g_W1, "b1": 0 * g_b1,')),
    # mini-batches instead of the full batch the statement asks for
    "mlp_minibatches": '''
        def train_mlp(X_train, y_train, X_test, y_test, activation, hidden=10, lr=0.05, n_epochs=500, seed=0, progress=True):
            params = init_mlp(X_train.shape[1], hidden, seed=seed, device=X_train.device, dtype=X_train.dtype)

            def predict(X):
                H = activation.forward(Context(), Linear.forward(Context(), X, params["W1"], params["b1"]))
                return Linear.forward(Context(), H, params["W2"], params["b2"])

            train_losses, test_losses = [], []
            for _ in tqdm(range(n_epochs), disable=not progress):
                for idx in torch.randperm(len(X_train), device=X_train.device).split(32):
                    c1, c_act, c2, c_mse = Context(), Context(), Context(), Context()
                    H = activation.forward(c_act, Linear.forward(c1, X_train[idx], params["W1"], params["b1"]))
                    yhat = Linear.forward(c2, H, params["W2"], params["b2"])
                    MSE.forward(c_mse, yhat, y_train[idx])
                    g_H, g_W2, g_b2 = Linear.backward(c2, MSE.backward(c_mse, 1)[0])
                    _, g_W1, g_b1 = Linear.backward(c1, activation.backward(c_act, g_H))
                    grads = {"W1": g_W1, "b1": g_b1, "W2": g_W2, "b2": g_b2}
                    params = {name: params[name] - lr * grads[name] for name in params}
                train_losses.append(MSE.forward(Context(), predict(X_train), y_train).item())
                test_losses.append(MSE.forward(Context(), predict(X_test), y_test).item())
            return params, train_losses, test_losses
    ''',
    # lazy: autograd through .apply
    "mlp_uses_autograd": '''
        def train_mlp(X_train, y_train, X_test, y_test, activation, hidden=10, lr=0.05, n_epochs=500, seed=0, progress=True):
            params = init_mlp(X_train.shape[1], hidden, seed=seed, device=X_train.device, dtype=X_train.dtype)
            params = {k: v.requires_grad_(True) for k, v in params.items()}
            train_losses, test_losses = [], []
            for _ in tqdm(range(n_epochs), disable=not progress):
                with torch.enable_grad():
                    H = activation.apply(linear(X_train, params["W1"], params["b1"]))
                    loss = mse(linear(H, params["W2"], params["b2"]), y_train)
                    loss.backward()
                with torch.no_grad():
                    for v in params.values():
                        v -= lr * v.grad
                        v.grad = None
                    for X, y, hist in ((X_train, y_train, train_losses), (X_test, y_test, test_losses)):
                        H = activation.apply(X @ params["W1"].T + params["b1"])
                        hist.append(((H @ params["W2"].T + params["b2"] - y) ** 2).mean().item())
            return {k: v.detach() for k, v in params.items()}, train_losses, test_losses
    ''',
}

# =============================================================================================

_CELLS = [
    ("mse_code", _MSE_CORRECT, _MSE_WRONG),
    ("linear_code", _LINEAR_CORRECT, _LINEAR_WRONG),
    ("tanh_code", _TANH_CORRECT, _TANH_WRONG),
    ("relu_code", _RELU_CORRECT, _RELU_WRONG),
    ("standardize_code", _STANDARDIZE_CORRECT, _STANDARDIZE_WRONG),
    ("train_mlp_code", _MLP_CORRECT, _MLP_WRONG),
]

CORRECT = [_v(name, cell, code) for cell, good, _ in _CELLS for name, code in good.items()]
CORRECT += [_tl(name, code) for name, code in _TL_CORRECT.items()]
WRONG = [_v(name, cell, code) for cell, _, bad in _CELLS for name, code in bad.items()]
WRONG += [_tl(name, code) for name, code in _TL_WRONG.items()]
