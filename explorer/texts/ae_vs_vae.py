"""Text of the AE vs VAE page (pages/ae_vs_vae.py)."""

CATALOG = {
    "title": ("AE vs VAE: holes in the latent space", "AE와 VAE: 잠재 공간의 빈틈"),
    "intro": (
        "Left a plain **autoencoder**, right a **VAE**, both with a 2-D latent space. The "
        "decoder draws every point of a grid over the encoded test digits, and a digit "
        "classifier labels each drawing: **red cells** are not confidently a digit. The AE was "
        "only trained to decode its own codes, so nothing makes the gaps between them decode "
        "into digits; the VAE's **KL term** pulls every q(z|x) towards the prior N(0, I) and "
        "its noisy codes fill the gaps, which makes the space continuous.",
        "왼쪽은 일반 **오토인코더**, 오른쪽은 **VAE**이고 둘 다 2차원 잠재 공간을 씁니다. "
        "인코딩된 테스트 숫자들이 차지하는 범위에 격자를 깔고 디코더로 각 점을 그린 뒤, "
        "숫자 분류기가 각 그림에 레이블을 붙입니다. **빨간 칸**은 확실한 숫자로 보기 어려운 "
        "곳입니다. AE는 자기 코드만 디코딩하도록 학습했기 때문에 코드 사이의 빈 곳이 숫자로 "
        "디코딩된다는 보장이 없습니다. VAE는 **KL 항**이 모든 q(z|x)를 사전 분포 N(0, I) 쪽으로 "
        "끌어당기고, 잡음이 섞인 코드들이 빈 곳을 메우기 때문에 공간이 연속적입니다.",
    ),
    "grid": ("Grid (n × n cells)", "격자 크기 (n × n 칸)"),
    "grid_help": (
        "Each model's grid spans the range of its own encoded test digits. At 30 × 30 the "
        "share of digit-like cells is exactly the evaluation's 'confident 30x30 grid'.",
        "각 모델의 격자는 그 모델이 인코딩한 테스트 숫자의 범위를 덮습니다. 30 × 30 에서 "
        "숫자다운 칸의 비율은 평가 지표 'confident 30x30 grid' 와 정확히 같습니다.",
    ),
    "dots": ("Encoded digits on the grid", "격자 위에 인코딩된 숫자 표시"),
    "dots_help": (
        "Draw the encoded test digits over the decoded grid: red cells sit where no digit "
        "was encoded.",
        "디코딩한 격자 위에 인코딩된 테스트 숫자를 겹쳐 그립니다. 빨간 칸은 인코딩된 숫자가 "
        "없는 곳에 있습니다.",
    ),
    "ae": ("Plain autoencoder (ae-2d)", "일반 오토인코더 (ae-2d)"),
    "vae": ("VAE (vae-2d)", "VAE (vae-2d)"),
    "metric": ("digit-like cells, {name}", "숫자다운 칸의 비율, {name}"),
    "metric_help": (
        "Share of the {n} × {n} decoded grid that the classifier labels with probability "
        "> {threshold}.",
        "디코딩한 {n} × {n} 격자 중 분류기가 {threshold} 보다 큰 확률로 숫자라고 판정한 "
        "칸의 비율입니다.",
    ),
    "delta": ("{points:+.1f} points vs the AE", "AE 대비 {points:+.1f}%p"),
    "range": (
        "encoded test range: z1 ∈ [{x0:.1f}, {x1:.1f}], z2 ∈ [{y0:.1f}, {y1:.1f}]",
        "인코딩된 테스트 데이터 범위: z1 ∈ [{x0:.1f}, {x1:.1f}], z2 ∈ [{y0:.1f}, {y1:.1f}]",
    ),
    "scale_note": (
        "Mind the axes: the AE's codes spread over tens of units, the VAE's over a few, "
        "because nothing but the KL term keeps codes near N(0, I).",
        "축의 눈금을 보세요. AE의 코드는 수십 단위에 걸쳐 퍼지고 VAE의 코드는 몇 단위 안에 "
        "모입니다. 코드를 N(0, I) 근처에 묶어 두는 것은 KL 항뿐이기 때문입니다.",
    ),
    "tab_grid": (
        "Decoder p(x|z) on the grid, labelled by the classifier",
        "격자 위의 디코더 p(x|z)와 분류기 레이블",
    ),
    "tab_map": (
        "Latent map: encoder means of the test digits",
        "잠재 공간 지도: 테스트 숫자의 인코더 평균",
    ),
    "hover": ("classifier: {digit}, p = {p}", "분류기: {digit}, p = {p}"),
    "digit": ("digit", "숫자"),
    "legend_note": (
        "Small number in each cell: the classifier's digit, in that digit's colour on the "
        "latent map. Red background: its top probability is at most {threshold}. Hover the "
        "number for z and p.",
        "칸 왼쪽 위의 숫자: 분류기가 고른 숫자이며, 색은 잠재 공간 지도의 숫자 색과 같습니다. "
        "빨간 배경: 가장 높은 확률이 {threshold} 이하인 칸입니다. 숫자에 마우스를 올리면 z 와 "
        "p 가 보입니다.",
    ),
    "no_classifier": (
        "The digit classifier cannot be loaded ({error}); train it with "
        "`python -m explorer.classifier`.",
        "숫자 분류기를 불러올 수 없습니다 ({error}). `python -m explorer.classifier` 로 "
        "먼저 학습하세요.",
    ),
    "not_2d": (
        "{name} is not a 2-D model, so it has no plane to tile.",
        "{name} 은(는) 2차원 모델이 아니라서 평면 격자를 만들 수 없습니다.",
    ),
}
