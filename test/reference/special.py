"""mpmath reference values (25 digits) for erf, erfc, erfcx and the normal CDF.
Run: python3 test/reference/special.py > test/reference/special.json"""
import json
from mpmath import mp, mpf, erf, erfc, exp, ncdf

mp.dps = 25
xs = [-30, -8, -3.5, -2.0001, -2, -1.9999, -1, -0.3, -1e-8, 0, 1e-8, 0.05, 0.5, 1, 1.5, 1.9999, 2, 2.0001, 2.5, 3, 4, 5.5, 8, 12, 26, 40]
rows = []
for x in xs:
    X = mpf(x)
    rows.append({"x": x, "erf": float(erf(X)), "erfc": float(erfc(X)), "erfcx": float(exp(X * X) * erfc(X)) if x > -26 else None, "ncdf": float(ncdf(X))})
print(json.dumps({"generator": "test/reference/special.py", "rows": rows}, indent=1))
