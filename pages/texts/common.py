"""Text shared by every page: sidebar, model summary, data notice, errors."""

CATALOG = {
    "app_title": ("VAE latent-space explorer", "VAE 잠재 공간 탐색기"),
    "model": ("Model", "모델"),
    "model_help": (
        "Every checkpoint in {folder} appears here.",
        "{folder}에 있는 체크포인트가 모두 여기에 나타납니다.",
    ),
    "model_unusable": (
        "Model **{name}** cannot be used: {error}. Pick another model at the top of the page.",
        "**{name}** 모델은 쓸 수 없습니다: {error}. 페이지 위쪽에서 다른 모델을 고르세요.",
    ),
    "no_checkpoints": (
        "No model checkpoints found in `{folder}`. Train one with "
        "`python -m explorer.train --name vae-2d --latent-dim 2`.",
        "`{folder}` 에 모델 체크포인트가 없습니다. "
        "`python -m explorer.train --name vae-2d --latent-dim 2` 로 먼저 학습하세요.",
    ),
    "summary_head": ("**{kind}**, {dim}-D latent{beta}", "**{kind}**, {dim}차원 잠재 공간{beta}"),
    "summary_elbo": ("−ELBO {value:.1f} nats", "음의 ELBO {value:.1f} nats"),
    "summary_recon": ("recon. {value:.1f} nats", "재구성 손실 {value:.1f} nats"),
    "summary_knn": ("5-NN {value:.1%}", "5-NN {value:.1%}"),
    "summary_help": (
        "On the 10,000 MNIST test digits: −ELBO (or, for a plain autoencoder, the "
        "reconstruction loss) in nats per image; 5-NN is the accuracy of a 5-nearest-neighbour "
        "digit classifier on the latent means z.",
        "MNIST 테스트 숫자 10,000개 기준입니다. −ELBO(일반 오토인코더는 재구성 손실)는 "
        "이미지당 nats이고, 5-NN은 잠재 평균 z 기준 5-NN 숫자 분류 정확도입니다.",
    ),
    "about": ("About", "설명"),
    "fixed_models": ("models: **{names}**", "모델: **{names}**"),
    "loading_digits": ("Loading the MNIST test digits…", "MNIST 테스트 숫자를 불러오는 중…"),
    "tsne_wait": (
        "The t-SNE map of this checkpoint's {n:,} test digits is being computed, once (it is "
        "then kept on disk). Meanwhile the PCA plane is shown and the page works as usual.",
        "이 체크포인트의 테스트 숫자 {n:,}개로 t-SNE 지도를 처음 한 번 계산하고 있습니다(계산한 "
        "지도는 디스크에 저장됩니다). 그동안은 PCA 평면을 보여 주며, 페이지는 평소처럼 쓸 수 "
        "있습니다.",
    ),
    "tsne_step_neighbours": (
        "Step 1 of 2: the nearest neighbours of every digit",
        "1/2단계: 숫자마다 가장 가까운 이웃 찾기",
    ),
    "tsne_step_layout": (
        "Step 2 of 2: arranging the map, iteration {i} of {total}",
        "2/2단계: 지도 배치, 반복 {i}/{total}",
    ),
    "tsne_left": (", about {s:.0f} s left", ", 약 {s:.0f}초 남음"),
    "work_queued": ("(waiting for the computation before it)", "(앞의 계산을 기다리는 중)"),
    "work_failed": (
        "This part could not be computed ({error}); the rest of the page works as usual.",
        "이 부분을 계산하지 못했습니다({error}). 페이지의 나머지는 그대로 쓸 수 있습니다.",
    ),
    "tsne_failed": (
        "The t-SNE map could not be computed ({error}); the PCA plane is shown instead.",
        "t-SNE 지도를 계산하지 못했습니다({error}). 대신 PCA 평면을 보여 줍니다.",
    ),
    "offline_short": (
        ":material/cloud_off: offline sample: {n:,} digits the models saw in training",
        ":material/cloud_off: 오프라인 표본: 모델이 학습 때 본 숫자 {n:,}개",
    ),
    "offline_notice": (
        "Offline mode: showing {description}. These digits come from MNIST's training split, "
        "so the models have seen them.",
        "오프라인 모드: 보여 주는 데이터는 {description}입니다. 이 숫자들은 MNIST 학습 데이터에서 "
        "뽑은 것이라 모델이 학습 중에 이미 본 데이터입니다.",
    ),
    "url_fallback": (
        "Ignored from the link: {params}. Using the defaults instead.",
        "링크의 다음 값은 무시하고 기본값을 씁니다: {params}",
    ),
    "download_png": ("Download PNG", "PNG 내려받기"),
}

# Navigation: section and page titles (app.py).
CATALOG |= {
    "sec_explore": ("Explore", "탐색"),
    "sec_lecture": ("The VAE lecture, step by step", "단계별로 보는 VAE"),
    "sec_yours": ("Your digits, anomalies", "내 숫자와 이상 탐지"),
    "nav_map": ("Latent map", "잠재 공간 지도"),
    "nav_interp": ("Interpolation", "보간"),
    "nav_sampling": ("Sampling from the prior", "사전 분포에서 샘플링"),
    "nav_condition": ("Condition and randomness", "조건과 랜덤성"),
    "nav_bottleneck": ("The bottleneck: PCA and autoencoders", "병목: PCA와 오토인코더"),
    "nav_ae_vs_vae": ("AE vs VAE", "AE와 VAE 비교"),
    "nav_beta": ("The β knob", "β 조절"),
    "nav_training": ("Training replay", "학습 과정 다시 보기"),
    "nav_train_live": ("Train live", "실시간 학습"),
    "nav_reparam": ("Uncertainty & reparameterization", "불확실성과 재매개변수화"),
    "nav_dims": ("High-dimensional latents", "고차원 잠재 공간"),
    "nav_iwae": ("ELBO vs IWAE", "ELBO와 IWAE"),
    "nav_exact": ("log p(x), exact in 2-D", "정확한 log p(x) (2차원)"),
    "nav_own": ("Your own digit", "내가 쓴 숫자"),
    "nav_anomaly": ("Anomaly detection", "이상 탐지"),
    "nav_denoise": ("Denoising", "잡음 제거"),
}

# The test-digit picker (widgets.digit_picker).
CATALOG |= {
    "test_index": ("test digit #", "테스트 숫자 번호"),
    "digit_class": ("class", "클래스"),
    "random_digit": ("a random {digit}", "무작위 {digit}"),
}
