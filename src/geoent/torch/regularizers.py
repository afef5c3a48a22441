"""Entropy regularisers for neural networks: functional forms and thin ``nn.Module``\\ s.

Three families, each a loss term to *add* to a training objective (all natural log
unless a base is given):

``configuration_entropy(weight)`` (Bayandorian, "A Novel Sparse Regularizer")
    H_C(W) = 1/2 log(1/2 sum (G_x * W)^2 + (G_y * W)^2) - log(sum |W|), with G_x, G_y
    the normalised Scharr operators (1/32 [[3, 0, -3], [10, 0, -10], [3, 0, -3]] and its
    transpose) and ``*`` a zero-padded 2D convolution of the same size as W.

    *Sign convention.* The paper's equation (3) writes the right-hand side as
    ``-l_C(W) = H_C(W)`` and warns that it is "more positive when less sparse". Its
    text also says the regulariser "seeks to minimize the entropy" and that squeezing
    the nonzero entries together makes ``l_C`` *decrease*, which only holds for the
    right-hand side itself. We therefore return H_C (the right-hand side, higher for
    spread-out weights) and the quantity to *minimise* is +H_C: adding
    ``configuration_entropy(W)`` to the loss pushes towards localised, sparse weights.
    Minimising the literal ``l_C = -H_C`` would spread the weights out instead.

    It is scale invariant (both terms move by log |a| under W -> aW) and bounded:
    by Young's inequality ||G * W||_2 <= ||G||_1 ||W||_2 = ||W||_2 <= ||W||_1, so
    H_C <= 0 (about -0.73 for a single nonzero entry). A floor eps * (sum |W|)^2 inside
    the first logarithm (scale invariant too, relative size 1e-12 by default) keeps it
    finite for the rare nonzero W whose zero-padded Scharr gradients all vanish (a 1 x 1
    matrix, or odd sizes with a checkerboard of isolated corners), so
    1/2 log(eps) <= H_C <= 1/2 log(1 + eps). An all-zero tensor has no configuration: it
    scores the floor 1/2 log(eps), the sparsest value, with zero gradient (never NaN).

    *Higher ranks.* ``mode="matrix"`` (default) views a tensor of rank > 2 as the
    (shape[0], prod(shape[1:])) matrix that the layer multiplies by (for a conv kernel
    (out, in, kh, kw): one row per output channel, the im2col layout) and applies the 2D
    formula. ``mode="tensor"`` uses the separable N-D Scharr operator instead: along each
    axis a, the derivative [1, 0, -1]/2 along a times the smoothing [3, 10, 3]/16 along
    every other axis (for rank 2 exactly G_x, G_y), and the 1/2 in the logarithm
    becomes 1/rank. A rank-1 tensor (a bias) is treated as a 1 x n matrix.
    :class:`ConfigurationEntropy` sums H_C over a model's parameters of rank >= 2
    (biases and norm scales are skipped by default).

    *Blind spot.* Scharr operators are central differences, blind to period-2
    patterns: ones on every (even, even) cell of an odd-sized matrix have exactly zero
    zero-padded gradient and score the floor, below any compact block. Low H_C means
    smooth or period-2 weights (the ground states of the Rayleigh quotient the seed
    derives), not necessarily few nonzeros.

``min_ent_loss`` / ``mix_ent_loss`` (Ibraheem, arXiv 2501.13709)
    MIN-ENT = w_1 CE_{b_1}(q, p) + w_2 H_{b_2}(p) and MIX-ENT = w_1 CE_{b_1}(q, p) +
    w_2 CE_{b_2}(p, q~), with p the network's softmax, q the one-hot target, logarithms
    in base b (log_b x = ln x / ln b). The swapped cross-entropy
    CE(p, q~) = -sum p log q~ = H(p) + KL(p || q~): the minimum-entropy term plus the
    K-L term "with the roles of target and hypothesis swapped", as the paper states.
    *What we read*: the two definitions above and that the log bases are learnt with
    the model. *What we inferred*: KL(p || q) is infinite for a one-hot q unless p is
    one-hot, so the target of the K-L term must be smoothed; the author's code exposes
    ``--eps 1e-6``, and we use q~ = (q + eps) / (1 + K eps). With it the swapped term is
    about -ln(eps) (1 - p_y) / ln b_2, a bounded, MAE-like push on the true class.
    :class:`MinEntLoss` and :class:`MixEntLoss` hold the bases as parameters
    (b = 1 + softplus(raw), so b > 1). Note that d loss / d ln b = -term / (ln b)^2 < 0:
    a learnt base only ever grows, so learning it amounts to a slowly decaying weight
    on its term (the paper reports final bases of 2-13); the modules record the bases so
    experiments can report them.

``attention_entropy(attn)``
    Row entropy -sum_j a_ij ln a_ij of attention probabilities (..., queries, keys),
    0 for a one-hot row and ln k for a uniform one, with 0 ln 0 = 0 (zero rows, as
    left by padding, give 0, and zeros give a zero gradient, never NaN).
    :class:`AttentionRecorder` collects the maps of every ``nn.MultiheadAttention``
    (including those inside ``nn.TransformerEncoderLayer``, which asks for none: a
    forward pre-hook sets ``need_weights=True, average_attn_weights=False``) or of any
    module returning ``(output, attention)``, so the regulariser plugs into a loop::

        rec = AttentionRecorder(model)                 # once
        loss = criterion(model(x), y) + 0.01 * rec.entropy()
        loss.backward()

Examples
--------
>>> import torch
>>> from geoent.torch.regularizers import configuration_entropy, attention_entropy
>>> w = torch.randn(30, 20, dtype=torch.float64)
>>> bool(torch.isclose(configuration_entropy(w), configuration_entropy(7.5 * w)))
True
>>> a = torch.full((2, 4, 5, 8), 1 / 8)
>>> round(float(attention_entropy(a)), 4) == round(float(torch.log(torch.tensor(8.0))), 4)
True
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from ..errors import InputError

__all__ = [
    "AttentionRecorder",
    "ConfigurationEntropy",
    "MinEntLoss",
    "MixEntLoss",
    "attention_entropy",
    "configuration_entropy",
    "min_ent_loss",
    "mix_ent_loss",
]

_DERIV = (0.5, 0.0, -0.5)  # central difference, ||.||_1 = 1
_SMOOTH = (3 / 16, 10 / 16, 3 / 16)  # Scharr smoothing, ||.||_1 = 1
_MODES = ("matrix", "tensor")
_ATTN_REDUCTIONS = ("mean", "sum", "none", "head")
_LOSS_REDUCTIONS = ("mean", "sum", "none")


# --------------------------------------------------------------------------------------
# configuration entropy
# --------------------------------------------------------------------------------------


def _filter3(x, axis, taps):
    """Correlate ``x`` along ``axis`` with a 3-tap filter, zero padding, same size."""
    x = x.movedim(axis, -1)
    xp = F.pad(x, (1, 1))
    y = taps[0] * xp[..., :-2] + taps[1] * xp[..., 1:-1] + taps[2] * xp[..., 2:]
    return y.movedim(-1, axis)


def _scharr_energy(w):
    """(1/d) sum over the d axes of ||G_a * w||^2, G_a the separable Scharr operator."""
    # Separable 3-tap passes: 7.6 ms against 21 ms for one conv2d with the two 3 x 3
    # kernels (forward + backward, 100 x 300 float32, one thread, same process, mean of
    # 50 calls, twice, on the loaded shared machine).
    d = w.ndim
    total = w.new_zeros(())
    for a in range(d):
        g = w
        for b in range(d):
            g = _filter3(g, b, _DERIV if b == a else _SMOOTH)
        total = total + (g * g).sum()
    return total / d


def configuration_entropy(weight, *, mode="matrix", eps=1e-12):
    """Configuration entropy H_C of one weight tensor (seed 002, equation 3).

    Parameters
    ----------
    weight : Tensor
        Any floating tensor of rank >= 1 (see the module docstring for ranks other
        than 2).
    mode : {"matrix", "tensor"}
        How a tensor of rank > 2 is handled: as its (shape[0], -1) matrix, or with the
        separable N-D Scharr operator.
    eps : float
        Relative floor inside the first logarithm (scale invariant); bounds the value
        below by 1/2 log(eps).

    Returns
    -------
    Tensor
        A scalar, <= 1/2 log(1 + eps) (about 0). Lower means less Scharr-gradient
        energy per unit of L1 mass, which the seed reads as "sparser" (but see the
        period-2 blind spot in the module docstring). Add it to the loss to minimise it.

    Examples
    --------
    >>> import torch
    >>> spread = torch.zeros(64, 64); spread[::8, ::8] = 1.0
    >>> packed = torch.zeros(64, 64); packed[28:36, 28:36] = 1.0
    >>> bool(configuration_entropy(spread) > configuration_entropy(packed))
    True
    """
    if not isinstance(weight, torch.Tensor) or not weight.is_floating_point():
        raise InputError("configuration_entropy: expected a floating-point torch tensor")
    if weight.ndim == 0 or weight.numel() == 0:
        raise InputError(
            f"configuration_entropy: expected a non-empty tensor of rank >= 1, "
            f"got shape {tuple(weight.shape)}"
        )
    if mode not in _MODES:
        raise InputError(f"configuration_entropy: mode must be one of {_MODES}, got {mode!r}")
    if not eps > 0:
        raise InputError(f"configuration_entropy: eps must be positive, got {eps}")
    w = weight
    if w.ndim == 1:
        w = w.reshape(1, -1)
    elif w.ndim > 2 and mode == "matrix":
        w = w.reshape(w.shape[0], -1)
    energy = _scharr_energy(w)
    l1 = w.abs().sum()
    zero = l1 == 0
    # Safe denominators so that an all-zero tensor yields finite values and a zero
    # gradient through both branches of the where (never 0 * inf = NaN).
    l1_safe = torch.where(zero, torch.ones_like(l1), l1)
    energy_safe = torch.where(zero, torch.ones_like(energy), energy)
    h = 0.5 * torch.log(energy_safe + eps * l1_safe * l1_safe) - torch.log(l1_safe)
    return torch.where(zero, torch.full_like(h, 0.5 * math.log(eps)), h)


class ConfigurationEntropy(nn.Module):
    """Sum of :func:`configuration_entropy` over a model's weight tensors.

    Parameters
    ----------
    model : nn.Module
        Its parameters of rank >= ``min_ndim`` are regularised (read at each call, so
        the module follows the model; it holds no parameters itself).
    mode : {"matrix", "tensor"}
    min_ndim : int
        Parameters of lower rank (biases, norm scales) are skipped; default 2.
    eps : float

    Examples
    --------
    >>> import torch
    >>> mlp = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    >>> reg = ConfigurationEntropy(mlp)
    >>> reg.names
    ['0.weight', '2.weight']
    >>> reg().backward()
    >>> mlp[0].weight.grad.shape
    torch.Size([16, 8])
    """

    def __init__(self, model, *, mode="matrix", min_ndim=2, eps=1e-12):
        super().__init__()
        if mode not in _MODES:
            raise InputError(f"ConfigurationEntropy: mode must be one of {_MODES}, got {mode!r}")
        # A plain attribute, not a submodule: the regulariser must not re-register (and
        # double count) the model's parameters.
        object.__setattr__(self, "_model", model)
        self.mode = mode
        self.min_ndim = min_ndim
        self.eps = eps

    @property
    def names(self):
        """Names of the parameters that are regularised."""
        return [n for n, p in self._model.named_parameters() if p.ndim >= self.min_ndim]

    def per_tensor(self):
        """Dict name -> H_C of each regularised parameter."""
        return {
            n: configuration_entropy(p, mode=self.mode, eps=self.eps)
            for n, p in self._model.named_parameters()
            if p.ndim >= self.min_ndim
        }

    def forward(self):
        """The summed configuration entropy (a scalar)."""
        values = list(self.per_tensor().values())
        if not values:
            raise InputError("ConfigurationEntropy: the model has no parameter to regularise")
        return torch.stack(values).sum()

    def extra_repr(self):
        return f"mode={self.mode!r}, min_ndim={self.min_ndim}, tensors={len(self.names)}"


# --------------------------------------------------------------------------------------
# MIN-ENT and MIX-ENT
# --------------------------------------------------------------------------------------


def _check_logits(logits, target):
    if not isinstance(logits, torch.Tensor) or logits.ndim != 2:
        shape = tuple(logits.shape) if isinstance(logits, torch.Tensor) else type(logits)
        raise InputError(f"expected logits of shape (batch, classes), got {shape}")
    if not isinstance(target, torch.Tensor) or target.shape != logits.shape[:1]:
        raise InputError(
            f"expected integer targets of shape ({logits.shape[0]},), "
            f"got {tuple(getattr(target, 'shape', ()))}"
        )
    if target.is_floating_point() or target.is_complex():
        raise InputError("expected integer class targets")


def _log_base(base, like):
    """ln(b) as a tensor (b a number or a tensor), checked b > 1 for numbers."""
    if isinstance(base, torch.Tensor):
        return torch.log(base.to(like.dtype))
    if not base > 1:
        raise InputError(f"logarithm base must be > 1, got {base}")
    return like.new_tensor(math.log(base))


def _reduce(x, reduction):
    if reduction == "mean":
        return x.mean()
    if reduction == "sum":
        return x.sum()
    if reduction == "none":
        return x
    raise InputError(f"reduction must be one of {_LOSS_REDUCTIONS}, got {reduction!r}")


def _entropy_terms(logits, target):
    logp = F.log_softmax(logits, dim=-1)
    ce = -logp.gather(1, target[:, None].long()).squeeze(1)
    p = logp.exp()
    return logp, p, ce


def min_ent_loss(
    logits, target, *, weight=1.0, ce_weight=1.0, base_ce=math.e, base_ent=math.e,
    reduction="mean",
):  # fmt: skip
    """MIN-ENT: cross-entropy plus the entropy of the prediction (seed 003).

    ``ce_weight * CE / ln(base_ce) + weight * H(p) / ln(base_ent)`` per sample, with
    H(p) = -sum_k p_k ln p_k of the softmax p of ``logits``.

    Parameters
    ----------
    logits : Tensor (batch, classes)
    target : integer Tensor (batch,)
    weight, ce_weight : float or Tensor
        Weights of the entropy and cross-entropy terms (the author's code defaults to
        1 and 1).
    base_ce, base_ent : float or Tensor
        Logarithm bases (> 1); tensors allow learning them (see :class:`MinEntLoss`).
    reduction : {"mean", "sum", "none"}

    Examples
    --------
    >>> import torch
    >>> logits, y = torch.randn(5, 3), torch.tensor([0, 1, 2, 0, 1])
    >>> ce = torch.nn.functional.cross_entropy(logits, y)
    >>> bool(torch.isclose(min_ent_loss(logits, y, weight=0.0), ce))
    True
    """
    _check_logits(logits, target)
    logp, p, ce = _entropy_terms(logits, target)
    ent = -(p * logp).sum(-1)
    per = ce_weight * ce / _log_base(base_ce, logits) + weight * ent / _log_base(base_ent, logits)
    return _reduce(per, reduction)


def mix_ent_loss(
    logits, target, *, weight=1.0, ce_weight=1.0, base_ce=math.e, base_ent=math.e,
    eps=1e-6, reduction="mean",
):  # fmt: skip
    """MIX-ENT: cross-entropy plus the swapped cross-entropy H(p) + KL(p || q~) (seed 003).

    ``ce_weight * CE(q, p) / ln(base_ce) + weight * (-sum_k p_k ln q~_k) / ln(base_ent)``
    with q~ = (onehot + eps) / (1 + K eps) the smoothed target (our inference; see the
    module docstring).

    Parameters
    ----------
    logits, target, weight, ce_weight, base_ce, base_ent, reduction
        As :func:`min_ent_loss`.
    eps : float
        Target smoothing of the K-L term (> 0); the author's code default 1e-6.

    Examples
    --------
    >>> import torch
    >>> logits, y = torch.randn(4, 10, dtype=torch.float64), torch.tensor([1, 2, 3, 4])
    >>> p = logits.softmax(-1)
    >>> h = -(p * p.log()).sum(-1)
    >>> q = (torch.nn.functional.one_hot(y, 10) + 1e-6) / (1 + 10e-6)
    >>> kl = (p * (p.log() - q.log())).sum(-1)
    >>> ce = torch.nn.functional.cross_entropy(logits, y, reduction="none")
    >>> bool(torch.allclose(mix_ent_loss(logits, y, reduction="none"), ce + h + kl))
    True
    """
    _check_logits(logits, target)
    if not 0 < eps < 1:
        raise InputError(f"mix_ent_loss: eps must be in (0, 1), got {eps}")
    logp, p, ce = _entropy_terms(logits, target)
    k = logits.shape[1]
    # ln q~ takes two values: on the true class and off it.
    log_on = math.log((1 + eps) / (1 + k * eps))
    log_off = math.log(eps / (1 + k * eps))
    p_true = p.gather(1, target[:, None].long()).squeeze(1)
    swapped = -(p_true * log_on + (1 - p_true) * log_off)
    per = ce_weight * ce / _log_base(base_ce, logits) + weight * swapped / _log_base(
        base_ent, logits
    )
    return _reduce(per, reduction)


class _EntLossModule(nn.Module):
    def __init__(self, weight, ce_weight, base_ce, base_ent, learn_bases, reduction):
        super().__init__()
        if reduction not in _LOSS_REDUCTIONS:
            raise InputError(f"reduction must be one of {_LOSS_REDUCTIONS}, got {reduction!r}")
        for name, b in (("base_ce", base_ce), ("base_ent", base_ent)):
            if not b > 1:
                raise InputError(f"{name} must be > 1, got {b}")
        self.weight = float(weight)
        self.ce_weight = float(ce_weight)
        self.reduction = reduction
        # b = 1 + softplus(raw) keeps every base > 1 (a base <= 1 flips or breaks the
        # logarithm); raw is the inverse softplus of b - 1.
        raw = torch.tensor([base_ce - 1.0, base_ent - 1.0], dtype=torch.float64)
        raw = raw + torch.log(-torch.expm1(-raw))
        raw = raw.to(torch.get_default_dtype())
        if learn_bases:
            self.raw_bases = nn.Parameter(raw)
        else:
            self.register_buffer("raw_bases", raw)

    @property
    def bases(self):
        """Current (base_ce, base_ent), a tensor of two values > 1."""
        return 1.0 + F.softplus(self.raw_bases)

    def extra_repr(self):
        b = self.bases.detach().tolist()
        return f"weight={self.weight}, bases=({b[0]:.4g}, {b[1]:.4g})"


class MinEntLoss(_EntLossModule):
    """:func:`min_ent_loss` with learnable logarithm bases (``raw_bases`` parameter).

    Give its parameters to the optimiser with the model's.

    Examples
    --------
    >>> import torch
    >>> crit = MinEntLoss()
    >>> loss = crit(torch.randn(8, 4), torch.randint(0, 4, (8,)))
    >>> loss.backward()
    >>> crit.raw_bases.grad.shape
    torch.Size([2])
    """

    def __init__(
        self, weight=1.0, *, ce_weight=1.0, base_ce=math.e, base_ent=math.e,
        learn_bases=True, reduction="mean",
    ):  # fmt: skip
        super().__init__(weight, ce_weight, base_ce, base_ent, learn_bases, reduction)

    def forward(self, logits, target):
        b = self.bases
        return min_ent_loss(
            logits, target, weight=self.weight, ce_weight=self.ce_weight,
            base_ce=b[0], base_ent=b[1], reduction=self.reduction,
        )  # fmt: skip


class MixEntLoss(_EntLossModule):
    """:func:`mix_ent_loss` with learnable logarithm bases (``raw_bases`` parameter).

    Examples
    --------
    >>> import torch
    >>> crit = MixEntLoss(learn_bases=False)
    >>> [round(b, 4) for b in crit.bases.tolist()]
    [2.7183, 2.7183]
    """

    def __init__(
        self, weight=1.0, *, ce_weight=1.0, base_ce=math.e, base_ent=math.e,
        eps=1e-6, learn_bases=True, reduction="mean",
    ):  # fmt: skip
        super().__init__(weight, ce_weight, base_ce, base_ent, learn_bases, reduction)
        self.eps = eps

    def forward(self, logits, target):
        b = self.bases
        return mix_ent_loss(
            logits, target, weight=self.weight, ce_weight=self.ce_weight,
            base_ce=b[0], base_ent=b[1], eps=self.eps, reduction=self.reduction,
        )  # fmt: skip


# --------------------------------------------------------------------------------------
# attention entropy
# --------------------------------------------------------------------------------------


def attention_entropy(attn, *, reduction="mean", normalize=False, query_mask=None):
    """Row entropy of attention probabilities.

    Parameters
    ----------
    attn : Tensor (..., queries, keys)
        Rows are probability vectors (typically (batch, heads, queries, keys) from a
        softmax); rows of zeros (padding) are allowed and score 0.
    reduction : {"mean", "sum", "none", "head"}
        ``"none"`` keeps (..., queries); ``"head"`` averages all but dimension -3 (the
        heads of a (batch, heads, queries, keys) map) and returns (heads,).
    normalize : bool
        Divide by ln(keys), so a uniform row scores 1.
    query_mask : bool Tensor broadcastable to (..., queries), optional
        Only True queries count in ``"mean"``/``"head"``/``"sum"`` (e.g. not padding).

    Returns
    -------
    Tensor
        0 <= H <= ln(keys) per row (0 for one-hot rows, ln(keys) for uniform ones).

    Examples
    --------
    >>> import torch
    >>> one_hot = torch.eye(6).expand(2, 3, 6, 6)
    >>> float(attention_entropy(one_hot))
    0.0
    >>> attention_entropy(torch.full((2, 3, 6, 6), 1 / 6), reduction="head", normalize=True)
    tensor([1.0000, 1.0000, 1.0000])
    """
    if not isinstance(attn, torch.Tensor) or not attn.is_floating_point():
        raise InputError("attention_entropy: expected a floating-point torch tensor")
    if attn.ndim < 2 or attn.shape[-1] == 0:
        raise InputError(
            f"attention_entropy: expected shape (..., queries, keys), got {tuple(attn.shape)}"
        )
    if reduction not in _ATTN_REDUCTIONS:
        raise InputError(f"reduction must be one of {_ATTN_REDUCTIONS}, got {reduction!r}")
    if reduction == "head" and attn.ndim < 3:
        raise InputError("reduction='head' needs a (..., heads, queries, keys) tensor")
    positive = attn > 0
    # log of a safe copy: zeros contribute 0 * log 1 = 0 and a zero gradient.
    safe = torch.where(positive, attn, torch.ones_like(attn))
    h = -(attn * torch.log(safe)).sum(-1)
    if normalize:
        k = attn.shape[-1]
        h = h / math.log(k) if k > 1 else torch.zeros_like(h)
    if reduction == "none":
        return h
    if query_mask is None:
        mask = torch.ones_like(h)
    else:
        mask = torch.as_tensor(query_mask, device=h.device).to(h.dtype).expand_as(h)
    h = h * mask
    if reduction == "sum":
        return h.sum()
    if reduction == "mean":
        return h.sum() / mask.sum().clamp_min(1)
    dims = [d for d in range(h.ndim) if d != h.ndim - 2]
    return h.sum(dims) / mask.sum(dims).clamp_min(1)


class AttentionRecorder:
    """Collects attention maps from a model's attention modules on each forward pass.

    Parameters
    ----------
    model : nn.Module
        The model; the list of maps is cleared at the start of each of its forward
        passes.
    module_types : tuple of types
        Modules whose output ``(out, attention)`` is recorded; default
        ``nn.MultiheadAttention``, which is also made to return per-head maps (a
        forward pre-hook sets ``need_weights=True, average_attn_weights=False``; that
        also keeps torch off its fused fast path, which would bypass the hooks).

    Attributes
    ----------
    maps : list of Tensor
        (batch, heads, queries, keys) per recorded module call, in call order.

    Examples
    --------
    >>> import torch
    >>> layer = torch.nn.TransformerEncoderLayer(16, 4, 32, batch_first=True, dropout=0.0)
    >>> model = torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
    >>> rec = AttentionRecorder(model)
    >>> out = model(torch.randn(3, 5, 16))
    >>> [tuple(m.shape) for m in rec.maps]
    [(3, 4, 5, 5), (3, 4, 5, 5)]
    >>> rec.entropy().backward()
    >>> rec.remove()
    """

    def __init__(self, model, module_types=(nn.MultiheadAttention,)):
        self.maps = []
        self._handles = [model.register_forward_pre_hook(self._clear)]
        found = 0
        for m in model.modules():
            if isinstance(m, module_types):
                found += 1
                if isinstance(m, nn.MultiheadAttention):
                    self._handles.append(
                        m.register_forward_pre_hook(self._want_weights, with_kwargs=True)
                    )
                self._handles.append(m.register_forward_hook(self._record))
        if not found:
            raise InputError("AttentionRecorder: the model has no attention module to record")

    def _clear(self, module, args):
        self.maps.clear()

    _MHA_ARGS = ("key_padding_mask", "need_weights", "attn_mask", "average_attn_weights")

    @staticmethod
    def _want_weights(module, args, kwargs):
        kwargs = dict(kwargs)
        # Positional options after (query, key, value) become keywords, so that
        # overriding them below cannot clash with a positional value.
        for name, value in zip(
            AttentionRecorder._MHA_ARGS + ("is_causal",), args[3:], strict=False
        ):
            kwargs[name] = value
        args = args[:3]
        kwargs["need_weights"] = True
        kwargs["average_attn_weights"] = False
        return args, kwargs

    def _record(self, module, args, output):
        if isinstance(output, tuple) and len(output) > 1 and output[1] is not None:
            a = output[1]
            if a.ndim == 3:  # unbatched MultiheadAttention input: (heads, q, k)
                a = a.unsqueeze(0)
            self.maps.append(a)

    def entropy(self, *, normalize=False):
        """Mean row entropy over all recorded maps (a scalar, differentiable)."""
        if not self.maps:
            raise InputError("AttentionRecorder: no attention recorded; run a forward pass")
        return torch.stack([attention_entropy(a, normalize=normalize) for a in self.maps]).mean()

    def remove(self):
        """Detach every hook."""
        for h in self._handles:
            h.remove()
        self._handles = []
        self.maps.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
