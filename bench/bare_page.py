"""The floor the paint figures are measured against: a bare Streamlit page holding one Plotly
bar chart, nothing else (`make bench`, part paint; docs/benchmarks.md)."""

import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Bar(x=["2016", "2017", "2018", "2019", "2020"], y=[3, 5, 4, 6, 7])))
