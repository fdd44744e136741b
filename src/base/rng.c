/* rng.c — xoshiro256** (Blackman & Vigna, 2018) as a gsl_rng type, seeded by
 * splitmix64. See rng.h for the contract. */
#include "rng.h"

typedef struct {
  uint64_t s[4];
} xoshiro_state;

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t xoshiro_next(xoshiro_state *st) {
  uint64_t *s = st->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

static void fill_state(xoshiro_state *st, uint64_t seed, uint64_t stream) {
  uint64_t x = seed;
  uint64_t mixed = splitmix64(&x) ^ (stream * 0xd1342543de82ef95ULL + 0x2545f4914f6cdd1dULL);
  uint64_t y = mixed;
  for (int i = 0; i < 4; i++) st->s[i] = splitmix64(&y);
  if (!(st->s[0] | st->s[1] | st->s[2] | st->s[3])) st->s[0] = 1; /* never all zero */
}

static void xoshiro_set(void *state, unsigned long int s) { fill_state(state, s, 0); }

/* GSL's interface: get() returns an integer in [min, max]; we give 32 bits so
 * that gsl_rng_uniform_int works over the full documented range. */
static unsigned long int xoshiro_get(void *state) {
  return (unsigned long int)(xoshiro_next(state) >> 32);
}

/* 53 random bits in [0, 1). */
static double xoshiro_get_double(void *state) {
  return (double)(xoshiro_next(state) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
    "xoshiro256**", 0xffffffffUL, 0, sizeof(xoshiro_state),
    &xoshiro_set, &xoshiro_get, &xoshiro_get_double};

gsl_rng *invdes_rng_new(uint64_t seed, uint64_t stream) {
  gsl_rng *r = gsl_rng_alloc(&xoshiro_type);
  if (r) fill_state(r->state, seed, stream);
  return r;
}

void invdes_rng_reset(gsl_rng *r, uint64_t seed, uint64_t stream) {
  fill_state(r->state, seed, stream);
}

uint64_t invdes_rng_stream_id(uint64_t a, uint64_t b) {
  uint64_t x = a;
  uint64_t h = splitmix64(&x);
  x = h ^ b;
  return splitmix64(&x);
}
