"""Metrics layer: engine-side (Ibis) counting handed to ``stats`` — funnel, experiment, benchmark.

Import the topic modules directly (``salesops_lib.metrics.funnel`` ...) or use the top-level API
(``salesops_lib.funnel_analysis``); this package does not import them eagerly.
"""
