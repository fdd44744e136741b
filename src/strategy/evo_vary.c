/* evo_vary.c — the variation operators of the population strategies
 * (evo.h): Deb's simulated binary crossover and polynomial mutation on
 * genes in [0, 1], mutation of a block of z that keeps its meaning (a
 * one-hot block stays one-hot, an integer or discrete gene moves to
 * another value), binary tournaments, and breeding a brood of children
 * from a ranked parent set. Everything is drawn from the caller's stream;
 * nothing here knows the history or the model. */
#include "evo.h"

#include <math.h>
#include <string.h>

static double clamp01(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

/* The spread factor of one SBX child: beta_q with u uniform, for the child
 * whose bound lies `room` (>= 0) beyond the nearer parent, pair distance d. */
static double sbx_beta(double u, double room, double d, double eta) {
  double e = 1.0 / (eta + 1);
  double beta = 1 + 2 * room / d;
  double alpha = 2 - pow(beta, -(eta + 1));
  return u <= 1 / alpha ? pow(u * alpha, e) : pow(1 / (2 - u * alpha), e);
}

void invdes_evo_sbx(double *a, double *b, double eta_c, gsl_rng *r) {
  double y1 = *a < *b ? *a : *b, y2 = *a < *b ? *b : *a;
  double u = gsl_rng_uniform(r), swap = gsl_rng_uniform(r);
  double d = y2 - y1;
  if (d < 1e-14) return;
  double c1 = clamp01(0.5 * (y1 + y2 - sbx_beta(u, y1, d, eta_c) * d));
  double c2 = clamp01(0.5 * (y1 + y2 + sbx_beta(u, 1 - y2, d, eta_c) * d));
  *a = swap < 0.5 ? c2 : c1;
  *b = swap < 0.5 ? c1 : c2;
}

double invdes_evo_poly_mutate(double y, double eta_m, gsl_rng *r) {
  double u = gsl_rng_uniform(r), e = 1.0 / (eta_m + 1), dq;
  y = clamp01(y);
  if (u < 0.5) {
    double v = 2 * u + (1 - 2 * u) * pow(1 - y, eta_m + 1);
    dq = pow(v, e) - 1;          /* in [-y, 0] */
  } else {
    double v = 2 * (1 - u) + 2 * (u - 0.5) * pow(y, eta_m + 1);
    dq = 1 - pow(v, e);          /* in [0, 1 - y] */
  }
  return clamp01(y + dq);
}

static size_t cell_of(double z, size_t n) {
  size_t i = (size_t)(clamp01(z) * (double)n);
  return i < n ? i : n - 1;
}

void invdes_evo_mutate_block(const invdes_evo_blocks *bl, size_t k, double *c,
                             gsl_rng *r, double eta_m) {
  double *z = c + bl->start[k];
  size_t len = bl->len[k], n = bl->levels[k];
  if (!bl->onehot[k]) {
    double y = invdes_evo_poly_mutate(z[0], eta_m, r);
    if (n > 1 && cell_of(y, n) == cell_of(z[0], n)) {
      /* a step inside the cell changes nothing once decoded: go to the
       * neighbouring value on the side the step took (at a bound: the only
       * neighbour), at its centre */
      size_t i = cell_of(z[0], n);
      int up = i == 0 || (i + 1 < n && (y > z[0] || (y == z[0] &&
                                                    gsl_rng_uniform(r) < 0.5)));
      i = up ? i + 1 : i - 1;
      y = ((double)i + 0.5) / (double)n;
    }
    z[0] = y;
    return;
  }
  size_t cur = 0;
  for (size_t j = 1; j < len; j++)
    if (z[j] > z[cur]) cur = j;
  size_t pick = len > 1 ? (size_t)gsl_rng_uniform_int(r, (unsigned long)(len - 1))
                        : 0;
  if (len > 1 && pick >= cur) pick++;
  for (size_t j = 0; j < len; j++) z[j] = j == pick ? 1 : 0;
}

size_t invdes_evo_tournament(gsl_rng *r, size_t P) {
  size_t i = (size_t)gsl_rng_uniform_int(r, (unsigned long)P);
  size_t j = (size_t)gsl_rng_uniform_int(r, (unsigned long)P);
  return i < j ? i : j;
}

static int same(const double *a, const double *b, size_t D) {
  return memcmp(a, b, D * sizeof *a) == 0;
}

/* Block-wise crossover of the pair (k0, k1). */
static void cross(const invdes_evo_blocks *bl, double *k0, double *k1,
                  double eta_c, gsl_rng *r) {
  for (size_t k = 0; k < bl->n; k++) {
    size_t j0 = bl->start[k], len = bl->len[k];
    if (gsl_rng_uniform(r) >= 0.5) continue;
    if (!bl->onehot[k]) {
      invdes_evo_sbx(&k0[j0], &k1[j0], eta_c, r);
      continue;
    }
    for (size_t j = j0; j < j0 + len; j++) {
      double t = k0[j];
      k0[j] = k1[j];
      k1[j] = t;
    }
  }
}

void invdes_evo_breed(const invdes_evo_blocks *bl, size_t D, const double *par,
                      size_t P, const invdes_evo_vary *v, double *kids,
                      size_t n, gsl_rng *r) {
  for (size_t c = 0; c < n; c += 2) {
    size_t a = invdes_evo_tournament(r, P), b = invdes_evo_tournament(r, P);
    for (int t = 0; t < 4 && b == a; t++) b = invdes_evo_tournament(r, P);
    const double *pa = par + a * D, *pb = par + b * D;
    /* an odd brood's last second child is bred in the spare row n and
     * dropped */
    double *k[2] = {kids + c * D, kids + (c + 1) * D};
    memcpy(k[0], pa, D * sizeof *pa);
    memcpy(k[1], pb, D * sizeof *pb);
    if (gsl_rng_uniform(r) < v->crossover) cross(bl, k[0], k[1], v->eta_c, r);
    for (int m = 0; m < 2; m++) {
      for (size_t j = 0; j < bl->n; j++)
        if (gsl_rng_uniform(r) < v->mutation)
          invdes_evo_mutate_block(bl, j, k[m], r, v->eta_m);
      if (same(k[m], pa, D) || same(k[m], pb, D))
        invdes_evo_mutate_block(
            bl, (size_t)gsl_rng_uniform_int(r, (unsigned long)bl->n), k[m], r,
            v->eta_m);
    }
  }
}
