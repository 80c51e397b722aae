"""The bottleneck page (pages/bottleneck.py)."""

CATALOG = {
    "title": ("The bottleneck: two numbers per digit", "병목: 숫자 하나에 수 두 개"),
    "intro": (
        "An **undercomplete autoencoder** squeezes the 784 pixels of a digit through a code "
        "of a few numbers and must rebuild the digit from it. With no non-linearity this is "
        "**PCA**: a linear autoencoder trained on the squared error spans the same plane as "
        "the first principal components (Baldi and Hornik, 1989). Non-linear layers let the "
        "code bend with the data: a **non-linear PCA**.\n\n"
        "Here the same 10,000 test digits are coded with **two numbers** four ways: pixel "
        "PCA (closed form, fitted on the training digits), a linear autoencoder, the plain "
        "autoencoder and the VAE. Each is measured on the same two questions: how well do "
        "the two numbers rebuild the digit (squared error summed over the 784 pixels, grey "
        "levels in [0, 1]), and how well do they sort the digits (a 5-nearest-neighbour vote "
        "among the other test codes).",
        "**과소완전(undercomplete) 오토인코더**는 숫자 이미지의 784개 픽셀을 수 몇 개짜리 "
        "잠재 코드(잠재 벡터)로 압축한 뒤, 그 코드로 숫자를 다시 만들어야 합니다. 비선형성이 "
        "없으면 이것은 **PCA**입니다. 제곱 오차로 학습한 선형 오토인코더는 첫 주성분들과 같은 "
        "평면을 펼칩니다(Baldi와 Hornik, 1989). 비선형 층이 있으면 코드가 데이터를 따라 휘어질 "
        "수 있습니다. 곧 **비선형 PCA**입니다.\n\n"
        "여기서는 같은 테스트 숫자 10,000개를 **수 두 개**로 네 가지 방법으로 코딩합니다. "
        "픽셀 PCA(닫힌 형태, 학습 숫자로 적합), 선형 오토인코더, 일반 오토인코더, VAE입니다. "
        "모두 같은 두 질문으로 측정합니다. 수 두 개로 숫자를 얼마나 잘 다시 만드는가(784개 "
        "픽셀의 제곱 오차 합, 회색 값 범위 [0, 1]), 그리고 숫자를 얼마나 잘 나누는가(다른 "
        "테스트 코드들 사이의 5-최근접 이웃 투표)입니다.",
    ),
    "lede": (
        "The same test digits, **two numbers each**, four ways: where each puts the digits, "
        "how well it rebuilds them, and how many PCA components match it.",
        "같은 테스트 숫자를 **수 두 개씩**, 네 가지 방법으로 코딩합니다. 숫자를 어디에 두는지, "
        "얼마나 잘 다시 만드는지, PCA 성분 몇 개와 맞먹는지 봅니다.",
    ),
    "pca": ("PCA", "PCA"),
    "panel": (
        "{name}: error {error:.1f} · 5-NN {knn:.0%}",
        "{name}: 오차 {error:.1f} · 5-NN {knn:.0%}",
    ),
    "table_head": (
        "| two numbers by | error | 5-NN |\n|---|---:|---:|",
        "| 수 두 개로 코딩 | 오차 | 5-NN |\n|---|---:|---:|",
    ),
    "table_row": ("| {name} | {error:.1f} | {knn:.1%} |", "| {name} | {error:.1f} | {knn:.1%} |"),
    "table_help": (
        "Error: squared error per digit, summed over the 784 pixels (grey levels in [0, 1]), "
        "mean over the 10,000 test digits. 5-NN: the share of test digits whose 5 nearest "
        "other codes vote for their own digit (chance about 10%).",
        "오차: 숫자 하나의 784개 픽셀 제곱 오차 합(회색 값 범위 [0, 1])을 테스트 숫자 "
        "10,000개에서 평균한 값입니다. 5-NN: 가장 가까운 다른 코드 5개가 자기 숫자에 투표하는 "
        "테스트 숫자의 비율입니다(우연히 맞힐 확률은 약 10%).",
    ),
    "components": ("PCA components", "PCA 성분 수"),
    "components_help": (
        "How many numbers PCA may use. The dashed lines are the autoencoders' errors with two "
        "numbers.",
        "PCA가 쓸 수 있는 수의 개수입니다. 점선은 수 두 개를 쓰는 오토인코더들의 오차입니다.",
    ),
    "curve_title": ("Error against the number of PCA components", "PCA 성분 수에 따른 오차"),
    "curve_x": ("PCA components", "PCA 성분 수"),
    "curve_y": ("squared error per digit", "숫자당 제곱 오차"),
    "curve_pca": ("PCA", "PCA"),
    "linear_claim": (
        "**The linear autoencoder lands where PCA does**: error {lin:.2f} against PCA's "
        "{pca:.2f} with two components, 5-NN {lin_knn:.1%} against {pca_knn:.1%}, and its "
        "decoder spans the same plane as the first two principal components (cosines of the "
        "angles between the planes {cos1:.3f} and {cos2:.3f}; 1 is the same plane).",
        "**선형 오토인코더는 PCA와 같은 곳에 도달합니다**. 오차는 {lin:.2f}로 성분 두 개인 "
        "PCA의 {pca:.2f}와 같고, 5-NN은 {lin_knn:.1%} 대 {pca_knn:.1%}이며, 디코더는 첫 두 "
        "주성분과 같은 평면을 펼칩니다(두 평면 사이 각의 코사인 {cos1:.3f}, {cos2:.3f}, "
        "1이면 같은 평면).",
    ),
    "linear_differs": (
        "Measured: the linear autoencoder's error is {lin:.2f} against PCA's {pca:.2f} with two "
        "components (cosines {cos1:.3f}, {cos2:.3f}); it has not reached PCA's plane.",
        "측정 결과 선형 오토인코더의 오차는 {lin:.2f}, 성분 두 개인 PCA는 {pca:.2f}입니다(코사인 "
        "{cos1:.3f}, {cos2:.3f}). PCA의 평면에 아직 도달하지 못했습니다.",
    ),
    "match_claim": (
        "**With two numbers, the {name} rebuilds digits as well as PCA with {k} components** "
        "(error {error:.1f}; PCA {pca_k:.1f} with {k}, {pca_2:.1f} with two), and its codes "
        "sort the digits far better (5-NN {knn:.0%} against PCA's {pca_knn:.0%}).",
        "**수 두 개만으로도 {name} 모델은 성분 {k}개인 PCA만큼 숫자를 잘 다시 만듭니다**(오차 "
        "{error:.1f}, PCA는 성분 {k}개에서 {pca_k:.1f}, 두 개에서 {pca_2:.1f}). 코드가 숫자를 "
        "나누는 능력도 훨씬 좋습니다(5-NN {knn:.0%}, PCA는 {pca_knn:.0%}).",
    ),
    "match_none": (
        "Even {k} PCA components do worse than the {name}'s two numbers (error {error:.1f}).",
        "PCA 성분 {k}개로도 {name} 모델의 수 두 개보다 오차가 큽니다(오차 {error:.1f}).",
    ),
    "recon_head": (
        "Ten test digits, rebuilt from their codes",
        "테스트 숫자 10개와 코드로 다시 만든 모습",
    ),
    "row_original": ("original", "원본"),
    "row_pca": ("PCA, 2", "PCA, 2개"),
    "row_pca_k": ("PCA, {k}", "PCA, {k}개"),
    "recon_caption": (
        "One digit of each class (the first in the test set). PCA and the linear "
        "autoencoder give grey levels outside [0, 1]; they are clipped for the picture only.",
        "클래스마다 숫자 하나(테스트 세트에서 처음 나오는 것)입니다. PCA와 선형 "
        "오토인코더는 [0, 1] 밖의 회색 값을 내기도 하며, 그림에서만 잘라서 보여 줍니다.",
    ),
    "missing": (
        "Model **{name}** is not available ({error}); the page shows the others.",
        "**{name}** 모델을 쓸 수 없습니다({error}). 나머지만 보여 줍니다.",
    ),
}
