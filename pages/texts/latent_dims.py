"""Texts of the page "High-dimensional latents" (pages/latent_dims.py)."""

CATALOG = {
    "title": ("High-dimensional latents", "고차원 잠재 공간"),
    "intro": (
        "With many latent dimensions we cannot look at the map directly, but we can ask each "
        "dimension what it does: keep **z = μ(x)** from the **encoder q(z|x)**, move one "
        "coordinate and let the **decoder p(x|z)** draw the result. The KL term of the ELBO, "
        "split by dimension, tells which dimensions the model actually uses.",
        "잠재 차원이 많으면 지도로 바로 볼 수 없지만, 각 차원이 무엇을 나타내는지는 확인할 "
        "수 있습니다. **인코더**가 내놓은 근사 사후 분포 q(z|x)의 평균 **z = μ(x)에서** "
        "좌표 하나만 움직이고 **디코더 p(x|z)로** 그려 보는 것입니다. 증거 하한(ELBO)의 KL "
        "발산을 차원별로 나누어 보면 모델이 실제로 쓰는 차원이 어느 것인지 알 수 있습니다.",
    ),
    "lede": (
        "Move one dimension of z at a time and decode: the dimensions the model ignores change "
        "nothing.",
        "z의 차원을 하나씩 움직이며 디코딩합니다. 모델이 쓰지 않는 차원은 숫자를 바꾸지 못합니다.",
    ),
    "no_model": (
        "No VAE with more than two latent dimensions is available (e.g. vae-32d).",
        "2차원보다 큰 잠재 공간을 가진 VAE(예: vae-32d)가 없습니다.",
    ),
    # (a) traversal
    "more_settings": ("Range, order, what to show", "범위, 순서, 표시 방식"),
    "steps": ("values per dimension", "차원마다 값 개수"),
    "span": ("range ±", "범위 ±"),
    "rows": ("dimensions shown (highest KL first)", "보여 줄 차원 수 (KL이 큰 순서)"),
    "order": ("order", "순서"),
    "order_kl": ("by KL", "KL 순"),
    "order_index": ("by index", "번호 순"),
    "mode": ("show", "표시"),
    "mode_images": ("decoded digits", "디코딩한 숫자"),
    "mode_change": ("change from x̂(μ)", "x̂(μ) 대비 변화"),
    "mode_help": (
        "Change: |decode(z) − decode(μ)| per pixel. Rows of ignored dimensions turn black.",
        "변화: 픽셀마다 |decode(z) − decode(μ)|. 무시되는 차원의 행은 검게 나옵니다.",
    ),
    "traversal_x": (
        "value of z_j (the other coordinates stay at μ)",
        "z_j의 값 (나머지 좌표는 μ 그대로)",
    ),
    "row_label": ("z{j} · KL {kl:.2f}", "z{j} · KL {kl:.2f}"),
    "original": ("original #{index} (a {label})", "원본 #{index} (숫자 {label})"),
    "reconstruction": ("decoded μ", "μ를 디코딩"),
    "traversal_caption": (
        "Each row moves one dimension z_j from −{span:g} to +{span:g} (the prior's ±{span:g}σ) "
        "and keeps the rest at μ(x). Grey labels and dimmed rows are inactive dimensions: "
        "the digit does not change along them.",
        "각 행은 한 차원 z_j만 −{span:g}에서 +{span:g}까지(사전 분포의 ±{span:g}σ) "
        "움직이고 나머지는 μ(x)에 고정합니다. 회색 라벨과 어둡게 표시된 행은 비활성 "
        "차원으로, 이 방향으로는 숫자가 바뀌지 않습니다.",
    ),
    "download_grid": ("Download grid (PNG)", "격자 내려받기 (PNG)"),
    # (b) per-dimension KL and active units
    "stats_header": (
        "Which dimensions carry information?",
        "어느 차원이 정보를 담고 있을까?",
    ),
    "kl_title": (
        "KL_j = ½·mean(μ_j² + σ_j² − log σ_j² − 1) over the test set",
        "테스트 데이터 평균 KL_j = ½·mean(μ_j² + σ_j² − log σ_j² − 1)",
    ),
    "var_title": (
        "variance of the encoder mean across the data, Var_x(E_q[z_j])",
        "데이터 전체에 걸친 인코더 평균의 분산 Var_x(E_q[z_j])",
    ),
    "x_title": ("latent dimension", "잠재 차원"),
    "kl_axis": ("KL_j (nats)", "KL_j (단위 nats)"),
    "var_axis": ("Var_x[μ_j] (log)", "Var_x[μ_j] (로그)"),
    "threshold": ("0.01: active-unit threshold", "0.01: 활성 차원 기준"),
    "active": ("active", "활성"),
    "inactive": ("inactive", "비활성"),
    "metric_active": ("active units", "활성 차원 수"),
    "metric_active_help": (
        "Dimensions whose encoder mean varies across the data by more than 0.01 "
        "(Burda et al. 2015).",
        "데이터에 따라 인코더 평균의 분산이 0.01보다 큰 차원 (Burda et al. 2015).",
    ),
    "metric_kl": ("total KL term", "전체 KL 항"),
    "metric_kl_help": (
        "Sum of KL_j: the mean KL(q(z|x) || p(z)) of the ELBO, in nats per image.",
        "KL_j의 합: 증거 하한(ELBO)의 평균 KL(q(z|x) || p(z)), 이미지당 nats.",
    ),
    "metric_inactive_kl": ("KL in inactive dims", "비활성 차원의 KL"),
    "collapse": (
        "**Posterior collapse.** A dimension with KL_j ≈ 0 carries no information about x: "
        "the encoder outputs the prior N(0, 1) there for every digit, and the decoder learns "
        "to ignore it. The KL term charges nats for every dimension the model uses, so a VAE "
        "keeps only as many dimensions as pay for themselves in reconstruction.",
        "**사후 분포 붕괴(posterior collapse).** KL_j ≈ 0인 차원은 x에 대한 정보를 담고 "
        "있지 않습니다. 인코더는 어떤 숫자가 들어와도 그 차원에서 사전 분포 N(0, 1)을 "
        "그대로 출력하고, 디코더는 그 차원을 무시하도록 학습됩니다. KL 발산 항은 모델이 쓰는 "
        "차원마다 nats 단위의 비용을 매기므로, VAE는 재구성에 도움이 되는 만큼의 차원만 "
        "남깁니다.",
    ),
    "stats_caption": (
        "Model **{model}**, {n} test digits. Blue: active, grey: inactive.",
        "모델 **{model}**, 테스트 숫자 {n}개. 파란색: 활성, 회색: 비활성.",
    ),
}
