"""Text of the anomaly detection page (pages/anomaly.py)."""

CATALOG = {
    "title": ("Anomaly detection", "이상 탐지"),
    "intro": (
        "Train on clean data only; then a **defect shows as a large distance between x and "
        "its reconstruction x̂**: the **decoder p(x|z)** can only draw what it learned. Each "
        "image gets a score, high = unusual. Below, the test digits' scores against "
        "out-of-distribution (OOD) images the model never saw: pick a threshold and read "
        "how well it separates them.",
        "깨끗한 데이터로만 학습하면, **결함은 입력 x와 재구성 x̂ 사이의 큰 거리로 "
        "드러납니다**. **디코더 p(x|z)는** 학습한 것만 그릴 수 있기 때문입니다. 이미지마다 "
        "점수를 매기고, 점수가 높을수록 특이한 것으로 봅니다. 아래에서 테스트 숫자의 점수를 "
        "모델이 본 적 없는 분포 밖(OOD) 이미지의 점수와 비교하고, 임계값을 정해 얼마나 잘 "
        "가려내는지 확인해 보세요.",
    ),
    "lede": (
        "A model trained on digits only redraws digits: a large distance between **x** and "
        "its reconstruction **x̂** flags an image it never learned.",
        "숫자로만 학습한 모델은 숫자만 다시 그립니다. **x**와 재구성 **x̂** 사이의 거리가 "
        "크면 학습하지 않은 이미지로 판정합니다.",
    ),
    "m_flagged_line": (
        "{share:.1%} of all shown images are above the threshold.",
        "보이는 전체 이미지 중 {share:.1%}가 임계값을 넘습니다.",
    ),
    "score": ("Anomaly score", "이상 점수"),
    "score_help": (
        "Squared error and −log p(x|z) both measure the reconstruction x̂ = decoder(mean of "
        "q(z|x)). The decoder's likelihood p(x|z) is Bernoulli on grey levels: −log p(x|z) = "
        "−Σ [x log x̂ + (1 − x) log(1 − x̂)], a binary cross-entropy, which like ‖x − x̂‖² is "
        "smallest at x̂ = x but punishes a confident wrong pixel far more. −ELBO adds the KL "
        "term: −ELBO = −log p(x|z) + KL(q(z|x) ‖ p(z)), an upper bound on −log p(x).",
        "제곱 오차와 −log p(x|z)는 둘 다 입력 x와 재구성 x̂ = 디코더(q(z|x)의 평균)의 차이를 "
        "측정합니다. 디코더의 가능도 p(x|z)는 회색조 픽셀에 대한 베르누이 분포입니다: "
        "−log p(x|z) = −Σ [x log x̂ + (1 − x) log(1 − x̂)]. 이 이진 교차 엔트로피는 "
        "‖x − x̂‖²처럼 x̂ = x에서 가장 작지만, 확신에 찬 틀린 픽셀을 훨씬 크게 벌합니다. "
        "−ELBO는 여기에 KL 항을 더합니다: −ELBO = −log p(x|z) + KL(q(z|x) ‖ p(z)), "
        "−log p(x)의 상한입니다.",
    ),
    "score_recon_error": ("squared error ‖x − x̂‖²", "제곱 오차 ‖x − x̂‖²"),
    "score_bce": ("reconstruction −log p(x|z)", "재구성 손실 −log p(x|z)"),
    "score_neg_elbo": ("−ELBO", "−ELBO (음의 증거 하한)"),
    "sets": ("OOD sets", "OOD 집합"),
    "sets_help": (
        "Images made from the test digits (500 each): uniform noise, inverted digits, digits "
        "turned 90°, capital letters, blank images, digits with a white square over them.",
        "테스트 숫자로 만든 이미지입니다 (집합마다 500장): 균일 잡음, 흑백을 뒤집은 숫자, "
        "90° 돌린 숫자, 영어 대문자, 빈 이미지, 흰 사각형으로 일부를 가린 숫자.",
    ),
    "set_noise": ("noise", "잡음"),
    "set_inverted": ("inverted", "반전"),
    "set_rotated": ("rotated 90°", "90° 회전"),
    "set_letters": ("letters", "영문 대문자"),
    "set_blank": ("blank", "빈 이미지"),
    "set_occluded": ("occluded", "가림"),
    "test_digits": ("test digits (normal)", "테스트 숫자 (정상)"),
    "threshold": (
        "Threshold: percentile of the test digits' scores",
        "임계값: 테스트 숫자 점수의 백분위수",
    ),
    "threshold_help": (
        "Flag an image as anomalous when its score is above this percentile of the clean "
        "test digits. At 95, about 5% of clean digits are flagged (false alarms).",
        "점수가 깨끗한 테스트 숫자 점수의 이 백분위수보다 크면 이상으로 판정합니다. 95이면 "
        "깨끗한 숫자의 약 5% 가 잘못 걸립니다 (오경보).",
    ),
    "threshold_line": ("threshold", "임계값"),
    "own_line": ("your digit", "내 숫자"),
    "hist_x": ("{score} (log scale)", "{score} (로그 눈금)"),
    "hist_y": ("share of each set", "집합별 비율"),
    "pick_a_set": (
        "Pick at least one OOD set to measure precision and recall.",
        "정밀도와 재현율을 보려면 OOD 집합을 하나 이상 고르세요.",
    ),
    "m_threshold": ("threshold", "임계값"),
    "m_threshold_help": (
        "The score above which an image is flagged.",
        "이 점수보다 크면 이상으로 판정합니다.",
    ),
    "m_precision": ("precision", "정밀도"),
    "m_precision_help": (
        "Of the flagged images, the share that really are OOD. Depends on the mix: here "
        "{n_test} test digits and {n_ood} OOD images.",
        "이상으로 판정한 이미지 중 실제로 OOD인 비율입니다. 섞인 비율에 따라 달라지며, "
        "여기서는 테스트 숫자 {n_test}장과 OOD 이미지 {n_ood}장입니다.",
    ),
    "m_recall": ("recall", "재현율"),
    "m_recall_help": (
        "Of the OOD images, the share that is flagged.",
        "OOD 이미지 중 이상으로 판정된 비율입니다.",
    ),
    "m_false_alarms": ("false alarms", "오경보"),
    "m_false_alarms_help": (
        "Of the clean test digits, the share that is flagged.",
        "깨끗한 테스트 숫자 중 이상으로 잘못 판정된 비율입니다.",
    ),
    "own_result": (
        "**Your digit** scores {value:.1f}: more unusual than {pct:.0f}% of the test digits, "
        "so at this threshold it is **{verdict}**.",
        "**내 숫자**의 점수는 {value:.1f}로, 테스트 숫자의 {pct:.0f}% 보다 특이합니다. "
        "이 임계값에서는 **{verdict}**.",
    ),
    "flagged": ("flagged as anomalous", "이상으로 판정됩니다"),
    "not_flagged": ("accepted as a normal digit", "정상 숫자로 받아들여집니다"),
    "own_missing": (
        "Draw your own digit to see where it falls on this axis",
        "내 숫자를 그려 보면 이 축의 어디에 놓이는지 볼 수 있습니다",
    ),
    "auc_head": ("ROC AUC per OOD set and score", "OOD 집합과 점수별 ROC AUC"),
    "auc_caption": (
        "1.0 = every OOD image scores above every test digit, 0.5 = chance, below 0.5 = the "
        "OOD set scores *lower* than real digits (in red).",
        "1.0은 모든 OOD 이미지가 모든 테스트 숫자보다 점수가 높다는 뜻이고, 0.5는 우연 "
        "수준, 0.5보다 작으면 OOD 집합이 실제 숫자보다 점수가 *낮다* 는 뜻입니다 (빨간색).",
    ),
    "auc_set": ("OOD set", "OOD 집합"),
    "blank_lesson": (
        "**Blank images look *more* normal than real digits** (AUC {auc:.2f} with {score}). "
        "An empty image is easy to reconstruct and has high likelihood, although no digit "
        "looks like it. Likelihood-based detectors share this failure: Nalisnick et al. "
        "(2019), *Do deep generative models know what they don't know?* A low score means "
        '"easy to model", not "in the training distribution".',
        "**빈 이미지가 실제 숫자보다 *더* 정상으로 보입니다** ({score} 기준 AUC {auc:.2f}). "
        "빈 이미지는 재구성하기 쉽고 우도가 높지만, 어떤 숫자와도 닮지 않았습니다. 우도 "
        "기반 탐지기의 잘 알려진 실패 사례입니다: Nalisnick et al. (2019), *Do deep "
        "generative models know what they don't know?* 점수가 낮다는 것은 \"모델링하기 "
        '쉽다" 는 뜻이지 "학습 분포 안에 있다" 는 뜻이 아닙니다.',
    ),
    "blank_lesson_bce": (
        "With {score}, blank images reach AUC {auc:.2f}, close to chance. With the likelihood "
        "score −log p(x|z) they reach {bce:.2f}: **they look *more* normal than real "
        "digits**. An empty image is easy to model, although no digit looks like it; "
        "likelihood-based detectors share this failure (Nalisnick et al. 2019, *Do deep "
        "generative models know what they don't know?*).",
        "{score} 기준으로 빈 이미지의 AUC는 {auc:.2f}로 우연 수준에 가깝습니다. 우도 "
        "점수 −log p(x|z)로 보면 {bce:.2f}로, **실제 숫자보다 *더* 정상으로 보입니다**. "
        "빈 이미지는 어떤 숫자와도 닮지 않았지만 모델링하기는 쉽습니다. 우도 기반 탐지기의 "
        "잘 알려진 실패 사례입니다 (Nalisnick et al. 2019, *Do deep generative models know "
        "what they don't know?*).",
    ),
    "examples_head": ("Examples and their reconstructions", "예시와 재구성"),
    "row_input": ("input x", "입력 x"),
    "row_recon": ("reconstruction x̂", "재구성 x̂"),
    "examples_caption": (
        "Top: inputs; bottom: the model's reconstructions. The decoder draws digit-like "
        "shapes whatever comes in, so unusual inputs are far from their reconstruction.",
        "위: 입력, 아래: 모델의 재구성. 디코더는 무엇이 들어오든 숫자 비슷한 모양을 그리므로, "
        "특이한 입력일수록 재구성과 멀어집니다.",
    ),
    "computing": (
        "Scoring the test digits and the OOD sets (once per model)…",
        "테스트 숫자와 OOD 집합의 점수를 계산하는 중 (모델마다 한 번)…",
    ),
    "held_head": ("A digit the model never saw", "모델이 본 적 없는 숫자"),
    "held_missing": (
        "This part needs the model **{name}**, trained without one digit class; it cannot be "
        "used: {error}",
        "이 부분에는 숫자 클래스 하나를 빼고 학습한 **{name}** 모델이 필요하지만 쓸 수 "
        "없습니다: {error}",
    ),
    "held_not_held_out": (
        "its training set left no class out",
        "학습 세트에서 뺀 클래스가 없습니다",
    ),
    "held_seen": ("test digits of the classes it saw", "학습에서 본 클래스의 테스트 숫자"),
    "held_unseen": ("test digits {digits}, never seen", "본 적 없는 테스트 숫자 {digits}"),
    "held_auc": ("ROC AUC, {name}", "ROC AUC, {name}"),
    "held_auc_help": (
        "How well the score tells the test digits {digits} from the other test digits: 1 "
        "perfect, 0.5 chance.",
        "이 점수로 본 적 없는 테스트 숫자({digits})를 나머지 테스트 숫자와 얼마나 잘 "
        "구별하는지입니다. "
        "1이면 완벽하고 0.5면 우연 수준입니다.",
    ),
    "held_claim": (
        "**Novelty that is real.** {held} was trained on every digit except {digits}; by "
        "{score} it tells the {digits}s from the other test digits with ROC AUC **{auc:.3f}**. "
        "{full}, which saw {digits}s in training, scores the same split at {auc_full:.3f}: "
        "the gap is what never seeing a class does.",
        "**진짜 새로움.** {held} 모델은 학습에서 숫자 하나를 뺐습니다(뺀 숫자: {digits}). "
        "{score} 기준으로 이 모델은 본 적 없는 숫자를 다른 테스트 숫자와 ROC AUC "
        "**{auc:.3f}**로 구별합니다. 학습에서 모든 숫자를 본 {full} 모델은 같은 구분에서 "
        "{auc_full:.3f}입니다. 그 차이가 한 클래스를 본 적 없다는 것의 효과입니다.",
    ),
    "held_claim_fails": (
        "Measured: {held}, trained without {digits}, scores the {digits}s at ROC AUC {auc:.3f} "
        "by {score}, no better than {full} ({auc_full:.3f}), which saw them.",
        "측정 결과, 학습에서 숫자 하나를 뺀(뺀 숫자: {digits}) {held} 모델의 ROC AUC는 "
        "{score} 기준 {auc:.3f}로, 모든 숫자를 본 {full} 모델({auc_full:.3f})보다 낫지 "
        "않습니다.",
    ),
    "held_synthetic": (
        "The sets above are made by hand (noise, letters, ...); this one is real digits of a "
        "class left out of training, scored by the same rule.",
        "위의 집합들은 손으로 만든 것(잡음, 영문 대문자 등)이고, 이것은 학습에서 뺀 "
        "클래스의 실제 숫자를 같은 규칙으로 점수 매긴 것입니다.",
    ),
}
