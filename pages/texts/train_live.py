"""Text of the live-training page (pages/train_live.py)."""

CATALOG = {
    "title": ("Train live", "실시간 학습"),
    "intro": (
        "Press **Start** and a fresh, randomly initialised model trains on MNIST on this "
        "machine, in its own process. Every half second the page shows what it has become: "
        "where it puts 1,000 fixed test digits (its latent map), its two loss terms step by "
        "step, what its decoder draws from 16 prior samples z ~ N(0, I) and over a grid "
        "spanning the map. Before training the prior decodes to noise; after a few hundred "
        "steps, to digits.\n\n"
        "The run belongs to the server, not to your tab: everyone who opens this page sees the "
        "same run, and closing a tab does not stop it. Only whoever started it (or whoever "
        "entered the lecturer's key) can pause or stop it. One run trains at a time. **Save "
        "as checkpoint** keeps the model with its recorded history: it then appears in every "
        "page's model picker, and the training replay plays its history.\n\n"
        "With more than two latent dimensions the map shows the codes' first two principal "
        "axes (PCA), fitted again at every frame.",
        "**시작**을 누르면 무작위로 초기화된 새 모델이 이 컴퓨터에서, 별도 프로세스로 MNIST를 "
        "학습합니다. 페이지는 0.5초마다 모델의 지금 모습을 보여 줍니다. 고정된 테스트 숫자 "
        "1,000개를 어디에 두는지(잠재 공간 지도), 손실의 두 항이 스텝마다 어떻게 변하는지, "
        "사전 분포에서 뽑은 z ~ N(0, I) 16개와 지도를 덮는 격자를 디코더가 어떻게 그리는지입니다. "
        "학습 전에는 사전 분포를 디코딩하면 잡음이 나오고, 수백 스텝 뒤에는 숫자가 나옵니다.\n\n"
        "학습은 브라우저 탭이 아니라 서버에 속합니다. 이 페이지를 연 사람은 모두 같은 학습을 "
        "보며, 탭을 닫아도 학습은 멈추지 않습니다. 시작한 사람(또는 강의자 키를 입력한 사람)만 "
        "일시정지하거나 중지할 수 있습니다. 한 번에 하나만 학습합니다. **체크포인트로 저장**하면 "
        "기록된 학습 과정과 함께 모델이 남습니다. 저장한 모델은 모든 페이지의 모델 선택에 "
        "나타나고, 학습 과정 다시 보기 페이지에서 재생할 수 있습니다.\n\n"
        "잠재 공간이 2차원보다 크면, 지도는 매 프레임마다 다시 맞춘 잠재 코드의 처음 두 "
        "주성분(PCA) 축을 보여 줍니다.",
    ),
    "lede": (
        "Press **Start**: a VAE learns MNIST in front of you, and its latent space organises "
        "itself.",
        "**시작**을 누르면 VAE가 눈앞에서 MNIST를 학습하고, 잠재 공간이 스스로 정리됩니다.",
    ),
    # settings
    "settings": ("Settings: {summary}", "설정: {summary}"),
    "summary": (
        "{kind} · {dim}-D{beta} · {n:,} digits · lr {lr:g} · {epochs} ep.",
        "{kind} · {dim}차원{beta} · 숫자 {n:,}개 · 학습률 {lr:g} · {epochs} 에포크",
    ),
    "kind": ("Model", "모델"),
    "kind_vae": ("VAE", "VAE"),
    "kind_ae": ("plain autoencoder", "일반 오토인코더"),
    "dim": ("Latent size", "잠재 공간 차원"),
    "dim_help": (
        "2 draws the codes themselves; more draws their first two principal axes.",
        "2이면 잠재 코드를 그대로 그리고, 더 크면 처음 두 주성분 축을 그립니다.",
    ),
    "beta": ("β (weight of the KL term)", "β (KL 항의 가중치)"),
    "beta_help": (
        "1 is the VAE's own loss; larger pulls the codes towards the prior.",
        "1이 VAE 본래의 손실입니다. 클수록 잠재 코드를 사전 분포 쪽으로 끌어당깁니다.",
    ),
    "train_size": ("Training digits", "학습에 쓸 숫자 수"),
    "lr": ("Learning rate", "학습률"),
    "lr_help": (
        "Adam's step size. Too large and the loss diverges: the run then stops itself.",
        "Adam의 보폭입니다. 너무 크면 손실이 발산하고, 그러면 학습이 스스로 멈춥니다.",
    ),
    "epochs": ("Epochs", "에포크"),
    "key": ("Lecturer key", "강의자 키"),
    "key_help": (
        "This app keeps Start for the lecturer: enter the key from .streamlit/secrets.toml once.",
        "이 앱은 시작 버튼을 강의자에게만 허용합니다. .streamlit/secrets.toml의 키를 한 번 "
        "입력하세요.",
    ),
    "key_wrong": ("That is not the lecturer key.", "강의자 키가 맞지 않습니다."),
    "key_needed": (
        "Only the lecturer can start a run here: enter the lecturer key first.",
        "여기서는 강의자만 학습을 시작할 수 있습니다. 먼저 강의자 키를 입력하세요.",
    ),
    # buttons
    "start": ("Start", "시작"),
    "press_start": ("Press Start", "시작을 누르세요"),
    "pause": ("Pause", "일시정지"),
    "resume": ("Resume", "계속"),
    "stop": ("Stop", "중지"),
    "start_busy": (
        "A run is training: you are watching it. Start is free again when it ends.",
        "학습이 진행 중이라 지금은 그 학습을 보고 있습니다. 학습이 끝나면 다시 시작할 수 있습니다.",
    ),
    "not_owner": (
        "Only whoever started this run can pause or stop it.",
        "이 학습을 시작한 사람만 일시정지하거나 중지할 수 있습니다.",
    ),
    "busy": (
        "A run is already training on this machine: you are now watching it.",
        "이 컴퓨터에서 이미 학습이 진행 중입니다. 지금은 그 학습을 보고 있습니다.",
    ),
    "no_run": ("No run is training.", "진행 중인 학습이 없습니다."),
    "refused": ("Nothing was started: {why}", "시작하지 않았습니다: {why}"),
    # settings problems (explorer.live.problems)
    "bad_kind": (
        "a live run trains a VAE or a plain autoencoder",
        "실시간 학습은 VAE나 일반 오토인코더만 학습합니다",
    ),
    "bad_latent_dim": (
        "the latent size must be from {lo} to {hi}",
        "잠재 공간 차원은 {lo}에서 {hi} 사이여야 합니다",
    ),
    "bad_beta": ("β must be from {lo} to {hi}", "β는 {lo}에서 {hi} 사이여야 합니다"),
    "bad_train_size": (
        "the training set must hold {lo:,} to {hi:,} digits",
        "학습 숫자는 {lo:,}개에서 {hi:,}개 사이여야 합니다",
    ),
    "bad_too_few": (
        "only {available:,} training digits are available here (no MNIST)",
        "여기에는 학습 숫자가 {available:,}개뿐입니다(MNIST 없음)",
    ),
    "bad_lr": (
        "the learning rate must be from {lo:g} to {hi:g}",
        "학습률은 {lo:g}에서 {hi:g} 사이여야 합니다",
    ),
    "bad_epochs": ("epochs must be from {lo} to {hi}", "에포크는 {lo}에서 {hi} 사이여야 합니다"),
    # status
    "state_none": (
        "No run yet. Pick the settings and press **Start**: the first frame appears within "
        "seconds.",
        "아직 학습이 없습니다. 설정을 고르고 **시작**을 누르세요. 몇 초 안에 첫 프레임이 "
        "나타납니다.",
    ),
    "state_starting": ("Starting: loading the digits…", "시작하는 중: 숫자를 불러오고 있습니다…"),
    "state_training": ("Training", "학습 중"),
    "state_paused": ("Paused", "일시정지됨"),
    "state_finished": ("Finished", "끝남"),
    "state_stopped": ("Stopped", "중지됨"),
    "state_diverged": (
        "Diverged: the loss stopped being a number ({message}), so the run stopped itself. "
        "Try a smaller learning rate.",
        "발산: 손실이 더 이상 수가 아니어서({message}) 학습이 스스로 멈췄습니다. 더 작은 "
        "학습률로 해 보세요.",
    ),
    "state_failed": ("The run failed: {message}", "학습이 실패했습니다: {message}"),
    "state_died": (
        "The training process ended without finishing (it was killed?). What it recorded "
        "up to step {step:,} is below; its last weights can still be saved.",
        "학습 프로세스가 학습을 마치지 못하고 종료되었습니다(강제 종료?). 스텝 {step:,}까지 기록한 "
        "내용은 아래에 있고, 마지막 가중치는 저장할 수 있습니다.",
    ),
    "yours": ("your run", "내가 시작한 학습"),
    "watching": ("watching", "보는 중"),
    "facts": (
        "step **{step:,}** · epoch {epoch:.2f} · {speed:.0f} steps/s · 5-NN **{knn:.0%}**",
        "스텝 **{step:,}** · 에포크 {epoch:.2f} · 초당 {speed:.0f} 스텝 · 5-NN **{knn:.0%}**",
    ),
    "clusters_at": (
        "clusters at {seconds:.1f} s (step {step:,})",
        "{seconds:.1f}초에 군집 형성(스텝 {step:,})",
    ),
    "clusters_help": (
        "Measured on this run: seconds from Start to the first frame where a vote among each "
        "watched digit's 5 nearest codes names at least {share:.0%} of them right (the "
        "untrained network: about 20%).",
        "이 학습에서 측정: 시작부터, 지켜보는 각 숫자의 가장 가까운 잠재 코드 5개의 투표로 "
        "숫자를 {share:.0%} 이상 맞히는 첫 프레임까지의 시간입니다(학습 전 신경망은 약 20%).",
    ),
    "frame": ("Recorded moment (step)", "기록된 시점 (스텝)"),
    "frame_help": (
        "Drag back through every recorded moment; dense in the first steps, where the "
        "structure appears.",
        "기록된 모든 시점을 되돌려 볼 수 있습니다. 구조가 나타나는 처음 스텝들은 촘촘히 "
        "기록됩니다.",
    ),
    "follow": ("Follow live", "실시간 따라가기"),
    "frames_kept": (
        "{n:,} moments recorded: turn off **Follow live** to drag back through them.",
        "기록된 시점 {n:,}개: **실시간 따라가기**를 끄면 슬라이더로 되돌려 볼 수 있습니다.",
    ),
    "follow_help": (
        "On: the newest moment as it arrives. Dragging the slider turns it off.",
        "켜면 새로 기록된 시점을 바로 보여 줍니다. 슬라이더를 끌면 꺼집니다.",
    ),
    # figures
    "map": (
        "Step {step:,}: codes of 1,000 test digits",
        "스텝 {step:,}: 테스트 숫자 1,000개의 잠재 코드",
    ),
    "digit": ("digit", "숫자"),
    "recon": ("recon.", "재구성"),
    "kl": ("KL", "KL"),
    "step": ("step", "스텝"),
    "prior": ("Decoded prior samples z ~ N(0, I)", "사전 분포 샘플 z ~ N(0, I)의 디코딩"),
    "prior_ae": (
        "Decoded z ~ N(0, I): a plain autoencoder has no prior",
        "z ~ N(0, I)의 디코딩: 일반 오토인코더에는 사전 분포가 없습니다",
    ),
    "manifold": ("Decoded grid over the map", "지도 위 격자의 디코딩"),
    "curves_note": (
        "Training loss of every step, in nats per image (averaged when there are many).",
        "스텝마다의 학습 손실(이미지당 nats, 스텝이 많으면 평균)입니다.",
    ),
    # saving
    "save_head": ("Keep this model", "이 모델 남기기"),
    "save_name": ("Checkpoint name", "체크포인트 이름"),
    "save_name_help": (
        "Lower-case letters, digits, - and _ (up to 48); it becomes checkpoints/<name>.pt.",
        "영문 소문자, 숫자, -, _ (48자까지). checkpoints/<이름>.pt 파일이 됩니다.",
    ),
    "save": ("Save as checkpoint", "체크포인트로 저장"),
    "save_when": (
        "Pause or stop the run to save it.",
        "저장하려면 학습을 일시정지하거나 중지하세요.",
    ),
    "overwrite": ("Replace the existing {name}", "기존 {name} 바꾸기"),
    "saved": (
        "Saved as **{name}** (step {step:,}). It is in every page's model picker now.",
        "**{name}**(스텝 {step:,})으로 저장했습니다. 이제 모든 페이지의 모델 선택에 있습니다.",
    ),
    "open_saved": ("Open {name} on the latent map", "잠재 공간 지도에서 {name} 열기"),
    "err_bad_name": (
        "{name!r} cannot name a checkpoint: use lower-case letters, digits, - and _ (up to 48).",
        "{name!r}: 체크포인트 이름으로 쓸 수 없습니다. 영문 소문자, 숫자, -, _만 쓰세요(48자까지).",
    ),
    "err_reserved": (
        "{name!r} is taken by the app itself: pick another name.",
        "{name!r}: 앱이 이미 쓰는 이름입니다. 다른 이름을 고르세요.",
    ),
    "err_exists": (
        "A checkpoint called {name} exists: pick another name, or tick “Replace”.",
        "{name} 체크포인트가 이미 있습니다. 다른 이름을 고르거나 “바꾸기”를 선택하세요.",
    ),
    "err_training": ("Pause the run first.", "먼저 학습을 일시정지하세요."),
    "err_no_weights": (
        "This run has no weights to save yet.",
        "이 학습에는 아직 저장할 가중치가 없습니다.",
    ),
    "err_not_finite": (
        "The weights are not finite numbers: nothing to keep.",
        "가중치가 유한한 수가 아니어서 남길 것이 없습니다.",
    ),
    "err_no_run": ("There is no run to save.", "저장할 학습이 없습니다."),
    "err_start": ("Could not start the run: {error}", "학습을 시작하지 못했습니다: {error}"),
    "err_io": ("Could not write the checkpoint: {error}", "체크포인트를 쓰지 못했습니다: {error}"),
}
