"""A realistic demo district for trying fieldapp and for benchmarks."""
