"""Text of the β page (pages/beta.py)."""

CATALOG = {
    "title": ("The β knob: β-VAE", "β 조절: β-VAE"),
    "intro": (
        "A β-VAE minimises **reconstruction + β·KL** instead of the plain negative ELBO "
        "(β = 1). A **larger β** weights the KL term more: the codes are pulled towards the "
        "prior N(0, I), so the clusters overlap more, reconstructions get blurrier and the "
        "space gets smoother. A **smaller β** buys sharper reconstructions with a less regular "
        "latent space.",
        "β-VAE는 보통의 음의 ELBO(β = 1) 대신 **재구성 손실 + β·KL** 을 최소화합니다. "
        "**β가 크면** KL 항의 비중이 커져서 코드가 사전 분포 N(0, I) 쪽으로 더 강하게 "
        "끌려갑니다. 그래서 클러스터가 더 겹치고 재구성은 흐려지지만 공간은 더 매끄러워집니다. "
        "**β가 작으면** 재구성은 선명해지는 대신 잠재 공간이 덜 규칙적입니다.",
    ),
    "model_title": ("β = {beta:g}", "β = {beta:g}"),
    "maps_head": ("Latent maps on the same axes", "같은 축 위의 잠재 공간 지도"),
    "maps_note": (
        "Each dot is a test digit's encoder mean; dashed circles are 1σ and 2σ of the prior.",
        "점 하나가 테스트 숫자 하나의 인코더 평균입니다. 점선 원은 사전 분포의 1σ, 2σ 입니다.",
    ),
    "prior": ("prior N(0, I): 1σ, 2σ", "사전 분포 N(0, I): 1σ, 2σ"),
    "digit": ("digit", "숫자"),
    "recon_head": ("Reconstructions", "재구성 결과"),
    "original": ("original", "원본"),
    "count": ("Digits", "숫자 개수"),
    "seed": ("Seed", "시드"),
    "other": ("Other digits", "다른 숫자"),
    "recon_note": (
        "Each row decodes the encoder mean of the digit in the top row: x → μ(x) → p(x|z = μ).",
        "각 행은 맨 위 숫자의 인코더 평균을 디코딩한 것입니다: x → μ(x) → p(x|z = μ).",
    ),
    "terms_head": ("The two terms of the loss", "손실의 두 항"),
    "bar_recon": ("reconstruction −log p(x|z)", "재구성 손실 −log p(x|z)"),
    "bar_kl": ("KL(q(z|x) ‖ p(z))", "KL(q(z|x) ‖ p(z))"),
    "unit": ("nats / image", "nats / 이미지"),
    "col_model": ("model", "모델"),
    "col_recon": ("reconstruction", "재구성 손실"),
    "col_kl": ("KL", "KL 발산"),
    "col_elbo": ("−ELBO = recon + KL", "−ELBO = 재구성 + KL"),
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
        "{name} 은(는) 2차원 모델이 아니라서 평면에 그릴 수 없습니다.",
    ),
}
