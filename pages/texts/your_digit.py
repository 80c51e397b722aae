"""Text of the "Your own digit" page (pages/your_digit.py)."""

CATALOG = {
    "title": ("Your own digit", "내가 쓴 숫자"),
    "intro": (
        "Draw a digit or upload a photo of one. The **encoder q(z|x)** places it among the "
        "test digits (★ on the map), the **decoder p(x|z)** redraws it, and the distance "
        "between your digit and its reconstruction says how familiar it looks to a model "
        "that has only ever seen MNIST.",
        "숫자를 직접 그리거나 숫자 사진을 올려 보세요. **인코더 q(z|x)가** 테스트 숫자들 "
        "사이에 위치를 정하고 (지도 위의 ★), **디코더 p(x|z)가** 다시 그립니다. 입력과 "
        "재구성 사이의 거리를 보면, MNIST만 보고 학습한 모델에게 이 숫자가 얼마나 익숙한지 "
        "알 수 있습니다.",
    ),
    "lede": (
        "Draw a digit: the **encoder** places it among the test digits (★), the **decoder** "
        "redraws it, and the score says how unusual it is.",
        "숫자를 그려 보세요. **인코더가** 테스트 숫자들 사이에 위치를 정하고(★), **디코더가** "
        "다시 그리며, 점수는 얼마나 특이한지 알려 줍니다.",
    ),
    "source": ("Input", "입력 방법"),
    "source_draw": ("Draw", "그리기"),
    "source_upload": ("Upload an image", "이미지 올리기"),
    "view": ("Map", "지도"),
    "view_latent": ("latent plane", "잠재 평면"),
    "view_pca": ("PCA plane", "PCA 평면"),
    "view_tsne": ("t-SNE map", "t-SNE 지도"),
    "draw_hint": (
        "Draw one digit, large, in the middle of the black square; **Clear** starts over.",
        "검은 칸 가운데에 숫자 하나를 크게 그리세요. **지우기**를 누르면 지워집니다.",
    ),
    "upload": ("Image of one digit", "숫자 하나가 담긴 이미지"),
    "upload_help": (
        "PNG, JPEG, GIF, BMP or WebP. Dark ink on light paper is fine: it is inverted to "
        "MNIST's white on black.",
        "PNG, JPEG, GIF, BMP, WebP 파일을 쓸 수 있습니다. 흰 종이에 검은 글씨도 괜찮습니다. "
        "MNIST처럼 검은 바탕에 흰 글씨가 되도록 자동으로 반전합니다.",
    ),
    "raw": ("your input", "입력한 그림"),
    "mnist": ("MNIST-style 28 × 28", "MNIST 형식 28 × 28"),
    "preprocess_note": (
        "MNIST preprocessing: crop to the ink, scale the longer side to 20 px, and put the "
        "centre of mass at the centre of a 28 × 28 frame.",
        "MNIST 전처리: 글씨 부분만 잘라 긴 변을 20픽셀로 줄이고, 무게중심을 28 × 28 "
        "틀의 가운데에 놓습니다.",
    ),
    "start_hint": (
        "Draw a digit on the canvas or upload an image to begin.",
        "캔버스에 숫자를 그리거나 이미지를 올리면 시작합니다.",
    ),
    "last_digit": (
        "Showing the digit you gave last; draw or upload a new one to replace it.",
        "마지막으로 입력한 숫자를 보여 주고 있습니다. 새로 그리거나 올리면 바뀝니다.",
    ),
    "forget": ("Forget my digit", "내 숫자 지우기"),
    # Input problems (explorer.preprocess.PreprocessError, sorted by its message).
    "err_empty": ("The uploaded file is empty.", "올린 파일이 비어 있습니다."),
    "err_not_image": (
        "This file is not an image: upload a PNG, JPEG, GIF, BMP or WebP picture of one digit.",
        "이미지 파일이 아닙니다. 숫자 하나가 담긴 PNG, JPEG, GIF, BMP, WebP 파일을 올려 주세요.",
    ),
    "err_header": (
        "This image cannot be read: its file header is damaged.",
        "이미지를 읽을 수 없습니다. 파일 헤더가 손상되었습니다.",
    ),
    "err_corrupt": (
        "This image cannot be decoded: the file is truncated or corrupt.",
        "이미지를 디코딩할 수 없습니다. 파일이 잘렸거나 손상되었습니다.",
    ),
    "err_too_large": (
        "This image is too large ({detail}). Please crop or shrink it.",
        "이미지가 너무 큽니다 ({detail}). 잘라 내거나 줄여서 올려 주세요.",
    ),
    "err_no_pixels": ("This image has no pixels.", "이 이미지에는 픽셀이 없습니다."),
    "err_blank": (
        "No digit found: the image is blank (or the ink is too faint). Draw or upload a "
        "clearly visible digit.",
        "숫자를 찾지 못했습니다. 이미지가 비어 있거나 글씨가 너무 흐립니다. 잘 보이게 "
        "다시 그리거나 올려 주세요.",
    ),
    "err_other": ("This input cannot be used: {detail}", "이 입력은 쓸 수 없습니다: {detail}"),
    # Results.
    "on_map": ("Where the encoder puts it", "인코더가 놓은 위치"),
    "marker": ("your digit ★", "내 숫자 ★"),
    "digit": ("digit", "숫자"),
    "map_latent": (
        "★ is the mean of q(z|x) for your digit, on the same plane as the encoded test digits.",
        "★ 는 내 숫자에 대한 q(z|x)의 평균입니다. 인코딩된 테스트 숫자와 같은 평면에 있습니다.",
    ),
    "map_pca": (
        "★ is the mean of q(z|x) projected exactly onto the test digits' PCA plane.",
        "★ 는 q(z|x)의 평균을 테스트 숫자의 PCA 평면에 그대로 투영한 점입니다.",
    ),
    "map_tsne": (
        "t-SNE has no formula for new points: openTSNE adds ★ to the finished map by "
        "optimising its position against its nearest test codes, without moving the map.",
        "t-SNE에는 새 점을 옮기는 공식이 없습니다. openTSNE가 지도는 그대로 둔 채, 가장 "
        "가까운 테스트 코드들에 맞춰 ★ 의 위치만 최적화해서 추가합니다.",
    ),
    "placing": (
        "Preparing the t-SNE map for new points (once per model)…",
        "새 점을 놓을 수 있게 t-SNE 지도를 준비하는 중 (모델마다 한 번)…",
    ),
    "recon_head": ("Reconstruction", "재구성"),
    "recon_caption": (
        "decoder mean at z = mean of q(z|x)",
        "q(z|x)의 평균 z를 디코딩한 결과(디코더 평균)",
    ),
    "classifier_says": (
        "The digit classifier reads your digit as **{a}** ({pa:.0%}) and the reconstruction "
        "as **{b}** ({pb:.0%}).",
        "숫자 분류기는 내 숫자를 **{a}** ({pa:.0%}), 재구성을 **{b}** ({pb:.0%})로 읽습니다.",
    ),
    "unusual_head": ("How unusual is it?", "얼마나 특이한가?"),
    "score": ("Anomaly score", "이상 점수"),
    "score_recon_error": ("squared error ‖x − x̂‖²", "제곱 오차 ‖x − x̂‖²"),
    "score_neg_elbo": ("−ELBO (nats)", "−ELBO (음의 증거 하한)"),
    "percentile": (
        "more unusual than {pct:.0f}% of the test digits",
        "테스트 숫자의 {pct:.0f}% 보다 특이함",
    ),
    "hist_x": ("{score} (log scale)", "{score} (로그 눈금)"),
    "hist_y": ("share of the test digits", "테스트 숫자 비율"),
    "test_digits": ("test digits", "테스트 숫자"),
    "to_anomaly": ("Compare with the anomaly sets →", "이상 데이터 집합과 비교하기 →"),
    "no_classifier": (
        "(The digit classifier is unavailable: {error})",
        "(숫자 분류기를 쓸 수 없습니다: {error})",
    ),
}
