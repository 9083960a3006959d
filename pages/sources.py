"""Placeholder: this page is being built."""

import streamlit as st

from dashboard import ui

ds = ui.dataset()
st.title("Sources")
st.info("This page is under construction.")
