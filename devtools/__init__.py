"""Development tools: the synthetic-data generator of the bundled sample and the benchmarks' inputs.

Not part of the pipeline: nothing in ``flows`` or ``schemas`` imports this package (a unit test walks
their imports); only the benchmark entry points (``flows/bench.py``, ``flows/reports/bench.py``) use it.
"""
