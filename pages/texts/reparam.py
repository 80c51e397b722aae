"""Texts of the page "Encoder uncertainty and reparameterization" (pages/reparam.py)."""

CATALOG = {
    "title": (
        "Encoder uncertainty and reparameterization",
        "인코더의 불확실성과 재매개변수화 트릭",
    ),
    "intro": (
        "A VAE's **encoder q(z|x)** does not return one code but a Gaussian "
        "**N(μ, diag σ²)**: a small cloud of codes that could all stand for this digit. "
        "During training the **decoder p(x|z)** sees samples from that cloud, so the "
        "reconstruction term of the ELBO forces nearby codes to decode to similar digits, "
        "and the KL term keeps the cloud from shrinking to a point.",
        "VAE의 **인코더**는 잠재 코드(잠재 벡터) 하나가 아니라 가우시안인 근사 사후 분포 "
        "**q(z|x) = N(μ, diag σ²)을** 출력합니다. 즉 이 숫자를 나타낼 수 있는 잠재 코드들의 "
        "작은 구름입니다. 학습할 때 **디코더 p(x|z)는이** 구름에서 뽑은 샘플을 받기 때문에, "
        "증거 하한(ELBO)의 재구성 항은 가까운 잠재 코드들이 비슷한 숫자로 디코딩되도록 "
        "만들고, KL 발산 항은 구름이 한 점으로 줄어들지 않게 막아 줍니다.",
    ),
    "lede": (
        "The encoder gives a cloud **q(z|x)**, not a point: sample it with "
        "**z = μ + σ·ε** and decode.",
        "인코더는 점이 아니라 근사 사후 분포 **q(z|x)라는** 구름을 줍니다. "
        "**z = μ + σ·ε으로** 뽑아 디코딩합니다.",
    ),
    # digit picker
    "uncertain": ("an uncertain digit", "불확실한 숫자"),
    "uncertain_help": (
        "A random one of the {n} test digits whose q(z|x) is widest under {model}: the "
        "encoder is least sure where to put them.",
        "{model} 모델에서 근사 사후 분포 q(z|x)가 가장 넓은 테스트 숫자 {n}개 중 하나를 "
        "무작위로 고릅니다. 인코더가 어디에 둘지 가장 확신하지 못하는 숫자들입니다.",
    ),
    # reconstruction
    "recon_header": ("Reconstruction", "재구성"),
    "original": ("original x", "원본 x"),
    "reconstruction": ("decoded μ: x̂", "μ를 디코딩한 x̂"),
    "error": ("error |x − x̂|", "오차 |x − x̂|"),
    "error_bar": ("|x − x̂|", "|x − x̂|"),
    "recon_caption": (
        "Test digit #{index} (a {label}), model **{model}**. Mean pixel error {mae:.3f}; "
        "reconstruction loss −log p(x|z = μ) = {nll:.1f} nats. Bright pixels are where the "
        "decoder's digit differs from the real one, usually the edges of the strokes.",
        "테스트 숫자 #{index} (숫자 {label}), 모델 **{model}**. 평균 픽셀 오차 {mae:.3f}, "
        "재구성 손실 −log p(x|z = μ) = {nll:.1f} nats. 밝은 픽셀은 디코더가 그린 숫자가 "
        "실제와 다른 곳으로, 주로 획의 가장자리입니다.",
    ),
    # posterior on the map
    "no_2d_vae": (
        "No 2-D VAE checkpoint is available, so the approximate posterior q(z|x) cannot be "
        "drawn on a map.",
        "2차원 VAE 체크포인트가 없어서 근사 사후 분포를 지도에 그릴 수 없습니다.",
    ),
    "map_full": (
        "whole latent space (box: the zoom on the right)",
        "잠재 공간 전체 (상자: 오른쪽 확대 영역)",
    ),
    "map_zoom": ("zoomed in on q(z|x), to scale", "q(z|x) 확대 (실제 비율)"),
    "legend_digit": ("digit", "숫자"),
    "legend_sigma1": ("1σ ellipse", "1σ 타원"),
    "legend_sigma2": ("2σ ellipse", "2σ 타원"),
    "legend_mu": ("μ (encoder mean)", "μ (인코더 평균)"),
    "legend_samples": ("samples z", "샘플 z"),
    "posterior_caption": (
        "Model **{model}**: μ = ({mu1:.3f}, {mu2:.3f}), σ = ({s1:.3f}, {s2:.3f}). The "
        "covariance is diagonal, so the ellipses are axis-aligned; in 2-D the 1σ ellipse "
        "holds {m1:.0%} of q's mass and the 2σ ellipse {m2:.0%}. Both axes use the same "
        "scale, so the shape is true.",
        "모델 **{model}**: μ = ({mu1:.3f}, {mu2:.3f}), σ = ({s1:.3f}, {s2:.3f}). 공분산이 "
        "대각 행렬이라 타원의 축이 좌표축과 나란합니다. 2차원에서는 1σ 타원 안에 q의 "
        "확률 질량의 {m1:.0%}, 2σ 타원 안에 {m2:.0%}가 들어 있습니다. 두 축의 눈금 "
        "비율이 같아서 모양이 실제 그대로입니다.",
    ),
    # the trick
    "trick_header": (
        "The reparameterization trick, step by step",
        "단계별로 보는 재매개변수화 트릭",
    ),
    "trick_why": (
        "Sampling z ~ q(z|x) directly is a random step that gradients cannot pass through. "
        "The trick moves the randomness into **ε ~ N(0, I)**, which does not depend on the "
        "network, and computes **z = μ + σ ⊙ ε** deterministically, so backpropagation "
        "reaches μ and σ and trains the encoder.",
        "z ~ q(z|x)를 바로 샘플링하면 그 무작위 단계를 그래디언트가 통과하지 못합니다. "
        "재매개변수화 트릭은 무작위성을 네트워크와 무관한 **ε ~ N(0, I)로** 옮기고 "
        "**z = μ + σ ⊙ ε을** 결정적으로 계산합니다. 그래서 역전파가 μ와 σ까지 "
        "전달되어 인코더를 학습시킬 수 있습니다.",
    ),
    "seed": ("seed of ε", "ε의 시드"),
    "eps_settings": ("Seed of ε, number of samples", "ε의 시드, 샘플 개수"),
    "new_eps": ("Draw new ε", "새 ε 뽑기"),
    "n_samples": ("number of samples", "샘플 개수"),
    "step1": (
        "**Step 1** · draw noise that knows nothing about x:",
        "**1단계** · x와 무관한 잡음을 뽑습니다:",
    ),
    "step2": ("**Step 2** · the encoder's spread:", "**2단계** · 인코더가 출력한 퍼짐 정도:"),
    "step3": (
        "**Step 3** · shift and scale the noise (sample 1 worked out):",
        "**3단계** · 잡음을 이동하고 크기를 조절합니다 (샘플 1 계산 예):",
    ),
    "table_caption": (
        "All {n} samples, seed {seed}: the same seed always gives the same ε and z.",
        "샘플 {n}개 전체, 시드 {seed}: 같은 시드는 언제나 같은 ε과 z를 줍니다.",
    ),
    "col_sample": ("sample", "샘플"),
    "decoded_header": (
        "**Samples z1–z{n} decoded by p(x|z)**, row by row:",
        "**p(x|z)로 디코딩한 샘플 z1–z{n}** (행 순서):",
    ),
    "decoded_caption": (
        "Samples 1–{n} decoded, in the order of the table. The largest difference of a pixel "
        "between them is {change:.2f} (on a 0–1 scale): the wider q(z|x), the more they vary.",
        "표 순서대로 샘플 1–{n}번을 디코딩한 결과입니다. 샘플끼리 픽셀 값이 가장 크게 "
        "차이 나는 곳은 {change:.2f}입니다(0–1 범위). q(z|x)가 넓을수록 더 많이 "
        "달라집니다.",
    ),
    "region_note": (
        "One x maps to a **region**, not a point: the encoder gives a whole cloud of codes, "
        "and the classifier's reading of the decoded samples (beside the maps) says whether "
        "the cloud stays inside this digit's class. The red numbers on the zoomed map are "
        "these samples.",
        "하나의 x는 한 점이 아니라 **영역에** 대응합니다. 인코더는 잠재 코드의 구름 전체를 "
        "내놓고, 지도 옆에 있는 디코딩된 샘플의 분류 결과가 그 구름이 이 숫자의 클래스 "
        "안에 머무는지를 알려 줍니다. 확대 지도의 빨간 번호가 바로 이 샘플들입니다.",
    ),
    "reads_all": (
        "The classifier reads all {n} as a {label}.",
        "분류 결과: {n}개 모두 숫자 {label}입니다.",
    ),
    "reads_some": (
        "The classifier reads {k} of {n} as a {label}, the others as {others}: this q(z|x) "
        "crosses a class border.",
        "분류 결과: {n}개 중 {k}개만 숫자 {label}이고 나머지는 {others}입니다. 이 q(z|x)는 "
        "클래스 경계를 넘습니다.",
    ),
    "download_samples": ("Download samples (PNG)", "샘플 내려받기 (PNG)"),
}
