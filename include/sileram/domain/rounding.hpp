#pragma once

#include <cmath>

namespace sileram::domain {

// The value rounded to a whole number of `unit`s (0.01, 0.0001, …), halves away from zero;
// figures are reported at a fixed precision so that equal inputs print equal text. Dividing by
// the whole number of units per one gives the double nearest to the decimal (0.3333, not the
// 0.33330000000000004 that multiplying by the unit gives), so JSON prints it as written.
inline double rounded(double value, double unit) {
    const double per_one = std::round(1.0 / unit);
    return std::round(value / unit) / per_one;
}

} // namespace sileram::domain
