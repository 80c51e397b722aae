"""Text of the training replay page (pages/training.py)."""

CATALOG = {
    "title": ("Training replay", "학습 과정 다시 보기"),
    "intro": (
        "The same test digits encoded by the model at several moments of its training, from "
        "the random initial network (epoch 0) to the end, beside the two terms of its loss "
        "per epoch. Press **play** or drag the slider: the frames are all in your browser, "
        "so the codes glide from one epoch to the next.",
        "같은 테스트 숫자들을 학습 중 여러 시점에서 인코딩한 결과를, 에포크별 손실의 두 항과 "
        "나란히 보여 줍니다. 무작위로 초기화된 신경망(에포크 0)부터 학습이 끝날 때까지입니다. "
        "**재생을** 누르거나 슬라이더를 끌어 보세요. 모든 프레임이 브라우저에 있어서 잠재 "
        "코드(잠재 벡터)가 에포크 사이를 부드럽게 이동합니다.",
    ),
    "lede": (
        "How training organises the latent space, epoch by epoch: press **play** or drag the "
        "slider.",
        "학습이 잠재 공간을 에포크마다 정리해 가는 과정입니다. **재생을** 누르거나 "
        "슬라이더를 끌어 보세요.",
    ),
    "knn_rise": (
        "Measured on these codes: a vote among each digit's 5 nearest codes names "
        "**{first:.0%}** of them right at epoch {e0} and **{last:.0%}** at epoch {e1}.",
        "이 잠재 코드로 측정: 가장 가까운 잠재 코드 5개의 투표로 숫자를 맞히는 비율이 "
        "에포크 {e0}에서 **{first:.0%}**, 에포크 {e1}에서 **{last:.0%}입니다**.",
    ),
    "shown": (
        "{count:,} test digits encoded by **{name}** at {snapshots} moments of its training.",
        "테스트 숫자 {count:,}개를 **{name}** 모델의 학습 중 {snapshots}개 시점에서 "
        "인코딩했습니다.",
    ),
    "vae_note": (
        "As the **reconstruction** term falls the classes pull apart, while the **KL** term "
        "keeps the codes near the prior N(0, I).",
        "**재구성 손실이** 줄어들면서 클래스들이 갈라지고, **KL 발산** 항은 잠재 "
        "코드(잠재 벡터)를 사전 분포 N(0, I) 근처에 붙잡아 둡니다.",
    ),
    "ae_note": (
        "A plain autoencoder has no KL term (its KL curve is 0): as the **reconstruction** "
        "term falls the classes pull apart, and nothing keeps the codes near the origin, "
        "so watch how far they spread.",
        "일반 오토인코더에는 KL 발산 항이 없습니다(KL 곡선이 0). **재구성 손실이** "
        "줄어들면서 클래스들이 갈라지지만 잠재 코드(잠재 벡터)를 원점 근처에 묶어 두는 것이 "
        "없으니, 잠재 코드가 얼마나 멀리 퍼지는지 보세요.",
    ),
    "pca_note": (
        "{name} has a {dim}-D latent space: every frame is projected on the same plane, the "
        "first two principal components (PCA) of the final snapshot.",
        "{name} 모델은 {dim}차원 잠재 공간을 씁니다. 모든 프레임을 같은 평면, 즉 마지막 "
        "스냅샷에 맞춘 주성분 분석(PCA)의 처음 두 주성분 위에 투영했습니다.",
    ),
    "speed": ("Speed (ms per frame)", "속도 (프레임당 ms)"),
    "speed_help": (
        "Time each epoch stays on screen while playing; the codes glide between frames.",
        "재생할 때 각 에포크가 화면에 머무는 시간입니다. 프레임 사이에서 잠재 코드가 부드럽게 "
        "이동합니다.",
    ),
    "map": ("encoder means of the test digits", "테스트 숫자의 인코더 평균"),
    "recon": ("reconstruction −log p(x|z)", "재구성 손실 −log p(x|z)"),
    "kl": ("KL(q(z|x) ‖ p(z))", "KL(q(z|x) ‖ p(z))"),
    "epoch": ("epoch", "에포크"),
    "train": ("train", "학습"),
    "test": ("test", "테스트"),
    "play": ("▶ play", "▶ 재생"),
    "pause": ("❚❚ pause", "❚❚ 일시정지"),
    "digit": ("digit", "숫자"),
    "unit": ("nats / image", "nats / 이미지"),
    "curves_note": (
        "Curves: per-epoch averages, train dotted, test solid; the red line marks the "
        "epoch on the map. Snapshot epochs: {epochs}.",
        "곡선: 에포크별 평균이며 점선은 학습, 실선은 테스트 데이터입니다. 빨간 선은 지도에 "
        "보이는 에포크입니다. 스냅샷 에포크: {epochs}.",
    ),
    "no_snapshots": (
        "{name} stores no training snapshots; retrain it with `python -m explorer.train` to "
        "replay its training.",
        "{name} 모델에는 학습 스냅샷이 저장되어 있지 않습니다. 학습 과정을 보려면 "
        "`python -m explorer.train`으로 다시 학습하세요.",
    ),
}
