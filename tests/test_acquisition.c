/* test_acquisition.c — the acquisition functions' numbers (acquisition.h)
 * as the bo strategy relies on them: log EI equals log(EI) where EI is
 * representable and stays finite, smooth and decreasing far in the tail;
 * the derivatives of EI, log EI, PI and the window probabilities agree with
 * central differences; the UCB beta schedule is in range. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "acquisition.h"

static void test_acquisition_numbers(void **state) {
  (void)state;
  /* log EI = log EI where EI is representable, finite and smooth beyond */
  for (double u = -30; u <= 5; u += 0.37) {
    double ei = invdes_acq_ei(u, 1, 0, 0, NULL, NULL);
    double lei = invdes_acq_log_ei(u, 1, 0, 0, NULL, NULL);
    assert_true(fabs(lei - log(ei)) < 1e-9 * fmax(1, fabs(lei)));
  }
  double prev = -INFINITY;
  for (double u = 38; u <= 80; u += 0.5) { /* through the series switch at 40 */
    double lei = invdes_acq_log_ei(-u, 1, 0, 0, NULL, NULL);
    assert_true(isfinite(lei) && lei < -u * u / 2 + 1);
    if (isfinite(prev)) assert_true(lei < prev);
    prev = lei;
  }
  assert_true(invdes_acq_ei(-40, 1, 0, 0, NULL, NULL) == 0 ||
              invdes_acq_ei(-40, 1, 0, 0, NULL, NULL) < 1e-300);
  /* derivatives by central differences */
  const double mu = 0.3, sd = 0.7, best = 0.5, h = 1e-6;
  double dm, ds;
  double (*fns[3])(double, double, double, double, double *, double *) = {
      invdes_acq_ei, invdes_acq_log_ei, invdes_acq_pi};
  for (int k = 0; k < 3; k++) {
    fns[k](mu, sd, best, 0.01, &dm, &ds);
    double nm = (fns[k](mu + h, sd, best, 0.01, NULL, NULL) -
                 fns[k](mu - h, sd, best, 0.01, NULL, NULL)) / (2 * h);
    double ns = (fns[k](mu, sd + h, best, 0.01, NULL, NULL) -
                 fns[k](mu, sd - h, best, 0.01, NULL, NULL)) / (2 * h);
    assert_true(fabs(dm - nm) < 1e-6 && fabs(ds - ns) < 1e-6);
  }
  /* window probability, plain and log, with derivatives */
  for (int lf = 0; lf < 2; lf++) {
    double lo[3] = {-INFINITY, 1.0, 0.2}, hi[3] = {0.9, INFINITY, 0.4};
    for (int w = 0; w < 3; w++) {
      invdes_acq_prob_between(mu, sd, lo[w], hi[w], lf, &dm, &ds);
      double nm = (invdes_acq_prob_between(mu + h, sd, lo[w], hi[w], lf, NULL, NULL) -
                   invdes_acq_prob_between(mu - h, sd, lo[w], hi[w], lf, NULL, NULL)) / (2 * h);
      double ns = (invdes_acq_prob_between(mu, sd + h, lo[w], hi[w], lf, NULL, NULL) -
                   invdes_acq_prob_between(mu, sd - h, lo[w], hi[w], lf, NULL, NULL)) / (2 * h);
      assert_true(fabs(dm - nm) < 1e-6 && fabs(ds - ns) < 1e-6);
    }
  }
  double p = invdes_acq_prob_between(0, 1, -1, 1, 0, NULL, NULL);
  assert_true(fabs(p - 0.682689492137086) < 1e-12);
  /* far in the tail the log form stays finite and right */
  double lp = invdes_acq_prob_between(0, 1, 40, 41, 1, NULL, NULL);
  assert_true(isfinite(lp) && fabs(lp - (-800 - log(40) - 0.5 * log(2 * 3.14159265358979323846))) < 0.01);
  assert_true(invdes_acq_ucb_beta(6, 100) > 4 && invdes_acq_ucb_beta(6, 100) < 7);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_acquisition_numbers)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
