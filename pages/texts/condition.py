"""Condition and randomness page (pages/condition.py)."""

CATALOG = {
    "title": ("Condition and randomness", "조건과 랜덤성"),
    "intro": (
        "A generator takes two inputs: a **condition** c, what to draw (here the digit, as a "
        "one-hot vector), and **randomness** z ~ N(0, I), how to draw it - the lecture's "
        "dice. A **conditional VAE** gives the label to both its encoder q(z|x, c) and its "
        "decoder p(x|z, c). The label then need not be stored in z, so z keeps what the "
        "label does not say: slant, stroke, size.\n\n"
        "In the grid every **row** is one condition c = 0..9 and every **column** one draw "
        "of z, the same in every row. Reading down a column, the digit changes and the "
        "handwriting stays.",
        "생성자는 두 가지 입력을 받습니다. 무엇을 그릴지 정하는 **조건** c(여기서는 숫자 "
        "레이블, 원-핫 벡터)와 어떻게 그릴지 정하는 **랜덤성** z ~ N(0, I)(강의의 "
        "주사위)입니다. **조건부 VAE**는 인코더 q(z|x, c)와 디코더 p(x|z, c) 모두에 레이블을 "
        "넣어 줍니다. 그러면 레이블을 z에 담을 필요가 없으므로, z에는 레이블이 말해 주지 "
        "않는 것, 곧 기울기, 획 굵기, 크기가 남습니다.\n\n"
        "격자에서 **행** 하나는 조건 c = 0..9 하나이고, **열** 하나는 모든 행이 함께 쓰는 "
        "z 하나입니다. 한 열을 위에서 아래로 읽으면 숫자는 바뀌고 필체는 그대로입니다.",
    ),
    "lede": (
        "Rows: the **condition** c (which digit). Columns: one draw of **z** ~ N(0, I) each, "
        "shared by every row (how it is written).",
        "행은 **조건** c(어떤 숫자), 열은 모든 행이 함께 쓰는 **z** ~ N(0, I) 하나(어떻게 "
        "쓰는지)입니다.",
    ),
    "no_cvae": (
        "This page needs a conditional VAE (for example cvae-2d); none of the checkpoints is one.",
        "이 페이지에는 조건부 VAE(예: cvae-2d)가 필요하지만, 그런 체크포인트가 없습니다.",
    ),
    "row": ("c = {c}", "c = {c}"),
    "seed": ("Seed of z", "z의 시드"),
    "new_draw": ("New draw of z", "z 새로 뽑기"),
    "columns": ("Columns (draws of z)", "열 개수 (z를 뽑는 횟수)"),
    "grid_caption": (
        "{cols} draws of z (seed {seed}), each decoded under c = 0..9.",
        "z {cols}개(시드 {seed})를 각각 c = 0..9로 디코딩했습니다.",
    ),
    "read_claim": (
        "The condition decides the digit: the classifier reads **{share:.0%}** of these "
        "{n} images as their row's digit.",
        "조건이 숫자를 정합니다. 분류기는 이 {n}개 이미지의 **{share:.0%}를** 그 행의 "
        "숫자로 읽습니다.",
    ),
    "slant_claim": (
        "z decides the handwriting: the column explains **{col:.0%}** of how the images "
        "lean, the row (the digit) only {row:.0%}.",
        "필체는 z가 정합니다. 이미지가 기운 정도의 **{col:.0%}는** 열(z)로 설명되고, "
        "행(숫자)으로는 {row:.0%}만 설명됩니다.",
    ),
    "claim_fails": (
        "In this draw the split is not clear-cut: read as the row's digit {share:.0%}, "
        "slant explained by the column {col:.0%}, by the row {row:.0%}. Try another draw.",
        "이번 뽑기에서는 구분이 뚜렷하지 않습니다. 행의 숫자로 읽힌 비율 {share:.0%}, "
        "기울기 중 열로 설명되는 비율 {col:.0%}, 행으로 설명되는 비율 {row:.0%}입니다. "
        "다시 뽑아 보세요.",
    ),
    "slant_help": (
        "Slant: how far the ink shifts sideways per row, from its second moments (as used "
        "to deskew MNIST). Shares from a two-way analysis of variance over the grid.",
        "기울기: 잉크가 한 행 올라갈 때마다 옆으로 옮겨 가는 정도로, 2차 모멘트로 "
        "계산합니다(MNIST 기울기 보정에 쓰는 방법). 비율은 격자 전체에 대한 이원 "
        "분산분석으로 구합니다.",
    ),
    "map_title": ("z of the test digits, coloured by digit", "테스트 숫자의 z, 숫자별 색"),
    "map_claim": (
        "No clusters: the digit cannot be told from z (5 nearest codes vote right for "
        "**{cvae:.0%}**, chance 10%; the plain VAE {vae}: {vae_acc:.0%}). The decoder is "
        "given the digit, so z is free to hold only the style.",
        "군집이 없습니다. z만으로는 숫자를 알 수 없습니다(가장 가까운 잠재 코드 5개의 "
        "투표가 맞는 비율 **{cvae:.0%}**, 우연히 맞힐 확률 10%, 일반 VAE {vae}는 "
        "{vae_acc:.0%}). 디코더가 숫자를 받으므로 z에는 필체만 남으면 됩니다.",
    ),
    "restyle_head": ("Your digit in every class", "내 숫자를 모든 클래스로"),
    "restyle_lede": (
        "A test digit is encoded with its own label; its z is decoded with every label: "
        "the class changes, the handwriting stays.",
        "테스트 숫자를 자기 레이블과 함께 인코딩하고, 그 z를 모든 레이블로 디코딩합니다. "
        "클래스는 바뀌고 필체는 그대로입니다.",
    ),
    "original": ("original", "원본"),
    "restyle_claim": (
        "The classifier reads **{share:.0%}** of the ten as the label they were decoded with.",
        "분류기는 열 개 중 **{share:.0%}를** 디코딩에 쓴 레이블로 읽습니다.",
    ),
    "download": ("Download the grid (PNG)", "격자 내려받기 (PNG)"),
    "no_classifier": (
        "This page measures what it shows with the digit classifier, which is unavailable: {error}",
        "이 페이지는 보여 주는 내용을 숫자 분류기로 측정하는데, 분류기를 쓸 수 없습니다: {error}",
    ),
}
