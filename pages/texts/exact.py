"""Texts of the page "log p(x), exact in 2-D" (pages/exact.py)."""

CATALOG = {
    "title": ("log p(x), exact in 2-D", "정확한 log p(x) (2차원)"),
    "intro": (
        "The lecture's central identity, for any digit x and the encoder's **approximate "
        "posterior q(z|x)**:\n\n"
        "**log p(x) = E_q[log p(x|z)] − KL(q(z|x) ‖ p(z)) + KL(q(z|x) ‖ p(z|x))**\n\n"
        "The first two terms are the **ELBO** (evidence lower bound), what a VAE is trained "
        "to maximise; the third is the gap between the ELBO and log p(x), the KL divergence "
        "from q(z|x) to the **true posterior p(z|x)**. In general log p(x) = "
        "log ∫ p(x|z) p(z) dz cannot be computed, so the gap stays invisible. With a 2-D "
        "latent space the integral is a sum over a grid of z, and every term can be "
        "computed: here the third one too.\n\n"
        "p(x|z) is the decoder's Bernoulli likelihood on grey levels, log p(x|z) = "
        "Σ_pixels [x log x̂ + (1 − x) log(1 − x̂)] (the negative binary cross-entropy, not a "
        "squared error); p(z) = N(0, I).\n\n"
        "How exact: a coarse pass over [−6, 6]² finds where p(x, z) is, a finer pass zooms "
        "in, and the final grid's spacing is a fraction of the posterior's width. Every "
        "other point of that grid is a second grid with twice the spacing; the page shows "
        "how far apart the two answers are. The reconstruction term is a sum over q's own "
        "grid, the KL to the prior is in closed form, and the gap is computed twice: as "
        "log p(x) − ELBO, and directly as Σ q log(q / p(z|x)) on other points.\n\n"
        "Further down: the importance-weighted bound (IWAE) climbing to the exact value as "
        "the number of samples k grows, with samples from q(z|x) or from the prior p(z); "
        "Jensen's inequality on the same samples; and q optimised for this digit alone, "
        "whose ELBO rises above the encoder's (the amortization gap) but never above "
        "log p(x).\n\n"
        "The page opens on a typical digit where the gap is visible: among the first 100 "
        "test digits, those whose log p(x) lies between the 10th and 90th percentile and "
        "whose gap exceeds 2 nats, the one whose gap is nearest their median gap.",
        "강의에서 가장 강조한 항등식입니다. 어떤 숫자 x와 인코더의 **근사 사후 분포 "
        "q(z|x)에** 대해\n\n"
        "**log p(x) = E_q[log p(x|z)] − KL(q(z|x) ‖ p(z)) + KL(q(z|x) ‖ p(z|x))**\n\n"
        "앞의 두 항이 VAE가 학습에서 최대화하는 **증거 하한(ELBO)이고**, 세 번째 항은 "
        "ELBO와 log p(x)의 차이, 즉 q(z|x)에서 **실제 사후 분포 p(z|x)까지의** KL 발산입니다. "
        "일반적으로 log p(x) = log ∫ p(x|z) p(z) dz는 계산할 수 없어서 이 차이는 보이지 "
        "않습니다. 잠재 공간이 2차원이면 이 적분은 z 격자 위의 합이 되고, 모든 항을 계산할 "
        "수 있습니다. 여기서는 세 번째 항까지 계산합니다.\n\n"
        "p(x|z)는 회색조 픽셀에 대한 디코더의 베르누이 가능도로, log p(x|z) = "
        "Σ_픽셀 [x log x̂ + (1 − x) log(1 − x̂)]입니다(음의 이진 교차 엔트로피이며 제곱 "
        "오차가 아닙니다). p(z) = N(0, I)입니다.\n\n"
        "얼마나 정확한가: [−6, 6]²을 성기게 훑어 p(x, z)가 있는 곳을 찾고, 더 촘촘하게 "
        "확대한 뒤, 마지막 격자의 간격을 사후 분포 폭의 몇 분의 일로 잡습니다. 그 격자의 "
        "점을 하나 걸러 하나씩 쓰면 간격이 두 배인 두 번째 격자가 되며, 두 답의 차이를 "
        "페이지에 보여 줍니다. 재구성 항은 q 자신의 격자 위의 합이고, 사전 분포와의 KL 항은 "
        "닫힌 형식이며, 차이는 두 번 계산합니다. log p(x) − ELBO로 한 번, 다른 점들에서 "
        "Σ q log(q / p(z|x))로 직접 한 번입니다.\n\n"
        "아래에는 샘플 수 k가 커질수록 중요도 가중 하한(IWAE)이 정확한 값으로 올라가는 "
        "모습(q(z|x)에서 뽑은 샘플과 사전 분포 p(z)에서 뽑은 샘플), 같은 샘플로 본 옌센 "
        "부등식, 그리고 이 숫자 하나만을 위해 최적화한 q가 있습니다. 최적화한 q의 ELBO는 "
        "인코더의 ELBO보다 올라가지만(분할 상환 차이) log p(x)를 넘지는 않습니다.\n\n"
        "페이지는 차이가 잘 보이는 전형적인 숫자로 열립니다. 처음 100개의 테스트 숫자 중 "
        "log p(x)가 10번째와 90번째 백분위수 사이에 있고 차이가 2 nats보다 큰 숫자들 가운데, "
        "차이가 그 중앙값에 가장 가까운 숫자입니다.",
    ),
    "lede": (
        "log p(x) = E_q[log p(x|z)] − KL(q ‖ p(z)) + KL(q ‖ p(z|x)): in 2-D every term, "
        "the gap too, is a sum over a grid.",
        "log p(x) = E_q[log p(x|z)] − KL(q ‖ p(z)) + KL(q ‖ p(z|x)): 2차원에서는 차이 항까지 "
        "모든 항이 격자 위의 합입니다.",
    ),
    "no_vae": (
        "This page needs a VAE with a 2-D latent space; none is available.",
        "이 페이지에는 2차원 잠재 공간의 VAE가 필요한데, 사용할 수 있는 모델이 없습니다.",
    ),
    # the digit
    "use_own": ("Use my own digit", "내 숫자 쓰기"),
    "use_own_help": (
        "The digit drawn or uploaded on the 'Your own digit' page instead of a test digit.",
        "테스트 숫자 대신 '내가 쓴 숫자' 페이지에서 그리거나 올린 숫자를 씁니다.",
    ),
    "own_digit": ("your digit", "내 숫자"),
    "test_digit": ("test #{index} (a {label})", "테스트 #{index} (숫자 {label})"),
    "digit_caption": ("x: {what}", "x: {what}"),
    "recon_caption": ("decoded μ ({model})", "μ 디코딩 ({model})"),
    "default_note": (
        "Opened on test #{index}: of the first {n} test digits, the {kept} typical ones "
        "with a gap above 2 nats have a median gap of {median:.2f} nats, and #{index} is "
        "nearest to it.",
        "처음에는 테스트 #{index}로 엽니다. 처음 {n}개의 테스트 숫자 중 차이가 2 nats보다 "
        "큰 전형적인 숫자 {kept}개의 차이 중앙값은 {median:.2f} nats이고, #{index}가 그 값에 "
        "가장 가깝습니다.",
    ),
    "choosing": (
        "Choosing a typical digit for this model (once per model)…",
        "이 모델의 전형적인 숫자를 고르는 중입니다 (모델마다 한 번)…",
    ),
    "integrating": ("Integrating over the latent plane…", "잠재 평면 위에서 적분하는 중…"),
    "step_posterior": ("p(z|x) on the grid", "격자 위의 p(z|x)"),
    "step_terms": ("the three terms of log p(x)", "log p(x)의 세 항"),
    "sampling": (
        "Drawing importance samples and optimising q for this digit…",
        "중요도 샘플을 뽑고 이 숫자의 q를 최적화하는 중…",
    ),
    # posterior figure
    "post_title": ("True posterior p(z|x), {what}", "실제 사후 분포 p(z|x), {what}"),
    "colorbar": ("log₁₀ p(z|x)", "log₁₀ p(z|x)"),
    "density": ("log₁₀ p(z|x) = %{z:.2f}", "log₁₀ p(z|x) = %{z:.2f}"),
    "z1": ("z1", "z1"),
    "z2": ("z2", "z2"),
    "sigma1": ("q(z|x) 1σ", "q(z|x) 1σ"),
    "sigma2": ("q(z|x) 2σ", "q(z|x) 2σ"),
    "mu": ("μ of q(z|x)", "q(z|x)의 μ"),
    "mode": ("mode of p(z|x)", "p(z|x)의 최빈값"),
    "best": ("optimised q 1σ", "최적화한 q 1σ"),
    # three terms
    "terms_title": ("log p(x) in three terms (nats)", "세 항으로 나눈 log p(x) (nats)"),
    "t_recon": ("E_q[log p(x|z)]", "E_q[log p(x|z)]"),
    "t_kl": ("−KL(q ‖ p(z))", "−KL(q ‖ p(z))"),
    "t_elbo": ("ELBO", "ELBO(증거 하한)"),
    "t_gap": ("+KL(q ‖ p(z|x))", "+KL(q ‖ p(z|x))"),
    "t_log_px": ("log p(x)", "log p(x)"),
    "t_y": ("nats", "단위 nats"),
    "claim": (
        "For this digit the ELBO is **{gap:.2f} nats** below log p(x) = {log_px:.2f}. That "
        "gap is exactly KL(q(z|x) ‖ p(z|x)): summing q log(q / p(z|x)) over the plane "
        "directly gives {kl:.2f} nats, {diff:.3f} away.",
        "이 숫자에서 증거 하한(ELBO)은 log p(x) = {log_px:.2f}보다 **{gap:.2f} nats** "
        "낮습니다. 이 차이가 바로 KL(q(z|x) ‖ p(z|x))입니다. 평면 위에서 q log(q / p(z|x))를 "
        "직접 더하면 {kl:.2f} nats로, 차이는 {diff:.3f}입니다.",
    ),
    "grid_note": (
        "Grid {nx}×{ny}, spacing {hx:.4f} × {hy:.4f}: with twice the spacing log p(x) moves "
        "by {diff:.4f} nats; the grid's edge is {edge:.0f} nats below the peak. {decodes:,} "
        "decodes, {seconds:.2f} s.",
        "격자 {nx}×{ny}, 간격 {hx:.4f} × {hy:.4f}: 간격을 두 배로 하면 log p(x)가 "
        "{diff:.4f} nats 달라지고, 격자 가장자리는 최댓값보다 {edge:.0f} nats 낮습니다. "
        "디코딩 {decodes:,}번, {seconds:.2f}초.",
    ),
    # importance sampling
    "iwae_header": ("More samples: the IWAE bound", "샘플을 늘리면: IWAE 하한"),
    "proposal": ("draw z from", "z를 뽑는 분포"),
    "proposal_q": ("q(z|x), the encoder", "인코더의 q(z|x)"),
    "proposal_prior": ("p(z), the prior", "사전 분포 p(z)"),
    "proposal_help": (
        "Importance weights w = p(x|z) p(z) / r(z) for samples z ~ r: with r = q(z|x) the "
        "encoder points at where p(z|x) is; with r = p(z) almost every sample misses it.",
        "샘플 z ~ r의 중요도 가중치는 w = p(x|z) p(z) / r(z)입니다. r = q(z|x)이면 인코더가 "
        "p(z|x)가 있는 곳을 가리키고, r = p(z)이면 거의 모든 샘플이 그곳을 벗어납니다.",
    ),
    "iwae_title": (
        "L_k from {n:,} samples z ~ {proposal}",
        "샘플 {n:,}개로 구한 L_k, z ~ {proposal}",
    ),
    "iwae_x": ("k, samples per estimate (log scale)", "k, 추정 한 번에 쓰는 샘플 수 (로그 축)"),
    "iwae_y": ("L_k (nats)", "L_k (단위 nats)"),
    "iwae_mean": ("mean ± 1 std", "평균 ± 1 표준편차"),
    "exact": ("exact log p(x)", "정확한 log p(x)"),
    "elbo_line": ("encoder's ELBO", "인코더의 ELBO"),
    "iwae_note": (
        "L_k − log p(x), in nats: with k = 10 samples from q(z|x) **{q10:+.2f}**, from the "
        "prior **{p10:+.1f}**; with k = {k_big:,}, {q_big:+.2f} and {p_big:+.2f}. The prior "
        "puts almost no samples where p(z|x) is: that is why a VAE has an encoder. (The "
        "bound holds for the mean over draws; one estimate decided by a few lucky samples "
        "can land above log p(x).)",
        "L_k − log p(x)(nats): k = 10일 때 q(z|x)에서 뽑으면 **{q10:+.2f}**, 사전 분포에서 "
        "뽑으면 **{p10:+.1f}**, k = {k_big:,}일 때 {q_big:+.2f}와 {p_big:+.2f}입니다. 사전 "
        "분포의 샘플은 p(z|x)가 있는 곳에 거의 떨어지지 않습니다. VAE에 인코더가 있는 "
        "이유입니다. (하한은 여러 번 뽑은 평균에 대해 성립합니다. 운 좋은 샘플 몇 개가 "
        "좌우하는 한 번의 추정값은 log p(x)보다 클 수도 있습니다.)",
    ),
    "jensen": (
        "**Jensen, on the same {n:,} samples z ~ {proposal}:** the mean of log w is "
        "{mean_log:.2f} nats (with q: an estimate of the ELBO, {elbo:.2f}); the log of the "
        "mean of w is {log_mean:.2f} (an estimate of log p(x), {log_px:.2f}). log is "
        "concave, so log(mean w) ≥ mean(log w), here by {diff:.2f} nats.",
        "**같은 샘플 {n:,}개(z ~ {proposal})로 본 옌센 부등식:** log w의 평균은 "
        "{mean_log:.2f} nats(q일 때 ELBO {elbo:.2f}의 추정값), w의 평균의 log는 "
        "{log_mean:.2f}(log p(x) {log_px:.2f}의 추정값)입니다. log는 오목 함수이므로 "
        "log(w의 평균) ≥ (log w의 평균)이고, 여기서는 {diff:.2f} nats 차이입니다.",
    ),
    # optimising q
    "opt_header": ("Optimise q for this digit alone", "이 숫자 하나만을 위해 q 최적화"),
    "opt_title": (
        "ELBO while Adam optimises (μ, log σ²), {steps} steps",
        "Adam으로 (μ, log σ²)를 최적화하는 동안의 ELBO, {steps}단계",
    ),
    "opt_x": ("Adam step (log scale)", "Adam 단계 (로그 축)"),
    "opt_y": ("ELBO (nats)", "ELBO (단위 nats)"),
    "run_encoder": ("start: the encoder's q(z|x)", "시작: 인코더의 q(z|x)"),
    "run_mode": ("start: the mode of p(z|x)", "시작: p(z|x)의 최빈값"),
    "opt_note": (
        "The encoder's q gives ELBO {enc:.2f}; q fitted to this digit alone reaches "
        "{best:.2f}. The **amortization gap**, {amort:.2f} nats, is the price of one "
        "encoder for all digits. The rest, **{approx:.2f} nats**, is the approximation "
        "gap: no Gaussian q fits p(z|x) better. No step went above log p(x) = {log_px:.2f} "
        "(highest: {highest:.2f}).",
        "인코더의 q는 ELBO {enc:.2f}이고, 이 숫자 하나에 맞춘 q는 {best:.2f}에 이릅니다. "
        "**분할 상환 차이(amortization gap)는** {amort:.2f} nats로, 모든 숫자에 인코더 "
        "하나를 쓰는 대가입니다. 나머지 **{approx:.2f} nats는** 근사 차이(approximation "
        "gap)로, 어떤 가우시안 q도 p(z|x)에 이보다 더 잘 맞을 수 없습니다. 어느 단계도 "
        "log p(x) = {log_px:.2f}를 넘지 않았습니다(최고 {highest:.2f}).",
    ),
    "opt_local": (
        "Started from the encoder's guess, Adam stops at {enc_end:.2f}, {diff:.2f} nats "
        "short of the start at the posterior's mode: a local optimum, p(z|x) has more than "
        "one mode.",
        "인코더의 추정에서 시작한 Adam은 {enc_end:.2f}에서 멈춰, p(z|x)의 최빈값에서 시작한 "
        "경우보다 {diff:.2f} nats 낮습니다. 지역 최적점입니다. p(z|x)에 봉우리가 둘 이상 "
        "있습니다.",
    ),
    "opt_caption": (
        "Adam, learning rate {lr} (cosine decay), {samples} reparameterised samples "
        "z = μ + σ·ε per step, seed {seed}; the ELBO at the marked steps by quadrature on "
        "q. {seconds:.1f} s with the importance samples.",
        "Adam, 학습률 {lr} (코사인 감소), 단계마다 재매개변수화 샘플 z = μ + σ·ε {samples}개, "
        "시드 {seed}. 표시한 단계의 ELBO는 q 위의 수치 적분으로 구했습니다. 중요도 샘플과 "
        "합쳐 {seconds:.1f}초.",
    ),
}
