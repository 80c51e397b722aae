"""Plotly figures for the lecture pages: AE vs VAE, the β knob and the training replay.

Pure functions of numpy arrays and already translated strings (no Streamlit), built for a
projector: FONT size 16, the ten DIGIT_COLORS of the latent map, square latent panels.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explorer.compare import LabelledGrid, Replay
from explorer.figures import DIGIT_COLORS, FONT, digit_traces

PRIOR_RADII = (1.0, 2.0)  # circles of N(0, I) drawn on β maps: 1σ and 2σ
MODEL_COLORS = ("#4C78A8", "#F58518", "#54A24B")  # one per compared model (bars)


def rgb_data_uri(rgb: np.ndarray, scale: int = 1) -> str:
    """RGB image (H, W, 3) in [0, 1] -> PNG data URI, enlarged `scale` times with
    nearest-neighbour so pixels stay crisp when the browser stretches it."""
    from PIL import Image

    pixels = (np.clip(np.asarray(rgb, dtype=np.float32), 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    pil = Image.fromarray(pixels, mode="RGB")
    if scale != 1:
        pil = pil.resize((pil.width * scale, pil.height * scale), Image.Resampling.NEAREST)
    buf = io.BytesIO()
    pil.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _text_color(hex_color: str) -> str:
    """Black or white, whichever reads better on `hex_color` (relative luminance)."""
    r, g, b = (int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"


def latent_scatter(
    coords: np.ndarray,
    labels: np.ndarray,
    x_range: Sequence[float],
    y_range: Sequence[float],
    title: str,
    legend_title: str = "digit",
    axis_titles: tuple[str, str] = ("z1", "z2"),
    height: int = 520,
) -> go.Figure:
    """Encoded test digits (N, 2) coloured by digit, over a fixed box (the axes' ranges)."""
    fig = go.Figure(digit_traces(coords, labels, hover=legend_title))
    fig.update_layout(
        height=height,
        font=FONT,
        title={"text": title, "x": 0.02, "xanchor": "left"},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"title": legend_title, "itemsizing": "constant"},
        xaxis={"title": axis_titles[0], "range": list(x_range), "zeroline": False},
        yaxis={"title": axis_titles[1], "range": list(y_range), "zeroline": False},
    )
    _square_box(fig, x_range, y_range)
    return fig


def _square_box(fig: go.Figure, x_range: Sequence[float], y_range: Sequence[float]) -> None:
    """Draw the box x_range x y_range as a square (so a decoded grid's cells are square),
    whatever its units: y's pixels per unit = x's times (x span / y span)."""
    ratio = (x_range[1] - x_range[0]) / (y_range[1] - y_range[0])
    fig.update_xaxes(constrain="domain")
    fig.update_yaxes(scaleanchor="x", scaleratio=ratio, constrain="domain")


def labelled_manifold(
    grid: LabelledGrid,
    mosaic_uri: str,
    title: str,
    hover_label: str = "classifier: {digit}, p = {p}",
    axis_titles: tuple[str, str] = ("z1", "z2"),
    dots: tuple[np.ndarray, np.ndarray] | None = None,
    height: int = 520,
) -> go.Figure:
    """The decoded n x n grid placed on the latent plane, each cell badged with the
    classifier's digit (in that digit's map colour); the mosaic's red cells are the ones
    whose top probability is at most the grid's threshold.

    The mosaic is a layout image stretched over `grid.extent`, so the axes read in latent
    units (an AE's codes span tens of units, a VAE's a few). `dots` = (coords, labels)
    draws encoded test digits on top: unsure cells are where no digit was encoded.
    """
    x0, x1, y0, y1 = grid.extent
    fig = go.Figure()
    fig.add_layout_image(
        source=mosaic_uri,
        xref="x",
        yref="y",
        x=x0,
        y=y1,
        sizex=x1 - x0,
        sizey=y1 - y0,
        sizing="stretch",
        layer="below",
    )
    if dots is not None:
        for trace in digit_traces(*dots, size=3, opacity=0.8, showlegend=False):
            trace.hoverinfo, trace.hovertemplate = "skip", None
            fig.add_trace(trace)
    # Badge in each cell's top-left corner; its font follows the on-screen cell size (the
    # square plot is at most `side_px` wide in a half-width column at 1280 px).
    side_px = min(height - 110, 340)
    font_px = int(np.clip(0.36 * side_px / grid.n, 8, 20))
    step = grid.step
    pred, conf = grid.predicted, grid.confidence
    colors = [DIGIT_COLORS[d] for d in pred]
    fig.add_trace(
        go.Scatter(
            x=grid.points[:, 0] - 0.34 * step[0],
            y=grid.points[:, 1] + 0.32 * step[1],
            mode="markers+text",
            text=[str(d) for d in pred],
            textposition="middle center",
            textfont={
                "size": font_px,
                "color": [_text_color(c) for c in colors],
                "weight": "bold",
            },
            marker={"symbol": "square", "size": font_px * 1.2, "color": colors, "opacity": 0.9},
            customdata=np.column_stack([grid.points, conf]),
            hovertext=[hover_label.format(digit=d, p=f"{p:.2f}") for d, p in zip(pred, conf)],
            hovertemplate="z = (%{customdata[0]:.2f}, %{customdata[1]:.2f})<br>"
            "%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_layout(
        height=height,
        font=FONT,
        title={"text": title, "x": 0.02, "xanchor": "left"},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        xaxis={"title": axis_titles[0], "range": [x0, x1], "zeroline": False, "showgrid": False},
        yaxis={"title": axis_titles[1], "range": [y0, y1], "zeroline": False, "showgrid": False},
        plot_bgcolor="black",
    )
    _square_box(fig, (x0, x1), (y0, y1))
    return fig


def beta_maps(
    coords: Sequence[np.ndarray],
    labels: np.ndarray,
    titles: Sequence[str],
    legend_title: str = "digit",
    prior_label: str = "prior N(0, I): 1σ, 2σ",
    margin: float = 0.05,
    height: int = 420,
) -> go.Figure:
    """Latent maps of several 2-D models side by side on one shared box with equal units on
    both axes, so spread and overlap compare directly; dashed circles mark the prior's 1σ
    and 2σ radii. One legend (below) toggles a digit in every panel."""
    allc = np.concatenate([np.asarray(c) for c in coords])
    lo, hi = allc.min(axis=0), allc.max(axis=0)
    pad = (hi - lo) * margin
    lo, hi = lo - pad, hi + pad
    k = len(coords)
    fig = make_subplots(rows=1, cols=k, subplot_titles=list(titles), horizontal_spacing=0.04)
    angle = np.linspace(0, 2 * np.pi, 121)
    for j, c in enumerate(coords, start=1):
        traces = digit_traces(np.asarray(c), labels, size=4, showlegend=j == 1, hover=legend_title)
        for trace in traces:
            fig.add_trace(trace, row=1, col=j)
        for r in PRIOR_RADII:  # WebGL and after the digits: painted above them
            fig.add_trace(
                go.Scattergl(
                    x=r * np.cos(angle),
                    y=r * np.sin(angle),
                    mode="lines",
                    line={"color": "black", "width": 2, "dash": "dash"},
                    name=prior_label,
                    legendgroup="prior",
                    showlegend=j == 1 and r == PRIOR_RADII[0],
                    hoverinfo="skip",
                ),
                row=1,
                col=j,
            )
        suffix = "" if j == 1 else str(j)
        fig.update_yaxes(
            scaleanchor=f"x{suffix}", scaleratio=1, constrain="domain", row=1, col=j,
            showticklabels=j == 1,
        )  # fmt: skip
    fig.update_xaxes(range=[lo[0], hi[0]], title_text="z1", zeroline=False, constrain="domain")
    fig.update_yaxes(range=[lo[1], hi[1]], zeroline=False)
    fig.update_yaxes(title_text="z2", row=1, col=1)
    fig.update_annotations(font={"size": 20})
    fig.update_layout(
        height=height,
        font=FONT,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={
            "title": legend_title,
            "itemsizing": "constant",
            "orientation": "h",
            "x": 0.5,
            "xanchor": "center",
            "y": -0.2,
            "yanchor": "top",
        },
    )
    return fig


def image_rows(
    rows: np.ndarray,
    row_labels: Sequence[str],
    gap: int = 2,
    scale: int = 4,
    width_px: int = 420,
) -> go.Figure:
    """Rows of images (R, C, 28, 28) in [0, 1] as one grey picture, each row named on the
    left (e.g. originals, then each model's reconstructions). The figure's height fits a
    picture about `width_px` wide, so no blank band is left above and below it."""
    r, c, h, w = rows.shape
    canvas = np.full((r * (h + gap) - gap, c * (w + gap) - gap), 0.35, dtype=np.float32)
    for i in range(r):
        for j in range(c):
            y, x = i * (h + gap), j * (w + gap)
            canvas[y : y + h, x : x + w] = rows[i, j]
    rgb = np.repeat(canvas[..., None], 3, axis=2)
    fig = go.Figure(
        go.Image(source=rgb_data_uri(rgb, scale), dx=1 / scale, dy=1 / scale, hoverinfo="skip")
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(
        tickvals=[i * (h + gap) + h / 2 for i in range(r)],
        ticktext=list(row_labels),
        showgrid=False,
        zeroline=False,
        ticks="",
        tickfont={"size": 18},
    )
    fig.update_layout(
        height=int(np.clip(width_px * canvas.shape[0] / canvas.shape[1], 120, 600)) + 20,
        font=FONT,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
    )
    return fig


def terms_bars(
    names: Sequence[str],
    recon: Sequence[float],
    kl: Sequence[float],
    titles: tuple[str, str] = ("reconstruction −log p(x|z)", "KL(q(z|x) ‖ p(z))"),
    unit: str = "nats / image",
    height: int = 340,
) -> go.Figure:
    """Two small bar charts, one bar per model: the reconstruction term and the KL term
    (on their own scales: recon is ~20 times larger)."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=list(titles), horizontal_spacing=0.14)
    colors = list(MODEL_COLORS[: len(names)])
    for col, values in ((1, recon), (2, kl)):
        fig.add_trace(
            go.Bar(
                x=list(names),
                y=list(values),
                marker_color=colors,
                text=[f"{v:.1f}" for v in values],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{x}: %{y:.2f}<extra></extra>",
                showlegend=False,
            ),
            row=1,
            col=col,
        )
        top = max(values) if len(values) else 1.0
        fig.update_yaxes(range=[0, top * 1.18 or 1.0], row=1, col=col)
    fig.update_yaxes(title_text=unit, row=1, col=1)
    fig.update_annotations(font={"size": 18})
    fig.update_layout(height=height, font=FONT, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def training_replay(
    replay: Replay,
    history: dict[str, list],
    titles: dict[str, str],
    frame_ms: int = 700,
    height: int = 600,
) -> go.Figure:
    """The latent map at each stored epoch, animated in the browser (slider + play), beside
    the per-epoch reconstruction and KL curves (train dashed, test solid) with a vertical
    line at the shown epoch. One frame per snapshot; codes glide between frames. The map
    takes the whole height; the player's buttons and slider sit above the curves.

    `titles`: "map", "recon", "kl", "epoch", "train", "test", "play", "pause", "digit",
    "unit" (of the curves), "x", "y" (axis titles of the map), already translated.
    """
    epochs = replay.epochs
    fig = make_subplots(  # the right column's first row is left free for the player
        rows=3,
        cols=2,
        specs=[[{"rowspan": 3}, None], [None, {}], [None, {}]],
        column_widths=[0.5, 0.5],
        row_heights=[0.22, 0.39, 0.39],
        horizontal_spacing=0.1,
        vertical_spacing=0.1,
        subplot_titles=(titles["map"], titles["recon"], titles["kl"]),
    )
    start = replay.coords[0]
    masks = [replay.labels == d for d in range(10)]  # the frames move the same ten traces
    digits = digit_traces(  # SVG scatters: Plotly can tween their points between frames
        start, replay.labels, size=5, opacity=0.75, hover=titles["digit"], webgl=False,
        group="digits", group_title=titles["digit"],
    )  # fmt: skip
    for trace in digits:
        fig.add_trace(trace, row=1, col=1)
    h_epochs = list(history.get("epoch") or range(1, len(history["test_recon"]) + 1))
    curve_rows = {"recon": 2, "kl": 3}
    ranges = {}
    for term, row in curve_rows.items():
        values = [v for split in ("train", "test") for v in history.get(f"{split}_{term}", [])]
        lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
        pad = (hi - lo) * 0.08 or 1.0
        ranges[term] = (lo - pad, hi + pad)
        for split, dash in (("train", "dot"), ("test", "solid")):
            fig.add_trace(
                go.Scatter(
                    x=h_epochs,
                    y=history.get(f"{split}_{term}", []),
                    mode="lines",
                    name=titles[split],
                    legendgroup=split,
                    showlegend=term == "recon",
                    line={"color": "#333" if split == "test" else "#888", "width": 3, "dash": dash},
                    hovertemplate=f"{titles[split]} · {titles['epoch']} %{{x}}: "
                    "%{y:.2f}<extra></extra>",
                ),
                row=row,
                col=2,
            )
    first_moving = len(fig.data)

    def markers(epoch: int) -> list[go.Scatter]:
        """The vertical line at `epoch` and the test value on it, for both curves."""
        out = []
        for term in curve_rows:
            lo, hi = ranges[term]
            out.append(go.Scatter(x=[epoch, epoch], y=[lo, hi]))
            test = history.get(f"test_{term}", [])
            if epoch in h_epochs and test:
                out.append(go.Scatter(x=[epoch], y=[test[h_epochs.index(epoch)]]))
            else:  # epoch 0 = before training: no loss was recorded
                out.append(go.Scatter(x=[None], y=[None]))
        return out

    for term, row in curve_rows.items():
        fig.add_trace(
            go.Scatter(
                x=[epochs[0]] * 2, y=list(ranges[term]), mode="lines",
                line={"color": "#D62728", "width": 2}, showlegend=False, hoverinfo="skip",
            ),
            row=row, col=2,
        )  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=[None], y=[None], mode="markers",
                marker={"size": 14, "color": "#D62728", "line": {"width": 2, "color": "white"}},
                showlegend=False, hoverinfo="skip",
            ),
            row=row, col=2,
        )  # fmt: skip
    moving = list(range(10)) + list(range(first_moving, len(fig.data)))
    fig.frames = [
        go.Frame(
            name=str(epoch),
            traces=moving,
            data=[go.Scatter(x=replay.coords[s][m, 0], y=replay.coords[s][m, 1]) for m in masks]
            + markers(epoch),
        )
        for s, epoch in enumerate(epochs)
    ]
    fig.update_layout(
        height=height,
        font=FONT,
        # The player's controls sit above the curves, beside the full-height map.
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"itemsizing": "constant", "tracegroupgap": 12},
        **replay_controls(epochs, titles, frame_ms),
    )
    fig.update_xaxes(
        range=[replay.lo[0], replay.hi[0]], title_text=titles["x"], zeroline=False, row=1, col=1
    )
    fig.update_yaxes(
        range=[replay.lo[1], replay.hi[1]],
        title_text=titles["y"],
        zeroline=False,
        scaleanchor="x",
        scaleratio=1,
        constrain="domain",
        row=1,
        col=1,
    )
    fig.update_xaxes(constrain="domain", row=1, col=1)
    last = max(h_epochs[-1] if h_epochs else 1, epochs[-1])
    for term, row in curve_rows.items():
        fig.update_xaxes(range=[-0.5, last + 0.5], row=row, col=2)
        fig.update_yaxes(range=list(ranges[term]), title_text=titles["unit"], row=row, col=2)
    fig.update_xaxes(title_text=titles["epoch"], row=curve_rows["kl"], col=2)
    fig.update_annotations(font={"size": 18})
    return fig


def replay_controls(epochs, titles: dict[str, str], frame_ms: int) -> dict:
    """The replay's slider and play/pause buttons at `frame_ms` per epoch: layout entries
    (`sliders`, `updatemenus`). The page swaps them into its cached figure when only the
    speed changes (`figures.with_layout`)."""
    glide = min(frame_ms * 0.6, 600)
    step_args = {
        "mode": "immediate",
        "frame": {"duration": 0, "redraw": False},
        "transition": {"duration": glide, "easing": "cubic-in-out"},
    }
    return dict(
        sliders=[
            {
                "active": 0,
                "currentvalue": {"prefix": f"{titles['epoch']} ", "font": {"size": 20}},
                "y": 1,
                "yanchor": "top",
                "pad": {"t": 0, "b": 0},
                "len": 0.45,
                "x": 0.55,
                "font": {"size": 16},
                "steps": [
                    {"label": str(e), "method": "animate", "args": [[str(e)], step_args]}
                    for e in epochs
                ],
            }
        ],
        updatemenus=[
            {
                "type": "buttons",
                "direction": "left",
                "x": 1.0,
                "y": 1,
                "xanchor": "right",
                "yanchor": "top",
                "pad": {"t": 0},
                "font": {"size": 16},
                "buttons": [
                    {
                        "label": titles["play"],
                        "method": "animate",
                        "args": [
                            None,
                            {
                                "frame": {"duration": frame_ms, "redraw": False},
                                "transition": {"duration": glide, "easing": "cubic-in-out"},
                                "fromcurrent": True,
                                "mode": "immediate",
                            },
                        ],
                    },
                    {
                        "label": titles["pause"],
                        "method": "animate",
                        "args": [[None], {**step_args, "transition": {"duration": 0}}],
                    },
                ],
            }
        ],
    )


def labelled_samples(
    images: np.ndarray,
    probs: np.ndarray,
    z: np.ndarray,
    n_cols: int,
    title: str,
    threshold: float,
    hover_label: str = "classifier: {digit}, p = {p}",
    height: int = 420,
) -> go.Figure:
    """Decoded samples (N, 28, 28) as one mosaic, each cell badged with the classifier's
    digit (in that digit's map colour) and tinted red when its top probability is at most
    `threshold`. Hovering a badge shows the sample's code z (N, D) and p."""
    from explorer.compare import shaded_mosaic

    n = len(images)
    pred, conf = probs.argmax(axis=1), probs.max(axis=1)
    mosaic = shaded_mosaic(images, conf > threshold, n_cols)
    rows = -(-n // n_cols)
    fig = go.Figure()
    fig.add_layout_image(
        source=rgb_data_uri(mosaic, scale=4), xref="x", yref="y", x=0, y=0,
        sizex=n_cols, sizey=rows, sizing="stretch", layer="below",
    )  # fmt: skip
    col, row = np.arange(n) % n_cols, np.arange(n) // n_cols
    font_px = int(np.clip(0.36 * (height - 80) / rows, 8, 18))
    colors = [DIGIT_COLORS[d] for d in pred]
    fig.add_trace(
        go.Scatter(
            x=col + 0.16,
            y=row + 0.18,
            mode="markers+text",
            text=[str(d) for d in pred],
            textfont={"size": font_px, "color": [_text_color(c) for c in colors], "weight": "bold"},
            marker={"symbol": "square", "size": font_px * 1.2, "color": colors, "opacity": 0.9},
            customdata=np.column_stack([z[:, :2], conf]),
            hovertext=[hover_label.format(digit=d, p=f"{p:.2f}") for d, p in zip(pred, conf)],
            hovertemplate="z = (%{customdata[0]:.2f}, %{customdata[1]:.2f})<br>"
            "%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_layout(
        height=height,
        title={"text": title, "x": 0.02, "xanchor": "left"},
        margin={"l": 4, "r": 4, "t": 44, "b": 4},
        xaxis={"range": [0, n_cols], "visible": False, "constrain": "domain"},
        yaxis={"range": [rows, 0], "visible": False, "scaleanchor": "x", "constrain": "domain"},
        plot_bgcolor="black",
    )
    return fig


def coverage_bars(
    shares: Sequence[np.ndarray],
    names: Sequence[str],
    x_title: str,
    y_title: str,
    floor: float,
    floor_label: str,
    height: int = 300,
) -> go.Figure:
    """Grouped bars: each model's share (10,) of samples read as each digit, with a dashed
    line at `floor` (the share under which a digit counts as missing)."""
    fig = go.Figure()
    for share, name, color in zip(shares, names, MODEL_COLORS):
        fig.add_trace(
            go.Bar(x=list(range(10)), y=share, name=name, marker_color=color,
                   hovertemplate="%{x}: %{y:.1%}<extra>" + name + "</extra>")
        )  # fmt: skip
    fig.add_trace(
        go.Scatter(x=[-0.5, 9.5], y=[floor, floor], mode="lines", name=floor_label,
                   line={"color": "#D62728", "width": 2, "dash": "dash"}, hoverinfo="skip")
    )  # fmt: skip
    fig.update_layout(
        height=height,
        barmode="group",
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"title": x_title, "dtick": 1},
        yaxis={"title": y_title, "tickformat": ".0%"},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
    )
    return fig


def code_marginals(
    latents: Sequence[np.ndarray],
    names: Sequence[str],
    prior_label: str,
    beyond_label: str,
    limit: float = 8.0,
    height: int = 420,
) -> go.Figure:
    """Histograms (densities) of each model's codes z1 and z2 on [-limit, limit], one row
    per model, with the prior's N(0, 1) density over them: a VAE's aggregate posterior
    sits under the bell, an AE's does not. The share of codes beyond the range is noted."""
    k = len(latents)
    fig = make_subplots(
        rows=k, cols=2, shared_xaxes=True, vertical_spacing=0.12, horizontal_spacing=0.06,
        subplot_titles=[f"{n}: z{d}" for n in names for d in (1, 2)],
    )  # fmt: skip
    grid = np.linspace(-limit, limit, 401)
    bell = np.exp(-0.5 * grid**2) / np.sqrt(2 * np.pi)
    edges = np.linspace(-limit, limit, 65)
    for i, (z, color) in enumerate(zip(latents, MODEL_COLORS), start=1):
        for d in (1, 2):
            values = np.asarray(z)[:, d - 1]
            counts, _ = np.histogram(values, bins=edges)
            density = counts / (len(values) * np.diff(edges))
            fig.add_trace(
                go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=density, width=np.diff(edges),
                       marker_color=color, opacity=0.75, showlegend=False, hoverinfo="skip"),
                row=i, col=d,
            )  # fmt: skip
            fig.add_trace(
                go.Scatter(x=grid, y=bell, mode="lines", name=prior_label,
                           line={"color": "black", "width": 3, "dash": "dash"},
                           showlegend=i == 1 and d == 1, hoverinfo="skip"),
                row=i, col=d,
            )  # fmt: skip
            beyond = float((np.abs(values) > limit).mean())
            if beyond > 0.005:
                fig.add_annotation(
                    text=beyond_label.format(share=beyond, limit=limit), x=0.5, y=0.95,
                    xref=f"x{'' if (i - 1) * 2 + d == 1 else (i - 1) * 2 + d} domain",
                    yref=f"y{'' if (i - 1) * 2 + d == 1 else (i - 1) * 2 + d} domain",
                    showarrow=False, font={"size": 14},
                )  # fmt: skip
    fig.update_xaxes(range=[-limit, limit])
    fig.update_yaxes(rangemode="tozero")
    fig.update_layout(
        height=height,
        bargap=0,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "x": 0, "y": -0.08, "yanchor": "top"},
    )
    return fig


def bottleneck_maps(
    coords: Sequence[np.ndarray],
    labels: np.ndarray,
    titles: Sequence[str],
    height: int = 500,
    legend_title: str = "digit",
) -> go.Figure:
    """Codes (N, 2) of several coders in a 2 x 2 grid (or one row for fewer than three),
    each on its own axes (PCA's units are not an autoencoder's), coloured by digit; one
    legend toggles a digit in every panel."""
    k = len(coords)
    rows, cols = (2, 2) if k > 2 else (1, k)
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=list(titles),
        horizontal_spacing=0.06, vertical_spacing=0.1,
    )  # fmt: skip
    for j, c in enumerate(coords):
        row, col = j // cols + 1, j % cols + 1
        traces = digit_traces(np.asarray(c), labels, size=3, opacity=0.6, showlegend=j == 0,
                              hover=legend_title)  # fmt: skip
        for trace in traces:
            fig.add_trace(trace, row=row, col=col)
    fig.update_xaxes(showticklabels=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, zeroline=False)
    fig.update_annotations(font={"size": 16})
    fig.update_layout(
        height=height,
        font=FONT,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={
            "title": legend_title, "itemsizing": "constant", "orientation": "v",
            "x": 1.01, "xanchor": "left", "y": 0.5, "yanchor": "middle",
        },
    )  # fmt: skip
    return fig


def bottleneck_curve(
    errors: np.ndarray,
    marks: dict[str, float],
    k: int,
    x_title: str,
    y_title: str,
    pca_name: str = "PCA",
    height: int = 270,
) -> go.Figure:
    """PCA's mean squared error against its number of components (errors[k - 1]), the
    chosen k marked, and each autoencoder's error with two numbers as a dashed line."""
    ks = np.arange(1, len(errors) + 1)
    fig = go.Figure(
        go.Scatter(x=ks, y=errors, mode="lines", name=pca_name, line={"width": 3, "color": "#444"})
    )
    fig.add_trace(
        go.Scatter(
            x=[k], y=[errors[k - 1]], mode="markers+text", text=[f"{errors[k - 1]:.1f}"],
            textposition="top right", marker={"size": 12, "color": "#444"}, showlegend=False,
        )
    )  # fmt: skip
    dashes = ("dot", "dash", "longdash", "dashdot")
    for i, (name, value) in enumerate(marks.items()):
        fig.add_trace(
            go.Scatter(
                x=[ks[0], ks[-1]], y=[value, value], mode="lines", name=f"{name}: {value:.1f}",
                line={"dash": dashes[i % len(dashes)], "width": 2, "color": DIGIT_COLORS[i * 3]},
            )
        )  # fmt: skip
    fig.update_layout(
        height=height,
        font=FONT,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        xaxis={"title": x_title, "type": "log"},
        yaxis={"title": y_title, "rangemode": "tozero"},
        legend={
            "orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom",
            "font": {"size": 13},
        },
    )  # fmt: skip
    return fig
