"""Latent map page (pages/latent_map.py)."""

CATALOG = {
    "title": ("Latent map", "잠재 공간 지도"),
    "intro": (
        "Every dot is a test digit pushed through the **encoder q(z|x)**: the mean of its "
        "Gaussian. **Click anywhere** and the **decoder p(x|z)** draws what lives at that "
        "point. Training maximises the ELBO = reconstruction − KL; the KL term packs the codes "
        "around the prior N(0, I), so the space between clusters still decodes into "
        "digit-like shapes.",
        "점 하나하나는 테스트 숫자를 **인코더 q(z|x)에** 넣어 얻은 가우시안의 평균입니다. "
        "지도 **아무 곳이나 클릭하면** 그 점에서 **디코더 p(x|z)가** 무엇을 그리는지 "
        "보여 줍니다. 학습은 증거 하한(ELBO) = 재구성 항 − KL 발산을 최대화하고, "
        "KL 항이 잠재 코드를 사전 분포 N(0, I) 주위로 모아 주기 때문에 군집 사이의 빈 "
        "곳도 숫자 비슷한 모양으로 디코딩됩니다.",
    ),
    "lede": (
        "Each dot is a test digit encoded by **q(z|x)**. **Click anywhere**: the decoder "
        "**p(x|z)** draws what lives there.",
        "점 하나가 **q(z|x)로** 인코딩한 테스트 숫자 하나입니다. **아무 곳이나 클릭하면** "
        "디코더 **p(x|z)가** 그 자리에 무엇이 있는지 그립니다.",
    ),
    "claim_knn": (
        "Digits of a class sit together: a vote among each test digit's 5 nearest codes "
        "names {knn:.0%} of them right (chance: 10%).",
        "같은 클래스의 숫자는 모여 있습니다. 테스트 숫자마다 가장 가까운 잠재 코드 5개로 "
        "투표하면 {knn:.0%}를 맞힙니다(우연히 맞힐 확률: 10%).",
    ),
    "view": ("View", "보기"),
    "view_latent": ("latent plane", "잠재 평면"),
    "view_pca": ("PCA plane", "PCA 평면"),
    "view_tsne": ("t-SNE map", "t-SNE 지도"),
    "manifold": ("Decoded manifold", "디코딩된 매니폴드"),
    "manifold_off": ("off", "끄기"),
    "manifold_overlay": ("overlay on the map", "지도 위에 겹치기"),
    "manifold_side": ("side by side", "나란히 보기"),
    "manifold_help": (
        "A grid of decoded digits over the plane (Kingma & Welling 2014, Fig. 4). Not for "
        "t-SNE, which has no way back from the map to z.",
        "평면 위 격자점마다 디코딩한 숫자 (Kingma & Welling 2014, 그림 4). t-SNE 지도에서는 "
        "지도에서 z로 되돌아가는 방법이 없어 쓸 수 없습니다.",
    ),
    "grid": ("Manifold size (n × n digits)", "매니폴드 크기 (n × n 숫자)"),
    "live": ("Live hover decoding", "마우스로 바로 디코딩"),
    "live_help": (
        "The decoder runs in your browser on every mouse move, with no round trip to the "
        "server; click to pin a point. 2-D models only.",
        "마우스를 움직일 때마다 디코더가 서버를 거치지 않고 브라우저에서 바로 실행됩니다. "
        "클릭하면 그 점을 고정합니다. 2차원 모델에서만 쓸 수 있습니다.",
    ),
    "pca_note": (
        "PCA plane of the encoder means: a click decodes the exact code on this plane "
        "(mean + x·PC1 + y·PC2), which passes through the middle of the data.",
        "인코더 평균들의 PCA 평면입니다. 클릭한 점은 이 평면 위의 정확한 코드 "
        "(평균 + x·PC1 + y·PC2)로 디코딩되며, 이 평면은 데이터의 한가운데를 지납니다.",
    ),
    "tsne_note": (
        "t-SNE places similar codes near each other but has no inverse: a click decodes "
        "the code of the nearest encoded test digit.",
        "t-SNE는 비슷한 코드를 가까이 놓지만 역변환이 없습니다. 클릭하면 가장 가까운 "
        "테스트 숫자의 코드를 디코딩합니다.",
    ),
    "live_prompt": (
        "Move the mouse over the plane: the decoder runs in your browser. Click to pin a "
        "point here.",
        "평면 위에서 마우스를 움직이면 브라우저에서 디코더가 바로 실행됩니다. 클릭하면 그 "
        "점이 여기에 고정됩니다.",
    ),
    "sent_a": (
        "Test digit #{index} (a {label}) is now digit A of the interpolation.",
        "테스트 숫자 #{index}(숫자 {label})를 보간의 숫자 A로 정했습니다.",
    ),
    "sent_b": (
        "Test digit #{index} (a {label}) is now digit B of the interpolation.",
        "테스트 숫자 #{index}(숫자 {label})를 보간의 숫자 B로 정했습니다.",
    ),
    "clamped": (
        "The link's point ({given}) lies outside the map; showing the nearest point on its "
        "edge ({used}).",
        "링크의 점 ({given})이 지도 밖에 있어, 가장 가까운 가장자리 점 ({used})을 보여 줍니다.",
    ),
    "click_prompt": (
        "Click anywhere on the map to decode that point.",
        "지도에서 아무 곳이나 클릭하면 그 점을 디코딩합니다.",
    ),
    "decoded_at": ("decoded at z = ({z})", "z = ({z})에서 디코딩한 결과"),
    "norm": ("‖z‖ = {norm:.2f} in {dim}-D", "{dim}차원에서 ‖z‖ = {norm:.2f}"),
    "nearest": (
        "nearest encoded digit: test #{index} (a {label})",
        "가장 가까운 인코딩된 숫자: 테스트 #{index} (숫자 {label})",
    ),
    "real_digit": (
        "**Test digit #{index}** (label {label}): the real image",
        "**테스트 숫자 #{index}** (정답 {label}): 실제 이미지",
    ),
    "use_a": ("Use as A", "A로 쓰기"),
    "use_b": ("Use as B", "B로 쓰기"),
    "use_a_help": ("start of the interpolation", "보간의 시작점"),
    "use_b_help": ("end of the interpolation", "보간의 끝점"),
    "open_interp": ("Open the interpolation →", "보간 페이지 열기 →"),
    "manifold_caption": (
        "decoded manifold over the same range",
        "같은 범위에서 디코딩한 매니폴드",
    ),
    "legend": ("digit (click to hide):", "숫자 (클릭하면 숨김):"),
}
