"""The decoder p(x|z) as plain bytes, so a browser can run it on every mouse move.

`export_decoder(model)` takes the decoder MLP (latent_dim -> ... -> 784, ReLU between the
Linear layers, sigmoid on the output as in `Autoencoder.decode`) out of torch as a
`WebDecoder`: for each Linear layer W^T (in, out) and b (out,) as float32, and a digest of
those numbers. `pack(decoder, points, labels)` writes it, with the encoded points to draw,
into one binary container that Streamlit sends to the page as raw bytes
(pages/hover_decoder.py); `unpack` reads it back. For vae-2d (2 -> 256 -> 512 -> 1024 ->
784) the weights are 1,461,264 float32 = 5,845,056 bytes, plus 9 bytes per encoded point;
the other 2-D models (2 -> 256 -> 512 -> 784) have 534,544 numbers, 2.1 MB. Base64 in JSON,
the previous format, was 4/3 of that and cost a json.dumps on every rerun.

Container format `vae-explorer/mlp-decoder/2`, all numbers little-endian:
    bytes 0-7    MAGIC, b"VAEXMLP2"
    bytes 8-11   uint32 H, the header's length in bytes (a multiple of 4)
    next H       UTF-8 JSON header, space-padded: {"format", "latent_dim", "output_shape",
                 "activations": ["relu", ..., "sigmoid"] (one per layer, applied after it),
                 "layers": [[in_features, out_features], ...], "n_params", "digest",
                 "n_points", "id"}
    then         for each layer: W^T float32 (in, out) row-major, then b float32 (out,)
    then         points float32 (n_points, 2), then labels uint8 (n_points,)
Every float32 array starts at a multiple of 4 bytes, so the browser can view it in place.
`digest` (sha1 of all the weight and bias bytes) names the weights; `id` names the whole
container (weights and points), so the page recognises data it already holds.

`decode_numpy(decoder, z)` is the reference for the JavaScript decoder: the same numbers in
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

`cached_decoder(key, build)` keeps a decoder in the disk cache (explorer.projection), keyed
by checkpoint content, so a later process serves it without torch or the model.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from explorer.diskcache import load_entry, store_entry

if TYPE_CHECKING:  # torch is imported only to export a model's decoder
    from torch import nn

FORMAT = "vae-explorer/mlp-decoder/2"
MAGIC = b"VAEXMLP2"
OUTPUT_SHAPE = (28, 28)
CACHE_KIND = "webdecoder"  # disk cache entries of `cached_decoder`

Layer = tuple[np.ndarray, np.ndarray, str]  # (W^T (in, out) float32, b (out,) float32, act)


@dataclass(frozen=True)
class WebDecoder:
    """A plain MLP decoder as numpy: layers of (W^T (in, out), b (out,), activation)."""

    layers: tuple[Layer, ...]
    digest: str  # sha1 of every W^T and b's float32 bytes, in layer order

    @property
    def latent_dim(self) -> int:
        return int(self.layers[0][0].shape[0])

    @property
    def n_params(self) -> int:
        return int(sum(w.size + b.size for w, b, _ in self.layers))


@dataclass(frozen=True)
class Payload:
    """What a container holds: the decoder, the points (N, 2) float32, labels (N,) uint8."""

    decoder: WebDecoder
    points: np.ndarray
    labels: np.ndarray
    header: dict


# ---------------------------------------------------------------- torch -> numpy
def _linear_layers(decoder: nn.Module) -> list[nn.Linear]:
    """The Linear layers of a plain `Linear (ReLU Linear)*` stack; ValueError otherwise."""
    from torch import nn

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


def _digest(layers) -> str:
    h = hashlib.sha1()
    for w, b, _ in layers:
        h.update(np.ascontiguousarray(w, dtype="<f4").tobytes())
        h.update(np.ascontiguousarray(b, dtype="<f4").tobytes())
    return h.hexdigest()


def export_decoder(model: nn.Module) -> WebDecoder:
    """The model's decoder as float32 numpy layers for the browser.

    Raises ValueError when the decoder is not a plain Linear/ReLU stack from latent_dim to
    784 outputs (the browser implements only that), or has non-finite weights.
    """
    decoder = getattr(model, "decoder", None)
    if decoder is None:
        raise ValueError(f"{type(model).__name__} has no `decoder` to export")
    linears = _linear_layers(decoder)
    n_out = int(np.prod(OUTPUT_SHAPE))
    if linears[-1].out_features != n_out:
        raise ValueError(
            f"the decoder must output {n_out} pixel logits, not {linears[-1].out_features}"
        )
    config = getattr(model, "config", None)
    latent_dim = int(getattr(config, "latent_dim", linears[0].in_features))
    if linears[0].in_features != latent_dim:
        raise ValueError(
            f"the decoder takes {linears[0].in_features} inputs but latent_dim is {latent_dim}"
        )
    acts = ["relu"] * (len(linears) - 1) + ["sigmoid"]
    layers = []
    for m, act in zip(linears, acts):
        # torch's (out, in) weight -> W^T (in, out)
        w = np.ascontiguousarray(m.weight.detach().cpu().float().numpy().T)
        b = m.bias.detach().cpu().float().numpy().copy()
        if not (np.isfinite(w).all() and np.isfinite(b).all()):
            raise ValueError("the decoder has non-finite weights")
        layers.append((w, b, act))
    return WebDecoder(tuple(layers), _digest(layers))


# ---------------------------------------------------------------- the container
def _header_bytes(header: dict) -> bytes:
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    return text + b" " * (-len(text) % 4)  # the arrays after it stay 4-byte aligned


def pack(decoder: WebDecoder, points: np.ndarray | None = None, labels=None) -> bytes:
    """The container (module docstring) of `decoder` and the points (N, 2) with labels
    (N,) in 0..255 to draw; no points by default."""
    pts = np.zeros((0, 2)) if points is None else np.asarray(points)
    pts = np.ascontiguousarray(pts, dtype="<f4").reshape(-1, 2)
    lab = np.zeros(len(pts)) if labels is None else np.asarray(labels).ravel()
    if len(lab) != len(pts):
        raise ValueError(f"{len(pts)} points but {len(lab)} labels")
    lab = np.ascontiguousarray(lab, dtype=np.uint8)
    points_digest = hashlib.sha1(pts.tobytes() + lab.tobytes()).hexdigest()
    header = {
        "format": FORMAT,
        "latent_dim": decoder.latent_dim,
        "output_shape": list(OUTPUT_SHAPE),
        "activations": [act for _, _, act in decoder.layers],
        "layers": [list(w.shape) for w, _, _ in decoder.layers],
        "n_params": decoder.n_params,
        "digest": decoder.digest,
        "n_points": len(pts),
        "id": f"{decoder.digest[:16]}-{points_digest[:12]}",
    }
    head = _header_bytes(header)
    parts = [MAGIC, struct.pack("<I", len(head)), head]
    for w, b, _ in decoder.layers:
        parts += [np.ascontiguousarray(a, "<f4").tobytes() for a in (w, b)]
    return b"".join([*parts, pts.tobytes(), lab.tobytes()])


def unpack(blob: bytes) -> Payload:
    """Read a container back (arrays are read-only views of `blob`); ValueError when it is
    not one, is truncated or has trailing bytes."""
    buf = memoryview(blob).cast("B")
    if bytes(buf[:8]) != MAGIC or len(buf) < 12:
        raise ValueError(f"not a decoder container of format {FORMAT!r}")
    (n_head,) = struct.unpack("<I", buf[8:12])
    try:
        header = json.loads(bytes(buf[12 : 12 + n_head]))
    except ValueError as exc:
        raise ValueError(f"unreadable decoder container header ({exc})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(f"not a decoder container of format {FORMAT!r}")
    offset = 12 + n_head

    def take(dtype: str, shape: tuple[int, ...]) -> np.ndarray:
        nonlocal offset
        count = int(np.prod(shape))
        a = np.frombuffer(buf, dtype=dtype, count=count, offset=offset).reshape(shape)
        offset += a.nbytes
        return a

    try:
        layers = []
        for (n_in, n_out), act in zip(header["layers"], header["activations"], strict=True):
            w = take("<f4", (int(n_in), int(n_out)))
            layers.append((w, take("<f4", (int(n_out),)), str(act)))
        n = int(header["n_points"])
        points, labels = take("<f4", (n, 2)), take("u1", (n,))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"truncated or malformed decoder container ({exc})") from None
    if offset != len(buf):
        raise ValueError(f"decoder container has {len(buf) - offset} bytes too many")
    sizes = [w.shape for w, _, _ in layers]
    if not sizes or any(a[1] != b[0] for a, b in zip(sizes[:-1], sizes[1:])):
        raise ValueError(f"decoder container layers do not chain: {sizes}")
    return Payload(WebDecoder(tuple(layers), str(header["digest"])), points, labels, header)


# ---------------------------------------------------------------- disk cache
def cached_decoder(
    key: str, build: Callable[[], WebDecoder], directory: str | Path | None = None
) -> tuple[WebDecoder, bool]:
    """The decoder through the disk cache; returns (decoder, hit).

    `key` must name the weights, e.g. the checkpoint's content (`file_digest`). A hit
    needs neither torch nor the model; a miss, or an unreadable entry or one of an older
    format, calls `build()` and stores its container.
    """
    arrays = load_entry(CACHE_KIND, key, directory)
    if arrays is not None and "container" in arrays:
        try:
            return unpack(arrays["container"].tobytes()).decoder, True
        except ValueError:
            pass  # older format or damaged: rebuilt and overwritten below
    decoder = build()
    store_entry(CACHE_KIND, key, {"container": np.frombuffer(pack(decoder), np.uint8)}, directory)
    return decoder, False


# ---------------------------------------------------------------- numpy reference
def decode_numpy(decoder: WebDecoder | bytes, z: np.ndarray) -> np.ndarray:
    """Decoder means for latent points z (B, latent_dim) or (latent_dim,): float32
    (B, 28, 28) or (28, 28) in [0, 1], computed exactly as the browser does (see the
    module docstring): float64 accumulation over inputs in index order starting from the
    bias, float32 rounding after every layer, ReLU between layers, sigmoid at the end.
    `decoder` may be a container's bytes."""
    if not isinstance(decoder, WebDecoder):
        decoder = unpack(decoder).decoder
    z = np.asarray(z)
    single = z.ndim == 1
    x = np.atleast_2d(z).astype(np.float32)
    if x.shape[1] != decoder.latent_dim:
        raise ValueError(f"z has {x.shape[1]} coordinates, the decoder takes {decoder.latent_dim}")
    for w, b, act in decoder.layers:
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
    images = x.reshape(len(x), *OUTPUT_SHAPE)
    return images[0] if single else images
