import pickle
from dataclasses import asdict

import numpy as np
import pytest
import torch

from explorer import checkpoint
from explorer.checkpoint import CheckpointError, load_model, read, save

from .conftest import malicious_checkpoint


def _payload(model):
    cfg = asdict(model.config) | {"hidden_dims": list(model.config.hidden_dims)}
    return {
        "format": checkpoint.FORMAT,
        "model": model.state_dict(),
        "config": cfg,
        "history": {"epoch": [1], "test_recon": [1.0], "test_kl": [2.0]},
        "metrics": {"neg_elbo": 3.0},
    }


@pytest.mark.parametrize("fixture", ["tiny_vae", "tiny_ae"])
def test_save_load_round_trip(fixture, request, tmp_path):
    model = request.getfixturevalue(fixture)
    path = tmp_path / "m.pt"
    save(path, _payload(model))
    raw = torch.load(path, weights_only=True)  # plain types only, no pickled classes
    assert raw["history"]["epoch"] == [1]
    loaded = load_model(path)
    assert loaded.config == model.config
    assert not loaded.training
    assert loaded.checkpoint_path == path
    a, b = model.state_dict(), loaded.state_dict()
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_bare_name_resolves_in_checkpoint_dir(tiny_vae, tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_CHECKPOINTS", str(tmp_path))
    save(tmp_path / "my-model.pt", _payload(tiny_vae))
    (tmp_path / "my-model.train-state.pt").write_bytes(b"x")
    (tmp_path / "classifier.pt").write_bytes(b"x")
    (tmp_path / ".my-model.pt.abc.tmp").write_bytes(b"half a save")  # left by a crash
    assert checkpoint.resolve("my-model") == tmp_path / "my-model.pt"
    assert load_model("my-model").config == tiny_vae.config
    assert checkpoint.list_models() == ["my-model"]


@pytest.mark.badinput
def test_atomic_save_keeps_the_old_file_when_writing_fails(tiny_vae, tmp_path, monkeypatch):
    path = tmp_path / "m.pt"
    save(path, _payload(tiny_vae))
    before = path.read_bytes()

    def crash(obj, f):
        f.write(b"half a checkpoint")
        raise KeyboardInterrupt  # e.g. Ctrl-C in the middle of torch.save

    monkeypatch.setattr(torch, "save", crash)
    with pytest.raises(KeyboardInterrupt):
        save(path, _payload(tiny_vae))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.pt"]  # no temp file left behind


def test_temp_files_of_killed_saves_are_removed_for_that_model_only(tmp_path):
    names = [
        ".m.pt.a1b2c3.tmp",  # the checkpoint's
        ".m.train-state.pt.d4e5f6.tmp",  # its sidecar's
        ".m2.pt.g7h8i9.tmp",  # another model's: not ours to delete
        "m.pt",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"half written")
    removed = checkpoint.remove_interrupted_saves(tmp_path / "m.pt")
    assert removed == [".m.pt.a1b2c3.tmp", ".m.train-state.pt.d4e5f6.tmp"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".m2.pt.g7h8i9.tmp", "m.pt"]
    assert checkpoint.remove_interrupted_saves(tmp_path / "m.pt") == []


def _one_line_error(path, **kw):
    with pytest.raises(CheckpointError) as info:
        load_model(path, **kw)
    msg = str(info.value)
    assert "\n" not in msg and str(path) in msg
    return msg


def test_missing_file(tmp_path):
    assert "no such checkpoint" in _one_line_error(tmp_path / "nope.pt")


@pytest.mark.badinput
def test_empty_and_truncated_files(tiny_vae, tmp_path):
    empty = tmp_path / "empty.pt"
    empty.write_bytes(b"")
    assert "empty" in _one_line_error(empty)
    good = tmp_path / "good.pt"
    save(good, _payload(tiny_vae))
    cut = tmp_path / "cut.pt"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "truncated" in _one_line_error(cut)


@pytest.mark.badinput
def test_garbage_and_foreign_files(tmp_path):
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"this is not a checkpoint at all" * 10)
    assert "not a readable checkpoint" in _one_line_error(junk)
    noise = tmp_path / "noise.pt"
    noise.write_bytes(np.random.default_rng(0).bytes(50_000))
    assert "not a readable checkpoint" in _one_line_error(noise)
    foreign = tmp_path / "resnet.pt"
    torch.save({"state_dict": {"w": torch.zeros(2)}, "epoch": 3}, foreign)
    assert "not a VAE-explorer checkpoint" in _one_line_error(foreign)
    bare = tmp_path / "bare.pt"
    torch.save(torch.zeros(3), bare)
    assert "Tensor" in _one_line_error(bare)


@pytest.mark.badinput
@pytest.mark.parametrize("how", ["pickle", "torch.save"])
def test_pickled_code_is_refused_without_running_it(tmp_path, how):
    marker = tmp_path / "pwned"
    path = malicious_checkpoint(tmp_path / "evil.pt", marker, how)
    msg = _one_line_error(path)
    assert "refused to load" in msg and "could run code" in msg
    assert not marker.exists()  # nothing ran
    # The file is a real exploit: unpickled without weights_only, it does run.
    if how == "pickle":
        pickle.loads(path.read_bytes())
    else:
        torch.load(path, weights_only=False)
    assert marker.exists()


@pytest.mark.badinput
@pytest.mark.parametrize("what", ["config", "tensor"])
def test_weights_not_matching_config(tiny_vae, tmp_path, what):
    payload = _payload(tiny_vae)
    if what == "config":
        payload["config"]["latent_dim"] = 7
    else:  # one tensor of the wrong shape for the stored config
        payload["model"]["to_mu.weight"] = torch.zeros(5, 5)
    path = tmp_path / "mismatch.pt"
    save(path, payload)
    msg = _one_line_error(path)
    assert "weights do not match the stored config (size mismatch for" in msg, msg


@pytest.mark.badinput
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "red"}, "config has unknown fields ['colour']"),
        ({"colour": "red", "depth": 3}, "config has unknown fields ['colour', 'depth']"),
        ({"latent_dim": 0}, "invalid model config (latent_dim must be >= 1, got 0)"),
        ({"latent_dim": "two"}, "invalid model config ("),
    ],
    ids=["one-unknown", "two-unknown", "zero-dim", "not-a-number"],
)
def test_bad_config_gets_its_own_message(tiny_vae, tmp_path, change, message):
    payload = _payload(tiny_vae)
    payload["config"] |= change
    path = tmp_path / "config.pt"
    save(path, payload)
    msg = _one_line_error(path)
    assert message in msg and "do not match" not in msg, msg


def test_classifier_file_is_not_an_autoencoder(tmp_path):
    path = tmp_path / "clf.pt"
    save(path, {"format": checkpoint.FORMAT, "model": {}, "config": {"kind": "classifier"}})
    assert "expected one of" in _one_line_error(path)
    assert read(path)["config"]["kind"] == "classifier"
