import pickle
from dataclasses import asdict

import pytest
import torch

from explorer import checkpoint
from explorer.checkpoint import CheckpointError, load_model, read, save


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
    assert checkpoint.resolve("my-model") == tmp_path / "my-model.pt"
    assert load_model("my-model").config == tiny_vae.config
    assert checkpoint.list_models() == ["my-model"]


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


def _one_line_error(path, **kw):
    with pytest.raises(CheckpointError) as info:
        load_model(path, **kw)
    msg = str(info.value)
    assert "\n" not in msg and str(path) in msg
    return msg


def test_missing_file(tmp_path):
    assert "no such checkpoint" in _one_line_error(tmp_path / "nope.pt")


def test_empty_and_truncated_files(tiny_vae, tmp_path):
    empty = tmp_path / "empty.pt"
    empty.write_bytes(b"")
    assert "empty" in _one_line_error(empty)
    good = tmp_path / "good.pt"
    save(good, _payload(tiny_vae))
    cut = tmp_path / "cut.pt"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "truncated" in _one_line_error(cut)


def test_garbage_and_foreign_files(tmp_path):
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"this is not a checkpoint at all" * 10)
    assert "not a readable checkpoint" in _one_line_error(junk)
    foreign = tmp_path / "resnet.pt"
    torch.save({"state_dict": {"w": torch.zeros(2)}, "epoch": 3}, foreign)
    assert "not a VAE-explorer checkpoint" in _one_line_error(foreign)
    bare = tmp_path / "bare.pt"
    torch.save(torch.zeros(3), bare)
    assert "Tensor" in _one_line_error(bare)


def test_pickled_code_is_refused(tmp_path):
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    path = tmp_path / "evil.pt"
    with open(path, "wb") as f:
        pickle.dump({"format": checkpoint.FORMAT, "model": Evil()}, f, protocol=2)
    assert "not a readable checkpoint" in _one_line_error(path)


def test_weights_not_matching_config(tiny_vae, tmp_path):
    payload = _payload(tiny_vae)
    payload["config"]["latent_dim"] = 7
    path = tmp_path / "mismatch.pt"
    save(path, payload)
    assert "do not match" in _one_line_error(path)


def test_classifier_file_is_not_an_autoencoder(tmp_path):
    path = tmp_path / "clf.pt"
    save(path, {"format": checkpoint.FORMAT, "model": {}, "config": {"kind": "classifier"}})
    assert "expected one of" in _one_line_error(path)
    assert read(path)["config"]["kind"] == "classifier"
