#ifndef CGSL_SHIM_H
#define CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_version.h>

/* GSL exposes its generator types as C globals (`gsl_rng_mt19937`, …). Swift 6 strict concurrency
   refuses to read mutable C globals, so every type the lab uses is reached through an accessor. */
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *cgsl_rng_ranlxd2(void) { return gsl_rng_ranlxd2; }
static inline const gsl_rng_type *cgsl_rng_taus2(void) { return gsl_rng_taus2; }

/* The Nelder-Mead simplex minimiser type (calibration's maximum-likelihood fits). */
static inline const gsl_multimin_fminimizer_type *cgsl_multimin_nmsimplex2(void) {
    return gsl_multimin_fminimizer_nmsimplex2;
}

/* gsl_rng_default_seed is a global as well. */
static inline unsigned long cgsl_rng_default_seed(void) { return gsl_rng_default_seed; }

/* The run-time library's version string (`gsl_version`, a C global like the above), for manifest.json. */
static inline const char *cgsl_version(void) { return gsl_version; }

#endif
