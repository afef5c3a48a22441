"""geoent.torch: differentiable entropy and EntropyNet (needs PyTorch).

Install with ``pip install 'geoent[torch]'``.
"""

try:
    import torch as _torch  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised only without torch
    raise ImportError(
        "geoent.torch needs PyTorch, which is not installed; "
        "install it with: pip install 'geoent[torch]'"
    ) from exc

from .functional import soft_range_partition_entropy
from .losses import EntropyLoss
from .models import EntropyNet
from .training import load_pretrained

__all__ = ["EntropyLoss", "EntropyNet", "load_pretrained", "soft_range_partition_entropy"]
