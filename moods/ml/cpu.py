"""What this CPU offers the net (shared by training and serving)."""

from __future__ import annotations


def bf16_native() -> bool:
    """Whether this CPU runs bfloat16 convolutions natively (AVX512-BF16 / AMX)."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except Exception:  # private API: absent or failing means "do not rely on it"
        return False
