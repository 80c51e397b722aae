"""Texts of the page "ELBO vs IWAE" (pages/iwae.py)."""

CATALOG = {
    "title": (
        "ELBO vs IWAE: a tighter bound on log p(x)",
        "ELBO와 IWAE: log p(x)에 더 가까운 하한",
    ),
    "intro": (
        "We cannot compute log p(x) = log ∫ p(x|z) p(z) dz exactly, but samples from the "
        "**encoder q(z|x)** give lower bounds on it. With importance weights "
        "**w_i = p(x|z_i) p(z_i) / q(z_i|x)**, the importance-weighted bound (IWAE, Burda "
        "et al. 2015) is **L_k = E[log (1/k) Σ_i w_i]**.",
        "log p(x) = log ∫ p(x|z) p(z) dz는 정확히 계산할 수 없지만, **인코더**의 근사 사후 "
        "분포 **q(z|x)에서** 뽑은 샘플로 그 하한을 구할 수 있습니다. 중요도 가중치 "
        "**w_i = p(x|z_i) p(z_i) / q(z_i|x)를** 쓰면 중요도 가중 하한(IWAE, Burda et al. "
        "2015)은 **L_k = E[log (1/k) Σ_i w_i]입니다**.",
    ),
    "lede": (
        "k = 1 is the ELBO; with more importance samples k the bound climbs towards log p(x).",
        "k = 1이면 증거 하한(ELBO)이고, 중요도 샘플 수 k를 늘릴수록 하한이 log p(x)에 다가갑니다.",
    ),
    "explain": (
        "**k = 1 is the ELBO.** Averaging k importance weights *inside* the log gives a "
        "tighter bound, which approaches log p(x) as k → ∞; so −L_k falls towards −log p(x). "
        "The gap between the ELBO and log p(x) is exactly **KL(q(z|x) || p(z|x))**: how far "
        "the encoder's Gaussian is from the true posterior.",
        "**k = 1이면 ELBO입니다.** 중요도 가중치 k개를 log *안에서* 평균하면 log p(x)에 더 "
        "가까운(더 타이트한) 하한이 되고, k → ∞이면 log p(x)에 다가갑니다. 그래서 −L_k는 "
        "−log p(x)를 향해 내려갑니다. ELBO와 log p(x)의 차이는 정확히 "
        "**KL(q(z|x) || p(z|x))**, 즉 인코더의 가우시안(근사 사후 분포 q(z|x))이 실제 사후 "
        "분포 p(z|x)와 얼마나 다른지입니다.",
    ),
    "no_vae": (
        "No VAE checkpoint is available for this page.",
        "이 페이지에 쓸 VAE 체크포인트가 없습니다.",
    ),
    "seed": ("seed", "시드"),
    "new_seed": ("New draws", "새로 뽑기"),
    "big_k": ("include k = 5000", "k = 5000 포함"),
    "big_k_help": (
        "5 repetitions of 5000 samples each: the slowest row (its time is in the table), "
        "computed once per digit and seed, then cached.",
        "샘플 5000개를 5번 반복하는, 가장 오래 걸리는 행입니다(시간은 표에 있습니다). "
        "숫자와 시드마다 한 번만 계산하고 그다음부터는 캐시를 씁니다.",
    ),
    "computing_big": ("Larger k:", "더 큰 k:"),
    "step_big": ("drawing k = {ks} importance samples…", "k = {ks}에 대한 중요도 샘플을 뽑는 중…"),
    "step_exact": (
        "integrating p(x|z) p(z) over the latent plane…",
        "잠재 평면에서 p(x|z) p(z)를 적분하는 중…",
    ),
    "digit_caption": ("test #{index} (a {label})", "테스트 #{index} (숫자 {label})"),
    "recon_caption": ("decoded μ ({model})", "μ 디코딩 ({model})"),
    "fig_title": (
        "−L_k for test digit #{index}: mean ± 1 std over repetitions",
        "테스트 숫자 #{index}의 −L_k: 반복 평균 ± 1 표준편차",
    ),
    "x_title": (
        "k, importance samples per estimate (log scale)",
        "k, 추정 한 번에 쓰는 중요도 샘플 수 (로그 축)",
    ),
    "y_title": ("−L_k (nats)", "−L_k (단위 nats)"),
    "runs": ("one repetition", "반복 1회"),
    "mean": ("mean over repetitions", "반복 평균"),
    "elbo": ("−ELBO (closed-form KL)", "−ELBO (KL 닫힌 형식)"),
    "col_k": ("k", "k"),
    "col_repeats": ("repetitions", "반복 횟수"),
    "col_mean": ("mean −L_k (nats)", "−L_k 평균 (nats)"),
    "col_std": ("spread (std)", "퍼짐 (표준편차)"),
    "col_gain": ("below −L_1 (nats)", "−L_1보다 낮은 정도 (nats)"),
    "col_seconds": ("time (s)", "시간 (초)"),
    "metric_elbo": ("−ELBO", "−ELBO (음의 증거 하한)"),
    "metric_elbo_help": (
        "Reconstruction E_q[−log p(x|z)] (1000 samples) + closed-form KL(q(z|x) || p(z)).",
        "재구성 E_q[−log p(x|z)] (샘플 1000개) + 닫힌 형식 KL(q(z|x) || p(z)).",
    ),
    "metric_best": ("best bound −L_{k}", "가장 좋은 하한 −L_{k}"),
    "metric_gain": ("tightened by k = {k}", "k = {k}까지 줄어든 양"),
    "metric_gain_help": (
        "−ELBO minus the largest-k bound: how much the k samples tightened the bound. The "
        "true gap KL(q(z|x) ‖ p(z|x)) between −ELBO and −log p(x) is at least this much.",
        "−ELBO에서 가장 큰 k의 하한을 뺀 값, 곧 k개의 샘플이 하한을 조인 양입니다. "
        "−ELBO와 −log p(x) 사이의 실제 차이 KL(q(z|x) ‖ p(z|x))는 적어도 이만큼입니다.",
    ),
    "exact": ("exact −log p(x)", "정확한 −log p(x)"),
    "exact_note": (
        "2-D model: −log p(x) = {exact:.2f} nats exactly, by quadrature over the latent "
        "plane. The true gap KL(q ‖ p(z|x)) is {gap:.2f} nats; the largest k leaves "
        "{left:.2f} of it.",
        "2차원 모델: 잠재 평면 위의 수치 적분으로 구한 정확한 −log p(x)는 {exact:.2f} "
        "nats입니다. 실제 차이 KL(q ‖ p(z|x))는 {gap:.2f} nats이고, 가장 큰 k에서도 "
        "{left:.2f} nats가 남습니다.",
    ),
    "choosing": (
        "Choosing a typical digit on which the bound visibly tightens (once per model)...",
        "하한이 눈에 띄게 조여지는 전형적인 숫자를 고르는 중입니다 (모델마다 한 번)...",
    ),
    "table_caption": (
        "Model **{model}**, seed {seed}, computed in {seconds:.1f} s. Each repetition draws "
        "its own k samples z_i ~ q(z|x). The spread usually shrinks as k grows; where it "
        "stays wide, a few rare but very large weights dominate, a sign that q(z|x) misses "
        "part of the true posterior.",
        "모델 **{model}**, 시드 {seed}, 계산 시간 {seconds:.1f}초. 반복마다 샘플 "
        "z_i ~ q(z|x)를 k개씩 새로 뽑습니다. 보통 k가 커질수록 퍼짐이 줄어듭니다. 퍼짐이 "
        "계속 크다면 드물지만 아주 큰 가중치 몇 개가 결과를 좌우한다는 뜻이고, 근사 사후 "
        "분포 q(z|x)가 실제 사후 분포의 일부를 놓치고 있다는 신호입니다.",
    ),
}
