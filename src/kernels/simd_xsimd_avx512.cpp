// The `simd-xsimd` primitives for xsimd::avx512f (this file alone gets its -m flags).
// GCC 12 warns that _mm512_min_pd reads an uninitialised value: its unmasked form is
// written as a masked min over _mm512_undefined_pd(), a false positive.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "simd_xsimd_impl.hpp"

namespace wcs::kernels::xsimd_detail {
template double BlockMin::operator()<xsimd::avx512f>(xsimd::avx512f, const double*, std::size_t, double) const;
template std::size_t BlockFind::operator()<xsimd::avx512f>(xsimd::avx512f, const double*, std::size_t, double,
                                                           double) const;
template std::size_t BlockFilter::operator()<xsimd::avx512f>(xsimd::avx512f, const float*, std::size_t, const float*,
                                                             const float*, std::size_t) const;
}  // namespace wcs::kernels::xsimd_detail
#pragma GCC diagnostic pop
