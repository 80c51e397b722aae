"""Drawing canvas component (pages/drawing_canvas.py)."""

CATALOG = {
    "clear": ("Clear", "지우기"),
    "hint": ("Draw a digit with the mouse or a finger", "마우스나 손가락으로 숫자를 쓰세요"),
}
