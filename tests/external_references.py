"""Reference values from outside this project, each with its source.

Estimators are checked against these numbers, computed by other software or printed in books.
"""

from __future__ import annotations

import pandas as pd

# R's `sleep` data (Cushny & Peebles 1905, as in R's datasets package): extra hours of sleep.
SLEEP_GROUP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_GROUP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

# estimatr::lm_robust(extra ~ group, data = sleep) with the default se_type = "HC2".
SLEEP_HC2 = {
    "estimate": 1.58,
    "std_error": 0.8490910,
    "statistic": 1.860813,
    "p_value": 0.07918671,
    "df": 18,
    "conf_low": -0.2038740,
    "conf_high": 3.363874,
    "intercept": 0.75,
    "intercept_std_error": 0.5657345,
}

# R's `mtcars` (Henderson & Velleman 1981): mpg, hp and carb of the 32 cars.
MTCARS = pd.DataFrame(
    {
        "mpg": [21.0, 21.0, 22.8, 21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8, 16.4, 17.3,
                15.2, 10.4, 10.4, 14.7, 32.4, 30.4, 33.9, 21.5, 15.5, 15.2, 13.3, 19.2, 27.3,
                26.0, 30.4, 15.8, 19.7, 15.0, 21.4],
        "hp": [110, 110, 93, 110, 175, 105, 245, 62, 95, 123, 123, 180, 180, 180, 205, 215,
               230, 66, 52, 65, 97, 150, 150, 245, 175, 66, 91, 113, 264, 175, 335, 109],
        "carb": [4, 4, 1, 1, 2, 1, 4, 2, 2, 4, 4, 3, 3, 3, 4, 4, 4, 1, 2, 1, 1, 2, 2, 4, 2, 1,
                 2, 2, 4, 6, 8, 2],
    }
)  # fmt: skip

# Stata's published variances of the `hp` coefficient in `regress mpg hp` with the vce options
# ols, robust (HC1), hc2 and hc3, and with `i.carb` fixed effects (ols).
MTCARS_HP_VARIANCE = {
    "classical": 0.0001024,
    "HC1": 0.00018388,
    "HC2": 0.00021652,
    "HC3": 0.00027562,
}
MTCARS_HP_VARIANCE_CARB_FE_CLASSICAL = 0.00024844

# Gerber & Green (2012), Field Experiments, Table 2.2 schedule: observed outcomes, units 1 and 7
# treated. The difference in means is 6.5; of the 21 possible assignments of two treated units,
# 8 give an estimate at least as far from zero as 6.5 (exact two-sided p = 8/21).
GERBER_GREEN_Y = [15, 15, 20, 20, 10, 15, 30]
GERBER_GREEN_TREATED = [1, 0, 0, 0, 0, 0, 1]
GERBER_GREEN_ESTIMATE = 6.5
GERBER_GREEN_P_EXACT = 8 / 21
