"""The app's pages, in navigation order: one place that app.py builds its menu from and
the tests walk (every page, without a hard-coded list of files in a test)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageEntry:
    section: str  # catalog key of the menu section (pages/texts/common.py)
    file: str  # file under pages/
    title: str  # catalog key of the page title in the menu
    icon: str  # Material icon name

    @property
    def url_path(self) -> str:
        """The page's URL path: "" for the first (default) page, else the file's stem."""
        return "" if self is PAGES[0] else self.file.removesuffix(".py")


PAGES: tuple[PageEntry, ...] = (
    PageEntry("sec_explore", "latent_map.py", "nav_map", "map"),
    PageEntry("sec_explore", "interpolation.py", "nav_interp", "timeline"),
    PageEntry("sec_explore", "sampling.py", "nav_sampling", "casino"),
    PageEntry("sec_explore", "condition.py", "nav_condition", "grid_view"),
    PageEntry("sec_lecture", "bottleneck.py", "nav_bottleneck", "compress"),
    PageEntry("sec_lecture", "ae_vs_vae.py", "nav_ae_vs_vae", "compare"),
    PageEntry("sec_lecture", "beta.py", "nav_beta", "tune"),
    PageEntry("sec_lecture", "training.py", "nav_training", "replay"),
    PageEntry("sec_lecture", "train_live.py", "nav_train_live", "model_training"),
    PageEntry("sec_lecture", "reparam.py", "nav_reparam", "blur_on"),
    PageEntry("sec_lecture", "latent_dims.py", "nav_dims", "view_column"),
    PageEntry("sec_lecture", "iwae.py", "nav_iwae", "functions"),
    PageEntry("sec_lecture", "exact.py", "nav_exact", "calculate"),
    PageEntry("sec_yours", "your_digit.py", "nav_own", "draw"),
    PageEntry("sec_yours", "anomaly.py", "nav_anomaly", "troubleshoot"),
    PageEntry("sec_yours", "denoise.py", "nav_denoise", "auto_fix_high"),
)
