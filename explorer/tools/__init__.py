"""Developer tools over the running app (test and maintenance helpers, not the library).

`widget_walk`: operate every widget a page shows under Streamlit's AppTest.
`apphost`: run the app on a free port and drive it from headless Chromium.
`loadtest`: a class of students at once (`python -m explorer.loadtest`).
`bench`: the measured-timings table (`python -m explorer.bench`).
`report`: the rows and formatting both print.

The library core (`explorer/*.py`) imports nothing from here; `explorer/bench.py` and
`explorer/loadtest.py` are only the two commands' entry points.
"""
