"""Sampling page (pages/sampling.py)."""

CATALOG = {
    "title": ("Sampling from the prior", "사전 분포에서 샘플링"),
    "intro": (
        "A VAE is a generative model: draw **z ~ p(z) = N(0, I)** and let the **decoder "
        "p(x|z)** draw a digit. This works because the **KL term** of the ELBO pulled every "
        "q(z|x) towards N(0, I) during training, so the prior's mass sits where the decoder "
        "has learned to draw digits.",
        "VAE는 생성 모델입니다. **사전 분포 p(z) = N(0, I)에서** **z를** 뽑아 **디코더 "
        "p(x|z)에** 넣으면 숫자를 그려 냅니다. 학습할 때 증거 하한(ELBO)의 **KL 발산** 항이 "
        "모든 근사 사후 분포 q(z|x)를 N(0, I) 쪽으로 끌어당겼기 때문에, 사전 분포의 확률 "
        "질량이 몰린 곳이 바로 디코더가 숫자를 그리도록 학습된 곳입니다.",
    ),
    "lede": (
        "Draw **z ~ N(0, T²I)** from the prior and decode it: every cell is a digit the "
        "model makes up.",
        "사전 분포에서 **z ~ N(0, T²I)를** 뽑아 디코딩합니다. 칸 하나하나가 모델이 새로 "
        "만든 숫자입니다.",
    ),
    "ae_warning": (
        "A plain autoencoder: nothing tied its codes to N(0, I), so the prior does not "
        "match where its digits are.",
        "일반 오토인코더입니다. 잠재 코드를 N(0, I)에 묶어 두는 항이 없어서, 사전 분포가 "
        "숫자들이 있는 곳과 맞지 않습니다.",
    ),
    "cover_missing": (
        "Measured on {n:,} prior samples (T = 1): this model draws **{missing}** in under "
        "2% of them, and {top} in {top_share:.0%}.",
        "사전 분포 샘플 {n:,}개(T = 1)로 측정: 2% 미만으로만 그려지는 숫자는 **{missing}**, "
        "가장 많이 그려지는 숫자 {top}의 비율은 {top_share:.0%}입니다.",
    ),
    "cover_all": (
        "Measured on {n:,} prior samples (T = 1): this model draws every digit, each in at "
        "least {low:.0%} of them.",
        "사전 분포 샘플 {n:,}개(T = 1)로 측정: 이 모델은 모든 숫자를 그리며, 각 숫자가 "
        "적어도 {low:.0%}를 차지합니다.",
    ),
    "seed": ("Seed", "시드"),
    "temperature": ("Temperature (× prior std)", "온도 (사전 분포 표준편차의 배수)"),
    "temperature_help": (
        "z = T·ε with ε ~ N(0, I). T < 1 stays near the centre (typical, clean digits); "
        "T > 1 reaches the tails, where the decoder rarely saw codes.",
        "z = T·ε, ε ~ N(0, I). T < 1이면 중심 근처(전형적이고 깨끗한 숫자)에 머물고, "
        "T > 1이면 디코더가 거의 보지 못한 꼬리 영역까지 갑니다.",
    ),
    "grid": ("Grid (n × n samples)", "격자 (n × n 샘플)"),
    "new_draw": ("New draw", "새로 뽑기"),
    "caption": ("{count} samples, seed {seed}", "샘플 {count}개, 시드 {seed}"),
    "download": ("Download PNG", "PNG 내려받기"),
    "mean_norm": ("mean ‖z‖ of the samples", "샘플의 평균 ‖z‖"),
    "mean_norm_help": (
        "In {dim}-D, N(0, T²I) samples have ‖z‖ ≈ T·√D = {expected:.2f}.",
        "{dim}차원에서 N(0, T²I) 샘플의 ‖z‖는 약 T·√D = {expected:.2f}입니다.",
    ),
    "over_title": (
        "samples (×) over the encoded test digits",
        "인코딩한 테스트 숫자 위의 샘플(×)",
    ),
    "samples": ("samples", "샘플"),
}
