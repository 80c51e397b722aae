"""In-browser hover decoder component (pages/hover_decoder.py)."""

CATALOG = {
    "hint": (
        "Move the mouse over the latent plane: the decoder p(x|z) runs in your browser on "
        "every frame. Click to pin a point.",
        "마우스를 잠재 공간 위에서 움직이면 디코더 p(x|z)가 브라우저에서 매 프레임 "
        "실행됩니다. 클릭하면 그 점을 고정합니다.",
    ),
    "pinned": ("pinned: z = ({z})", "고정한 점: z = ({z})"),
    "not_pinned": ("Nothing pinned yet.", "아직 고정한 점이 없습니다."),
    "loading": ("Loading the decoder weights…", "디코더 가중치를 불러오는 중…"),
    "aria_plane": (
        "Latent plane: move the pointer or use the arrow keys to decode, click or press "
        "Enter to pin",
        "잠재 공간 평면: 포인터를 움직이거나 화살표 키로 디코딩하고, 클릭하거나 Enter를 "
        "누르면 고정합니다",
    ),
    "aria_digit": ("The digit the decoder draws at z", "z에서 디코더가 그린 숫자"),
    "axis_x": ("z₁", "z₁"),
    "axis_y": ("z₂", "z₂"),
}
