"""Text of the β page (pages/beta.py)."""

CATALOG = {
    "title": ("The β knob", "β 조절"),
    "intro": (
        "A β-VAE minimises **reconstruction + β·KL** instead of the plain negative ELBO "
        "(β = 1). A **larger β** weights the KL term more: the codes are pulled towards the "
        "prior N(0, I), so the clusters overlap more, reconstructions get blurrier and the "
        "space gets smoother. A **smaller β** buys sharper reconstructions with a less regular "
        "latent space.",
        "β-VAE는 보통의 음의 ELBO(β = 1) 대신 **재구성 손실 + β·KL을** 최소화합니다. "
        "**β가 크면** KL 항의 비중이 커져서 코드가 사전 분포 N(0, I) 쪽으로 더 강하게 "
        "끌려갑니다. 그래서 군집이 더 겹치고 재구성은 흐려지지만 공간은 더 매끄러워집니다. "
        "**β가 작으면** 재구성은 선명해지는 대신 잠재 공간이 덜 규칙적입니다.",
    ),
    "lede": (
        "Train on **reconstruction + β·KL**: a larger β pulls the codes onto the prior "
        "N(0, I) and pays for it in reconstruction.",
        "**재구성 손실 + β·KL**로 학습합니다. β가 클수록 잠재 코드가 사전 분포 N(0, I)로 "
        "더 끌려가고, 그 대가로 재구성이 나빠집니다.",
    ),
    "claim": (
        "Measured on the test set: from β = {b0:g} to β = {b1:g} the KL term falls from "
        "{kl0:.1f} to {kl1:.1f} nats and the reconstruction term rises from {r0:.1f} to "
        "{r1:.1f} nats, step by step.",
        "테스트셋에서 측정한 값: β = {b0:g}에서 β = {b1:g}로 갈수록 KL 항은 {kl0:.1f}에서 "
        "{kl1:.1f} nats로 줄고, 재구성 손실은 {r0:.1f}에서 {r1:.1f} nats로 한 단계씩 "
        "늘어납니다.",
    ),
    "claim_fails": (
        "These checkpoints do not show the trade-off at every step (β = {b0:g}: KL {kl0:.1f}, "
        "recon {r0:.1f}; β = {b1:g}: KL {kl1:.1f}, recon {r1:.1f} nats).",
        "이 체크포인트들에서는 단계마다 교환 관계가 드러나지 않습니다(β = {b0:g}: KL "
        "{kl0:.1f}, 재구성 {r0:.1f}; β = {b1:g}: KL {kl1:.1f}, 재구성 {r1:.1f} nats).",
    ),
    "pick": ("Digits", "숫자"),
    "pick_typical": ("typical (one per class)", "전형적인 숫자 (클래스마다 하나)"),
    "pick_random": ("random", "무작위"),
    "recon_note_typical": (
        "Typical digits: in each class, the test digit whose reconstruction error under "
        "vae-2d-beta1 (beta = 1) is the class median. Each row decodes the encoder mean: "
        "x → μ(x) → p(x|z = μ).",
        "전형적인 숫자: 클래스마다 vae-2d-beta1(β = 1)의 재구성 오차가 그 클래스의 중앙값인 "
        "테스트 숫자입니다. 각 행은 인코더 평균을 디코딩한 것입니다: x → μ(x) → p(x|z = μ).",
    ),
    "recon_note_random": (
        "Ten random test digits. Each row decodes the encoder mean: x → μ(x) → p(x|z = μ).",
        "무작위 테스트 숫자 10개입니다. 각 행은 인코더 평균을 디코딩한 것입니다: "
        "x → μ(x) → p(x|z = μ).",
    ),
    "model_title": ("β = {beta:g}", "β = {beta:g}"),
    "maps_note": (
        "Each dot is a test digit's encoder mean; dashed circles are 1σ and 2σ of the prior.",
        "점 하나가 테스트 숫자 하나의 인코더 평균입니다. 점선 원은 사전 분포의 1σ, 2σ입니다.",
    ),
    "prior": ("prior N(0, I): 1σ, 2σ", "사전 분포 N(0, I): 1σ, 2σ"),
    "digit": ("digit", "숫자"),
    "recon_head": ("Reconstructions", "재구성 결과"),
    "original": ("original", "원본"),
    "other": ("Other digits", "다른 숫자"),
    "bar_recon": ("reconstruction −log p(x|z)", "재구성 손실 −log p(x|z)"),
    "bar_kl": ("KL(q(z|x) ‖ p(z))", "KL(q(z|x) ‖ p(z))"),
    "unit": ("nats / image", "nats / 이미지"),
    "col_model": ("model", "모델"),
    "col_recon": ("reconstruction", "재구성 손실"),
    "col_kl": ("KL", "KL 발산"),
    "col_elbo": ("−ELBO = recon + KL", "−ELBO = 재구성 손실 + KL"),
    "col_objective": ("trained on: recon + β·KL", "학습 목적함수: 재구성 + β·KL"),
    "from_metrics": (
        "{names}: test-set averages from the checkpoint's stored evaluation.",
        "{names}: 체크포인트에 저장된 평가 결과의 테스트셋 평균입니다.",
    ),
    "from_history": (
        "{names}: no stored evaluation metrics, so these are the test-set averages of the "
        "last training epoch ({epochs}).",
        "{names}: 저장된 평가 지표가 없어서 마지막 학습 에포크({epochs})의 테스트셋 평균을 "
        "보여 줍니다.",
    ),
    "not_2d": (
        "{name} is not a 2-D model, so it cannot be drawn on the plane.",
        "{name} 모델은 2차원 모델이 아니라서 평면에 그릴 수 없습니다.",
    ),
}
