"""Interpolation page (pages/interpolation.py)."""

CATALOG = {
    "title": ("Interpolation", "보간"),
    "intro": (
        "Encode two digits, walk the straight line **z(t) = (1 − t)·z_A + t·z_B** between "
        "their codes and decode every point. Drag the slider under the picture: the frames "
        "are all in your browser, so it morphs while you drag. In a VAE the KL term leaves "
        "no empty gaps between the classes, so every step still looks like a digit.",
        "두 숫자를 인코딩하고, 두 코드 사이의 직선 **z(t) = (1 − t)·z_A + t·z_B를** 따라가며 "
        "모든 점을 디코딩합니다. 그림 아래 슬라이더를 끌어 보세요. 모든 프레임이 이미 "
        "브라우저에 있어서 끄는 동안 바로 모양이 바뀝니다. VAE 에서는 KL 항 덕분에 클래스 "
        "사이에 빈틈이 없어서 중간 단계도 숫자처럼 보입니다.",
    ),
    "lede": (
        "Decode every point of the line **z(t) = (1 − t)·z_A + t·z_B**: drag the slider or "
        "press play.",
        "직선 **z(t) = (1 − t)·z_A + t·z_B** 위의 모든 점을 디코딩합니다. 슬라이더를 "
        "끌거나 재생을 누르세요.",
    ),
    "more_settings": ("Frames, speed, start", "프레임 수, 속도, 시작 위치"),
    "reads_clean": (
        "The digit classifier reads the frames as **{chain}**: a clean morph.",
        "숫자 분류기는 프레임을 **{chain}** 순서로 읽습니다. 깔끔하게 바뀝니다.",
    ),
    "reads": (
        "The digit classifier reads the frames as **{chain}** (not simply {a} → {b}).",
        "숫자 분류기는 프레임을 **{chain}** 순서로 읽습니다({a} → {b}로 바로 가지 않음).",
    ),
    "own_class_note": (
        "This model reconstructs only {rate:.0%} of the test {digit}s as a {digit}: in few "
        "dimensions some classes overlap.",
        "이 모델에서 테스트 숫자 {digit} 가운데 같은 숫자로 재구성되는 비율은 {rate:.0%}뿐입니다. "
        "차원이 적으면 일부 클래스가 겹칩니다.",
    ),
    "digit_a": ("Digit A (t = 0)", "숫자 A (t = 0)"),
    "digit_b": ("Digit B (t = 1)", "숫자 B (t = 1)"),
    "tip": (
        "Tip: click a digit on the **Latent map** page and press *Use as A* / *Use as B*.",
        "팁: **잠재 공간 지도** 페이지에서 숫자를 클릭하고 *A로 쓰기* / *B로 쓰기*를 누르세요.",
    ),
    "path": ("Path", "경로"),
    "path_linear": ("linear", "직선"),
    "path_spherical": ("spherical", "구면"),
    "path_help": (
        "Spherical (slerp) follows the arc between the codes: in many dimensions, prior "
        "samples lie near a sphere of radius √D, and the straight line's middle cuts inside it.",
        "구면 보간(slerp)은 두 코드 사이의 호를 따라갑니다. 차원이 높으면 사전 분포의 "
        "샘플은 반지름 √D인 구 근처에 놓이는데, 직선의 가운데는 그 구 안쪽을 지나갑니다.",
    ),
    "frames": ("Frames", "프레임 수"),
    "speed": ("Speed (ms per frame)", "속도 (프레임당 ms)"),
    "start_t": ("Start at t", "시작 t"),
    "start_t_help": (
        "Where the player opens, and what a bookmark of this page shows.",
        "플레이어가 처음 보여 주는 위치이자, 이 페이지를 북마크했을 때 보이는 위치입니다.",
    ),
    "pca_note": (
        "{dim}-D codes: the map shows the path on the PCA plane.",
        "{dim}차원 코드: 지도에는 PCA 평면 위의 경로를 그립니다.",
    ),
    "player_path": ("path in latent space", "잠재 공간의 경로"),
    "player_decoded": ("decoded p(x|z(t))", "디코딩 결과 p(x|z(t))"),
    "play": ("▶ play", "▶ 재생"),
    "pause": ("❚❚ pause", "❚❚ 일시정지"),
    "real_a": ("real A: #{index} ({label})", "실제 A: #{index} ({label})"),
    "decoded_a": ("decoded z_A (t = 0)", "z_A 디코딩 (t = 0)"),
    "decoded_b": ("decoded z_B (t = 1)", "z_B 디코딩 (t = 1)"),
    "real_b": ("real B: #{index} ({label})", "실제 B: #{index} ({label})"),
    "strip": ("all frames, t = 0 → 1", "모든 프레임, t = 0 → 1"),
    "download_gif": ("Download GIF", "GIF 내려받기"),
    "download_strip": ("Download PNG", "PNG 내려받기"),
}
