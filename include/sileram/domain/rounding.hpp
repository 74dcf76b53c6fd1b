#pragma once

#include <cmath>

namespace sileram::domain {

// The value rounded to a whole number of `unit`s (0.01, 0.0001, …), halves away from zero;
// figures are reported at a fixed precision so that equal inputs print equal text.
inline double rounded(double value, double unit) {
    return std::round(value / unit) * unit;
}

} // namespace sileram::domain
