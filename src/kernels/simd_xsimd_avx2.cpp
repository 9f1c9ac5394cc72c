// The `simd-xsimd` primitives for xsimd::avx2 (this file alone gets its -m flags).
#include "simd_xsimd_impl.hpp"

namespace wcs::kernels::xsimd_detail {
template double BlockMin::operator()<xsimd::avx2>(xsimd::avx2, const double*, std::size_t, double) const;
template std::size_t BlockFind::operator()<xsimd::avx2>(xsimd::avx2, const double*, std::size_t, double, double) const;
template std::size_t BlockFilter::operator()<xsimd::avx2>(xsimd::avx2, const float*, std::size_t, const float*,
                                                          const float*, std::size_t) const;
}  // namespace wcs::kernels::xsimd_detail
