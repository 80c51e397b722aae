"""Sampling page (pages/sampling.py)."""

CATALOG = {
    "title": ("Sampling from the prior", "사전 분포에서 샘플링"),
    "intro": (
        "A VAE is a generative model: draw **z ~ p(z) = N(0, I)** and let the **decoder "
        "p(x|z)** draw a digit. This works because the **KL term** of the ELBO pulled every "
        "q(z|x) towards N(0, I) during training, so the prior's mass sits where the decoder "
        "has learned to draw digits.",
        "VAE는 생성 모델입니다. **사전 분포 p(z) = N(0, I)** 에서 **z** 를 뽑아 **디코더 "
        "p(x|z)** 에 넣으면 숫자를 그려 냅니다. 학습할 때 ELBO의 **KL 발산** 항이 모든 "
        "q(z|x)를 N(0, I) 쪽으로 끌어당겼기 때문에, 사전 분포의 확률이 몰린 곳이 바로 "
        "디코더가 숫자를 그리도록 학습된 곳입니다.",
    ),
    "ae_warning": (
        "This is a plain autoencoder: nothing tied its codes to N(0, I), so prior samples "
        "land where the decoder was never trained - compare with a VAE.",
        "이 모델은 일반 오토인코더입니다. 코드를 N(0, I)에 묶어 두는 항이 없어서, 사전 "
        "분포의 샘플이 디코더가 한 번도 학습하지 않은 곳에 떨어집니다. VAE와 비교해 보세요.",
    ),
    "seed": ("Seed", "시드"),
    "temperature": ("Temperature (× prior std)", "온도 (사전 분포 표준편차의 배수)"),
    "temperature_help": (
        "z = T·ε with ε ~ N(0, I). T < 1 stays near the centre (typical, clean digits); "
        "T > 1 reaches the tails, where the decoder rarely saw codes.",
        "z = T·ε, ε ~ N(0, I). T < 1 이면 중심 근처(전형적이고 깨끗한 숫자)에 머물고, "
        "T > 1 이면 디코더가 거의 보지 못한 꼬리 영역까지 갑니다.",
    ),
    "grid": ("Grid (n × n samples)", "격자 (n × n 샘플)"),
    "new_draw": ("New draw", "새로 뽑기"),
    "caption": ("{count} samples, seed {seed}", "샘플 {count}개, 시드 {seed}"),
    "download": ("Download PNG", "PNG 내려받기"),
    "mean_norm": ("mean ‖z‖ of the samples", "샘플의 평균 ‖z‖"),
    "mean_norm_help": (
        "In {dim}-D, N(0, T²I) samples have ‖z‖ ≈ T·√D = {expected:.2f}.",
        "{dim}차원에서 N(0, T²I) 샘플의 ‖z‖ 는 약 T·√D = {expected:.2f} 입니다.",
    ),
    "over_title": (
        "samples (×) over the encoded test digits",
        "인코딩된 테스트 숫자 위의 샘플 (×)",
    ),
    "samples": ("samples", "샘플"),
}
