"""The decoder p(x|z) as plain data, so a browser can run it on every mouse move.

`decoder_payload(model)` turns the decoder MLP (latent_dim -> ... -> 784, ReLU between the
Linear layers, sigmoid on the output as in `Autoencoder.decode`) into a JSON-able dict: for
each Linear layer its sizes and its weights and bias as base64 of little-endian float32
bytes. For vae-2d (2 -> 256 -> 512 -> 1024 -> 784) that is 1,461,264 numbers, 5.8 MB raw
and 7.8 MB as base64 (5.6 MiB if gzipped: float weights hardly compress); for the other 2-D
models (2 -> 256 -> 512 -> 784) 534,544 numbers, 2.1 MB raw. It is sent to the page once
per model and session (pages/hover_decoder.py).

`decode_numpy(payload, z)` is the reference for the JavaScript decoder: the same numbers in
the same operation order, so tests can show JS == numpy == torch.

Precision strategy (shared by the JS and `decode_numpy`):
  * weights, biases, z and every layer's output are float32, like torch's float32 forward;
  * each output unit is accumulated in float64 (plain JS numbers), starting from its bias and
    adding w[i, j] * x[i] for i = 0, 1, 2, ... in order, then rounded once to float32;
  * the sigmoid 1 / (1 + exp(-logit)) is computed in float64 and rounded to float32.
Float64 sums of float32 products are far more exact than torch's float32 sums, so the
browser agrees with torch to ~1e-6, well inside the 1/255 of one 8-bit grey level. Because
IEEE-754 float64 products and sums are correctly rounded in both numpy and JS (V8 does not
fuse multiply-adds), the two agree bit for bit on the matrix products; only `exp` may differ
in its last float64 bit, which almost never survives the rounding to float32.
Weights are stored transposed, (in, out) row-major, so the JS inner loop over the outputs
reads contiguous memory and can skip inputs that ReLU set to zero (adding 0 * w changes
nothing, so the skip does not change the result).
"""

from __future__ import annotations

import base64
import hashlib

import numpy as np
from torch import nn

FORMAT = "vae-explorer/mlp-decoder/1"
OUTPUT_SHAPE = (28, 28)


def _b64_float32(a: np.ndarray) -> str:
    """Array -> base64 of its little-endian float32 bytes (C order)."""
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode("ascii")


def _float32_from_b64(text: str, shape: tuple[int, ...]) -> np.ndarray:
    """Inverse of `_b64_float32`, with a size check."""
    a = np.frombuffer(base64.b64decode(text), dtype="<f4")
    if a.size != int(np.prod(shape)):
        raise ValueError(f"expected {int(np.prod(shape))} float32 values, got {a.size}")
    return a.reshape(shape).astype(np.float32)


def _linear_layers(decoder: nn.Module) -> list[nn.Linear]:
    """The Linear layers of a plain `Linear (ReLU Linear)*` stack; ValueError otherwise."""
    if not isinstance(decoder, nn.Sequential):
        raise ValueError(
            f"the decoder must be an nn.Sequential of Linear/ReLU layers, got "
            f"{type(decoder).__name__}"
        )
    modules = list(decoder)
    kinds = [type(m).__name__ for m in modules]
    pattern_ok = (
        len(modules) % 2 == 1
        and all(type(m) is nn.Linear for m in modules[0::2])
        and all(type(m) is nn.ReLU for m in modules[1::2])
    )
    if not pattern_ok:
        raise ValueError(
            "the browser decoder runs only a plain MLP decoder: Linear, ReLU, Linear, ..., "
            f"Linear (ReLU between Linear layers, none after the last); this decoder is "
            f"{' -> '.join(kinds) or 'empty'}"
        )
    layers = modules[0::2]
    for prev, nxt in zip(layers[:-1], layers[1:]):
        if prev.out_features != nxt.in_features:
            raise ValueError(
                f"the decoder's layer sizes do not chain: {prev.out_features} outputs "
                f"feed {nxt.in_features} inputs"
            )
    if any(m.bias is None for m in layers):
        raise ValueError("every Linear layer of the decoder needs a bias")
    return layers


def decoder_payload(model: nn.Module) -> dict:
    """The model's decoder as JSON-able data for the browser.

    Returns {"format", "latent_dim", "output_shape": [28, 28], "activations": ["relu", ...,
    "sigmoid"] (one per Linear layer, applied after it), "dtype": "float32", "byteorder":
    "little", "weight_layout": "in_out", "layers": [{"in_features", "out_features",
    "weight": base64 of W^T (in_features, out_features) row-major, "bias": base64 (out,)},
    ...], "n_params", "digest"}. `digest` (sha1 of all the numbers) names the weights, so
    the page can recognise a decoder it already holds.

    Raises ValueError when the decoder is not a plain Linear/ReLU stack from latent_dim to
    784 outputs (the browser implements only that).
    """
    decoder = getattr(model, "decoder", None)
    if decoder is None:
        raise ValueError(f"{type(model).__name__} has no `decoder` to export")
    layers = _linear_layers(decoder)
    n_out = int(np.prod(OUTPUT_SHAPE))
    if layers[-1].out_features != n_out:
        raise ValueError(
            f"the decoder must output {n_out} pixel logits, not {layers[-1].out_features}"
        )
    config = getattr(model, "config", None)
    latent_dim = int(getattr(config, "latent_dim", layers[0].in_features))
    if layers[0].in_features != latent_dim:
        raise ValueError(
            f"the decoder takes {layers[0].in_features} inputs but latent_dim is {latent_dim}"
        )
    digest = hashlib.sha1()
    out_layers = []
    for layer in layers:
        w = layer.weight.detach().cpu().float().numpy().T  # torch (out, in) -> (in, out)
        b = layer.bias.detach().cpu().float().numpy()
        if not (np.isfinite(w).all() and np.isfinite(b).all()):
            raise ValueError("the decoder has non-finite weights")
        w_text, b_text = _b64_float32(w), _b64_float32(b)
        digest.update(w_text.encode())
        digest.update(b_text.encode())
        out_layers.append(
            {
                "in_features": int(layer.in_features),
                "out_features": int(layer.out_features),
                "weight": w_text,
                "bias": b_text,
            }
        )
    activations = ["relu"] * (len(layers) - 1) + ["sigmoid"]
    return {
        "format": FORMAT,
        "latent_dim": latent_dim,
        "output_shape": list(OUTPUT_SHAPE),
        "activations": activations,
        "dtype": "float32",
        "byteorder": "little",
        "weight_layout": "in_out",
        "layers": out_layers,
        "n_params": int(sum(m.weight.numel() + m.bias.numel() for m in layers)),
        "digest": digest.hexdigest(),
    }


def payload_arrays(payload: dict) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """The payload's layers as (W^T (in, out) float32, bias (out,) float32, activation)."""
    if payload.get("format") != FORMAT:
        raise ValueError(f"not a decoder payload of format {FORMAT!r}")
    out = []
    for layer, act in zip(payload["layers"], payload["activations"], strict=True):
        n_in, n_out = int(layer["in_features"]), int(layer["out_features"])
        w = _float32_from_b64(layer["weight"], (n_in, n_out))
        b = _float32_from_b64(layer["bias"], (n_out,))
        out.append((w, b, act))
    return out


def decode_numpy(payload: dict, z: np.ndarray) -> np.ndarray:
    """Decoder means for latent points z (B, latent_dim) or (latent_dim,): float32
    (B, 28, 28) or (28, 28) in [0, 1], computed exactly as the browser does (see the
    module docstring): float64 accumulation over inputs in index order starting from the
    bias, float32 rounding after every layer, ReLU between layers, sigmoid at the end."""
    z = np.asarray(z)
    single = z.ndim == 1
    x = np.atleast_2d(z).astype(np.float32)
    if x.shape[1] != int(payload["latent_dim"]):
        raise ValueError(
            f"z has {x.shape[1]} coordinates, the decoder takes {payload['latent_dim']}"
        )
    for w, b, act in payload_arrays(payload):
        w64, x64 = w.astype(np.float64), x.astype(np.float64)
        acc = np.repeat(b.astype(np.float64)[None, :], len(x64), axis=0)
        for i in range(w64.shape[0]):  # sequential over inputs, like the JS loop
            acc += x64[:, i : i + 1] * w64[i][None, :]
        if act == "relu":
            x = np.maximum(acc.astype(np.float32), np.float32(0.0))
        elif act == "sigmoid":
            logits = acc.astype(np.float32).astype(np.float64)
            x = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
        else:
            raise ValueError(f"unknown activation {act!r}")
    images = x.reshape(len(x), *payload["output_shape"])
    return images[0] if single else images
