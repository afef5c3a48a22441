"""``EntropyLoss``: a thin ``nn.Module`` over :func:`soft_range_partition_entropy`.

Functional core plus a small module holding the settings (and, optionally, learnable
anchors), in the style of pytorch3d's chamfer loss and geomloss.

Examples
--------
>>> import torch
>>> from geoent.torch import EntropyLoss
>>> loss = EntropyLoss(family="ball", k=8, learnable_anchors=True)
>>> x = torch.randn(4, 64, 2, requires_grad=True)
>>> value = loss(x)
>>> value.backward()
>>> x.grad.shape, loss.anchors.grad.shape
(torch.Size([4, 64, 2]), torch.Size([8, 2]))
"""

from __future__ import annotations

import torch
from torch import nn

from .functional import default_anchors, soft_range_partition_entropy

__all__ = ["EntropyLoss"]

_REDUCTIONS = ("mean", "sum", "none")


class EntropyLoss(nn.Module):
    """Soft range-partition entropy of a batch of point sets, reduced to a loss.

    Parameters
    ----------
    family : {"ball", "halfspace", "respectful"}
    temperature : float
    k : int
        Anchors (ball) or cells (halfspace).
    learnable_anchors : bool
        Ball family: hold the anchors as an ``nn.Parameter`` (initialised on the
        default sunflower layout, or on ``anchors``).
    anchors, halfspaces : Tensor, optional
        Fixed anchors (k, 2) / lines (m, 3), in normalised coordinates when
        ``normalize``.
    normalize : bool
    reduction : {"mean", "sum", "none"}
    edge_margin : float, optional
        See :func:`geoent.torch.soft_range_partition_entropy`.
    """

    def __init__(
        self,
        family="ball",
        temperature=0.05,
        k=16,
        *,
        learnable_anchors=False,
        anchors=None,
        halfspaces=None,
        normalize=True,
        reduction="mean",
        edge_margin=None,
    ):
        super().__init__()
        if reduction not in _REDUCTIONS:
            raise ValueError(f"reduction: expected one of {_REDUCTIONS}, got {reduction!r}")
        self.family = family
        self.temperature = temperature
        self.k = k
        self.normalize = normalize
        self.reduction = reduction
        self.edge_margin = edge_margin
        if learnable_anchors:
            init = default_anchors(k) if anchors is None else torch.as_tensor(anchors)
            self.anchors = nn.Parameter(init.to(torch.get_default_dtype()).clone())
        elif anchors is not None:
            self.register_buffer("anchors", torch.as_tensor(anchors).clone())
        else:
            self.anchors = None
        if halfspaces is not None:
            self.register_buffer("halfspaces", torch.as_tensor(halfspaces).clone())
        else:
            self.halfspaces = None

    def forward(self, points, lengths=None, polygon=None):
        """Entropy of each set (B,), reduced as configured."""
        h = soft_range_partition_entropy(
            points,
            lengths,
            family=self.family,
            temperature=self.temperature,
            anchors=self.anchors,
            k=self.k,
            halfspaces=self.halfspaces,
            polygon=polygon,
            normalize=self.normalize,
            edge_margin=self.edge_margin,
        )
        if self.reduction == "mean":
            return h.mean()
        if self.reduction == "sum":
            return h.sum()
        return h

    def extra_repr(self):
        return f"family={self.family!r}, temperature={self.temperature}, k={self.k}"
