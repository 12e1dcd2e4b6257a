"""Code that belongs to Ma (2019) alone: the calibration of the synthetic data and its variants."""
