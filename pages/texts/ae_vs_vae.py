"""Text of the AE vs VAE page (pages/ae_vs_vae.py)."""

CATALOG = {
    "title": ("AE vs VAE", "AE와 VAE 비교"),
    "lede": (
        "An autoencoder gives no distribution to sample from: draw z ~ N(0, I), decode it "
        "with both, and let a digit classifier read the results.",
        "AE에는 샘플을 뽑을 분포가 없습니다. 같은 z ~ N(0, I)를 두 모델이 디코딩합니다.",
    ),
    "intro": (
        "Both models have a 2-D latent space and the same network. The **VAE** was trained "
        "with a **KL term** that pulls every approximate posterior q(z|x) towards the prior "
        "p(z) = N(0, I), so sampling N(0, I) and decoding draws digits of every class in "
        "about their share of the data. The plain **autoencoder** was only trained to "
        "reconstruct: its codes sit wherever the training put them, so N(0, I) means nothing "
        "to it. Its prior samples still decode to digit-like shapes (the decoder draws "
        "digits almost everywhere), but fewer of them are clearly a digit and the mix is "
        "lopsided: some digits rare, others far too frequent. The other views show why: "
        "both decoders over the "
        "prior's box [-3, 3]², each over the range of its own codes, and the codes' "
        "histograms (the aggregate posterior) against N(0, 1).",
        "두 모델 모두 2차원 잠재 공간과 같은 신경망을 씁니다. **VAE**는 모든 근사 사후 분포 "
        "q(z|x)를 사전 분포 p(z) = N(0, I) 쪽으로 끌어당기는 **KL 발산** 항과 함께 학습했기 "
        "때문에, N(0, I)에서 뽑아 디코딩하면 모든 클래스의 숫자가 데이터 속 비율과 비슷하게 "
        "나옵니다. 일반 **오토인코더**는 재구성만 학습했습니다. 잠재 코드(잠재 벡터)는 학습이 "
        "놓은 곳 어디에나 있을 수 있어서 N(0, I)는 이 모델에게 아무 의미가 없습니다. 사전 "
        "분포에서 뽑은 샘플도 숫자 비슷한 모양으로 디코딩되지만(디코더는 거의 어디서나 "
        "숫자를 그립니다), 확실한 숫자가 더 적고 숫자 구성이 한쪽으로 치우칩니다. 어떤 "
        "숫자는 드물고 어떤 숫자는 지나치게 많습니다. 다른 보기에서 이유를 볼 수 있습니다. "
        "사전 분포의 상자 "
        "[-3, 3]² 위의 두 디코더, 각 모델의 코드 범위 위의 디코더, 그리고 코드의 히스토그램"
        "(집계 사후 분포)을 N(0, 1)과 비교한 그림입니다.",
    ),
    "view": ("Show", "보기"),
    "view_samples": ("prior samples", "사전 분포 샘플"),
    "view_prior_box": ("decoder on [-3, 3]²", "[-3, 3]² 위의 디코더"),
    "view_own_range": ("decoder on its own codes' range", "자기 코드 범위 위의 디코더"),
    "view_marginals": ("codes vs N(0, 1)", "코드와 N(0, 1)"),
    "samples_title": ("{name}: z ~ N(0, I), decoded", "{name}: z ~ N(0, I) 디코딩"),
    "grid_title": ("{name}: {share:.0%} of cells a digit", "{name}: 숫자로 판정된 칸 {share:.0%}"),
    "hover": ("classifier: {digit}, p = {p}", "분류기: {digit}, p = {p}"),
    "bars_x": ("digit the classifier reads", "분류기가 읽은 숫자"),
    "bars_y": ("share of prior samples", "사전 분포 샘플 비율"),
    "floor": ("{share:.0%}: below = missing", "{share:.0%} 미만 = 없음"),
    "claim": (
        "Sampled from N(0, I): {vae_conf:.0%} of the VAE's samples are clearly a digit, "
        "{ae_conf:.0%} of the AE's. The rarest digit is a {vae_rare} in {vae_rare_share:.1%} "
        "of the VAE's samples, a {ae_rare} in {ae_rare_share:.1%} of the AE's (each digit is "
        "about 10% of the data). Why: N(0, I)'s box holds {vae_box:.0%} of the VAE's codes, "
        "{ae_box:.0%} of the AE's.",
        "N(0, I)에서 뽑은 샘플 중 확실히 숫자로 판정된 비율은 VAE {vae_conf:.0%}, AE "
        "{ae_conf:.0%}입니다. 가장 드문 숫자는 VAE에서 {vae_rare}({vae_rare_share:.1%}), AE에서 "
        "{ae_rare}({ae_rare_share:.1%})입니다(데이터에서는 숫자마다 약 10%). 까닭: N(0, I)의 "
        "상자에 VAE 코드는 {vae_box:.0%}가 들어가지만 AE 코드는 {ae_box:.0%}만 들어갑니다.",
    ),
    "claim_fails": (
        "With these checkpoints the lesson does not show clearly:",
        "이 체크포인트에서는 이 교훈이 뚜렷하게 드러나지 않습니다.",
    ),
    "new_draw": ("New draw", "새로 뽑기"),
    "drawing": (
        "Decoding and classifying the new draw…",
        "새로 뽑은 샘플을 디코딩하고 분류하는 중…",
    ),
    "prior_pdf": ("N(0, 1)", "N(0, 1)"),
    "beyond": ("{share:.0%} beyond ±{limit:g}", "±{limit:g} 밖: {share:.0%}"),
    "note_prior_box": (
        "The same box [-3, 3]² for both decoders: where N(0, I) samples land. Red cells are "
        "not confidently a digit.",
        "두 디코더에 같은 상자 [-3, 3]²를 씁니다. N(0, I) 샘플이 떨어지는 곳입니다. 빨간 "
        "칸은 확실한 숫자로 판정되지 않은 칸입니다.",
    ),
    "note_own_range": (
        "Each grid spans its own model's encoded test digits: mind the axes, the AE's codes "
        "spread over tens of units, the VAE's over a few.",
        "각 격자는 그 모델이 인코딩한 테스트 숫자의 범위를 덮습니다. 축 눈금을 보세요. AE의 "
        "코드는 수십 단위에 걸쳐 퍼지고 VAE의 코드는 몇 단위 안에 모입니다.",
    ),
    "note_marginals": (
        "The encoded test digits' z1 and z2 (the aggregate posterior) against the prior's "
        "N(0, 1): the VAE's sit under the bell, the AE's spread far beyond it.",
        "인코딩한 테스트 숫자의 z1, z2(집계 사후 분포)를 사전 분포 N(0, 1)과 비교합니다. "
        "VAE의 코드는 종 모양 아래에 있고, AE의 코드는 그 밖으로 멀리 퍼집니다.",
    ),
    "no_classifier": (
        "The digit classifier cannot be loaded ({error}); train it with "
        "`python -m explorer.classifier`.",
        "숫자 분류기를 불러올 수 없습니다({error}). `python -m explorer.classifier`로 "
        "먼저 학습하세요.",
    ),
    "not_2d": (
        "{name} is not a 2-D model, so it has no plane to tile.",
        "{name} 모델은 2차원 모델이 아니라서 평면 격자를 만들 수 없습니다.",
    ),
}
