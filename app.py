"""VAE latent-space explorer: `streamlit run app.py`.

The entry point: page setup and the navigation, at the top of the window so the pages get
the whole width. Every page lives in `pages/` and draws its own header row (title, model
and language pickers: `pages/frame.py`); what the pages share sits beside them, one
module per job (`pages/language.py`, `pagestate.py`, `picker.py`, ...).
Nothing here imports torch: the first page, the latent map, is drawn from cached latents
and torch is imported after it, in the background (`warmup.warm_up_torch`).
"""

import os

# One torch thread per script run. torch reads this when it is first imported (after the
# map is drawn): the app's tensor work is small, sessions run side by side in threads, and
# on a lecturer's laptop the browser shares the cores. Measured on 2 cores with the other
# core busy: a 1-point decode took 0.17 ms with one thread, 5.7 ms (median) with two.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import streamlit as st  # noqa: E402

from pages import background, frame, language, picker, warmup
from pages.nav import PAGES
from pages.texts.common import CATALOG

st.set_page_config(
    page_title="VAE latent-space explorer", page_icon=":material/explore:", layout="wide"
)
t = language.translator(CATALOG)


sections: dict[str, list[st.Page]] = {}
for i, entry in enumerate(PAGES):
    sections.setdefault(t(entry.section), []).append(
        st.Page(
            f"pages/{entry.file}",
            title=t(entry.title),
            icon=f":material/{entry.icon}:",
            default=i == 0,
        )
    )
nav = st.navigation(sections, position="top")
frame.no_checkpoints_stop()
with background.answering():  # queued page work waits for this run to finish
    nav.run()
warmup.freeze_heap()  # after a page's first visit: its modules stay out of the GC's walks
warmup.warm_up_torch(name=picker.current_model_name())
