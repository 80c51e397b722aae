"""Developer tools over the running app (test and maintenance helpers, not the library).

`widget_walk`: operate every widget a page shows under Streamlit's AppTest.
"""
