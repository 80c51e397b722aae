"""The digit classifier's inference path: channels-last batches give the plain forward's
probabilities (only faster)."""

from __future__ import annotations

import torch

from explorer.classifier import load_classifier, predict_proba


def test_predict_proba_equals_the_plain_forward(sample_test):
    clf = load_classifier()
    assert clf.features[0].weight.is_contiguous(memory_format=torch.channels_last)
    x = sample_test.images[:300]  # (300, 1, 28, 28), default layout
    with torch.no_grad():
        plain = torch.softmax(clf.to(memory_format=torch.contiguous_format)(x), dim=1)
    clf = load_classifier()
    probs = predict_proba(clf, x)
    assert probs.shape == (300, 10)
    torch.testing.assert_close(probs, plain, atol=1e-5, rtol=1e-4)
    assert torch.equal(probs.argmax(1), plain.argmax(1))
    torch.testing.assert_close(predict_proba(clf, x, batch_size=7), probs, atol=1e-5, rtol=1e-4)
    assert predict_proba(clf, x[:0]).shape == (0, 10)
