"""Text of the denoising page (pages/denoise.py)."""

CATALOG = {
    "title": ("Denoising", "잡음 제거"),
    "intro": (
        "Corrupt a test digit and let the model redraw it. The **decoder p(x|z)** can only "
        "draw what it learned, so every reconstruction x̂ lies on the **data manifold** of "
        "digits: its distance to the clean x levels off while the corrupted x̃ drifts ever "
        "further. But the **encoder q(z|x)** never saw noise in training: strong noise sends "
        "the code to another digit's region, and x̂ becomes a clean-looking *wrong* digit. "
        "Watch the classifier's labels.",
        "테스트 숫자를 손상시킨 뒤 모델이 다시 그리게 해 봅니다. **디코더 p(x|z)는** "
        "학습한 것만 그릴 수 있으므로, 재구성 x̂는 언제나 숫자들의 **데이터 매니폴드(다양체)** 위에 "
        "있습니다. 손상된 x̃ 는 깨끗한 x에서 점점 멀어지지만 x̂의 거리는 어느 선에서 "
        "멈춥니다. 그런데 **인코더 q(z|x)는** 학습 중에 잡음을 본 적이 없어서, 잡음이 "
        "세면 코드가 다른 숫자의 영역으로 가 버리고 x̂는 깔끔하지만 *틀린* 숫자가 됩니다. "
        "분류기의 판정을 함께 보세요.",
    ),
    "lede": (
        "Corrupt a digit and let the model redraw it: the decoder can only draw digits, so "
        "the noise is gone - if the encoder found the right digit.",
        "숫자를 손상시키고 모델이 다시 그리게 해 보세요. 디코더는 숫자만 그릴 수 있어서 "
        "잡음이 사라집니다. 인코더가 맞는 숫자를 찾았다면 말입니다.",
    ),
    "digit": ("Test digit #", "테스트 숫자 번호"),
    "random": ("Another digit", "다른 숫자"),
    "use_own": ("Use my own digit", "내 숫자 쓰기"),
    "use_own_help": (
        "The digit from the 'Your own digit' page instead of a test digit.",
        "테스트 숫자 대신 '내가 쓴 숫자' 페이지에서 입력한 숫자를 씁니다.",
    ),
    "kind": ("Corruption", "손상 종류"),
    "kind_gaussian": ("Gaussian noise", "가우시안 잡음"),
    "kind_salt_pepper": ("Salt and pepper", "소금-후추 잡음"),
    "kind_square": ("Occluding square", "가리는 사각형"),
    "sigma": ("Noise σ", "잡음 σ"),
    "sigma_help": (
        "x̃ = clip(x + σ·ε, 0, 1), ε ~ N(0, I); pixel values run from 0 to 1.",
        "x̃ = clip(x + σ·ε, 0, 1), ε ~ N(0, I). 픽셀 값은 0에서 1 사이입니다.",
    ),
    "amount": ("Share of pixels replaced", "바뀌는 픽셀 비율"),
    "amount_help": (
        "Half of them become white (salt), half black (pepper).",
        "그중 절반은 흰색(소금), 절반은 검은색(후추)이 됩니다.",
    ),
    "side": ("Square side (pixels)", "사각형 한 변 (픽셀)"),
    "side_help": (
        "A white square over part of the digit, like a scratch or a sticker.",
        "긁힌 자국이나 스티커처럼 숫자 일부를 흰 사각형으로 가립니다.",
    ),
    "new_noise": ("New noise", "새 잡음"),
    "original": ("original x", "원본 x"),
    "corrupted": ("corrupted x̃", "손상된 x̃"),
    "reconstruction": ("reconstruction x̂", "재구성 x̂"),
    "d_corrupted": ("‖x̃ − x‖²", "‖x̃ − x‖²"),
    "d_corrupted_help": (
        "How far the corruption moved the image from the clean digit (sum of squared pixel "
        "differences).",
        "손상이 깨끗한 숫자에서 이미지를 얼마나 멀리 옮겼는지 (픽셀 차이 제곱의 합).",
    ),
    "d_recon": ("‖x̂ − x‖²", "‖x̂ − x‖²"),
    "d_recon_help": (
        "How far the model's reconstruction of x̃ is from the clean digit. Lower than "
        "‖x̃ − x‖² means the model removed noise.",
        "x̃ 를 재구성한 결과가 깨끗한 숫자에서 얼마나 먼지. ‖x̃ − x‖²보다 작으면 모델이 "
        "잡음을 걷어 낸 것입니다.",
    ),
    "d_clean": ("baseline ‖x̂(x) − x‖²", "기준선 ‖x̂(x) − x‖²"),
    "d_clean_help": (
        "The reconstruction error of the clean digit itself: the best the model can do.",
        "깨끗한 숫자 자체의 재구성 오차, 즉 모델이 낼 수 있는 최선입니다.",
    ),
    "classified": ("classifier: {digit} ({p:.0%})", "분류기: {digit} ({p:.0%})"),
    "strip_head": ("Increasing corruption", "손상을 점점 키우면"),
    "strip_caption": (
        "Top: the same digit with the same noise at growing strength ({levels}); bottom: the "
        "model's reconstructions. They all stay digit-shaped, because the decoder pulls every "
        "input back onto the manifold it learned, but not always onto the right digit.",
        "위: 같은 숫자에 같은 잡음을 점점 세게 ({levels}), 아래: 모델의 재구성. 디코더가 "
        "모든 입력을 학습한 매니폴드 위로 끌어오므로 재구성은 끝까지 숫자 모양이지만, 늘 "
        "맞는 숫자인 것은 아닙니다.",
    ),
    "accuracy": (
        "On {n:,} test digits spread over the test set (their noise drawn once, with a fixed "
        "seed), at this level the digit classifier reads the right digit in **{noisy:.0%}** "
        "of the corrupted x̃ and **{recon:.0%}** of the reconstructions x̂ ({clean:.0%} for "
        "reconstructions of clean digits).",
        "테스트 세트 전체에 고르게 퍼진 테스트 숫자 {n:,}개(잡음은 고정된 시드로 한 번만 "
        "뽑음)를 보면, 이 손상 수준에서 숫자 분류기가 손상된 x̃의 **{noisy:.0%}**, 재구성 "
        "x̂의 **{recon:.0%}를** 맞게 읽습니다(깨끗한 숫자의 재구성은 {clean:.0%}).",
    ),
    "accuracy_wait": (
        "Measuring the classifier's accuracy at this level on {n:,} test digits (once per model)…",
        "이 손상 수준에서 테스트 숫자 {n:,}개로 분류기 정확도를 재는 중(모델마다 한 번)…",
    ),
    "accuracy_lesson": (
        "A model that never saw noise does not purify: the encoder is fooled before the "
        "decoder can help. A **denoising autoencoder** is trained on corrupted inputs with the "
        "clean digits as targets (Vincent et al. 2008) and learns exactly this mapping.",
        "잡음을 본 적 없는 모델은 정화를 잘 하지 못합니다. 디코더가 돕기도 전에 인코더가 "
        "속기 때문입니다. **잡음 제거 오토인코더 (denoising autoencoder)는** 손상된 입력을 "
        "넣고 깨끗한 숫자를 목표로 학습해서 (Vincent et al. 2008) 바로 이 변환을 배웁니다.",
    ),
    "row_corrupted": ("corrupted x̃", "손상된 x̃"),
    "row_recon": ("reconstruction x̂", "재구성 x̂"),
    "level_gaussian": ("noise σ", "잡음 σ"),
    "level_salt_pepper": ("share of pixels replaced", "바뀐 픽셀 비율"),
    "level_square": ("square side (pixels)", "사각형 한 변 (픽셀)"),
    "distance": ("squared distance to the clean x", "깨끗한 x 까지의 제곱 거리"),
    "download": ("Download PNG", "PNG 내려받기"),
    "dae_head": (
        "Against a denoising autoencoder: the same corrupted digits",
        "잡음 제거 오토인코더와 비교: 같은 손상된 숫자",
    ),
    "dae_missing": (
        "The comparison needs the denoising autoencoder **{name}**, which cannot be used: {error}",
        "비교하려면 잡음 제거 오토인코더 **{name}** 모델이 필요하지만 쓸 수 없습니다: {error}",
    ),
    "dae_accuracy_axis": ("classifier reads the right digit", "분류기가 맞힌 비율"),
    "dae_why": (
        "A **denoising autoencoder** is trained on corrupted inputs x̃ (pixels blanked, "
        "Gaussian noise added) to give back the clean x: its randomness stops at the input, "
        "and its code z = f(x̃) is a point. A **VAE** sees only clean digits and moves the "
        "randomness into the code, z ~ q(z|x).",
        "**잡음 제거 오토인코더**는 손상된 입력 x̃(픽셀을 지우고 가우시안 잡음을 더함)를 받아 "
        "깨끗한 x를 돌려주도록 학습합니다. 그래서 랜덤성은 입력에서 멈추고, 잠재 코드 "
        "z = f(x̃)는 한 점입니다. **VAE**는 깨끗한 숫자만 보고, 랜덤성을 잠재 코드 "
        "z ~ q(z|x)로 옮깁니다.",
    ),
    "dae_better": (
        "Measured at this level on {n} test digits: the classifier reads the right digit in "
        "**{dae_acc:.0%}** of the {dae}'s purified digits and **{vae_acc:.0%}** of the "
        "{vae}'s (the corrupted digits: {noisy:.0%}).",
        "이 수준에서 테스트 숫자 {n}개로 측정하면, 분류기가 {dae} 모델이 복원한 숫자의 "
        "**{dae_acc:.0%}**, {vae} 모델이 복원한 숫자의 **{vae_acc:.0%}를** 맞힙니다(손상된 "
        "숫자는 {noisy:.0%}).",
    ),
    "dae_not_better": (
        "Measured at this level on {n} test digits: here the {dae} does not beat the {vae}: "
        "**{dae_acc:.0%}** of its purified digits are read right against **{vae_acc:.0%}** "
        "(the corrupted digits: {noisy:.0%}).",
        "이 수준에서 테스트 숫자 {n}개로 측정하면, 여기서는 {dae} 모델이 {vae} 모델보다 "
        "낫지 않습니다. 복원한 숫자를 맞힌 비율: **{dae_acc:.0%}** 대 **{vae_acc:.0%}**"
        "(손상된 숫자는 {noisy:.0%}).",
    ),
    "dae_only_b": (
        "**{right}** purifies into the right digit, **{wrong}** into a wrong one: {n} of {pool} "
        "digits.",
        "**{right}** 모델은 맞는 숫자로, **{wrong}** 모델은 틀린 숫자로 복원합니다: "
        "{pool}개 중 {n}개.",
    ),
    "dae_only_a": (
        "**{right}** right, **{wrong}** wrong: {n} of {pool} digits.",
        "**{right}** 모델은 맞고 **{wrong}** 모델은 틀립니다: {pool}개 중 {n}개.",
    ),
    "dae_rows": (
        "Rows: {rows}. Label: read in the two reconstructions: {reads}",
        "행: {rows}. 레이블: 두 재구성에서 읽은 숫자: {reads}",
    ),
    "dae_examples_wait": (
        "Looking for digits the two models purify differently ({n} digits)…",
        "두 모델이 다르게 복원하는 숫자를 찾는 중({n}개)…",
    ),
}
