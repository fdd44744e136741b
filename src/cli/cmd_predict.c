/* cmd_predict.c — `invdes predict`: train a registered surrogate (gp, rf,
 * knn, ...; invdes_model_kind_parse) on a CSV table and either predict a
 * target for candidate rows (written back as CSV with <target>_mean and
 * <target>_sd appended) or report K-fold cross-validated errors. The
 * numbers come from predict.h; this file parses the command line, reads and
 * writes files and prints. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_options.h"
#include "commands.h"
#include "predict.h"
#include "surrogate.h"
#include "table.h"

static const char predict_usage[] =
    "usage: invdes predict --train DATA.csv --target COL [--features COLS | --exclude COLS]\n"
    "                      [--model M] (--predict CANDIDATES.csv [--out FILE] | --cv K)\n"
    "                      [--seed N] [--trees N]\n\n"
    "Learns column COL of DATA.csv from its other columns and predicts it for new\n"
    "rows, or estimates the accuracy by K-fold cross-validation.\n\n"
    "  -t, --train FILE     training table (CSV with a header row)\n"
    "  -y, --target COL     column to learn (every cell a number)\n"
    "  --features COLS      comma-separated feature columns; default: every column\n"
    "                       except the target that holds numbers (columns of labels\n"
    "                       are left out)\n"
    "  -x, --exclude COLS   comma-separated columns left out of the default choice\n"
    "                       (e.g. other targets measured with this one)\n"
    "  -m, --model M        a surrogate: gp (Gaussian process, Matérn 5/2 ARD;\n"
    "                       default), rf (random forest, 100 trees) or knn (k\n"
    "                       nearest neighbours, k = 5)\n"
    "  -p, --predict FILE   candidates (CSV with the feature columns); they are\n"
    "                       written out with every column as read plus COL_mean\n"
    "                       and COL_sd (sd of a new measurement: model variance\n"
    "                       plus learned noise)\n"
    "  -o, --out FILE       where to write the predictions (default: stdout)\n"
    "  -k, --cv K           K-fold cross-validation instead; prints rmse, mae, r2\n"
    "  --seed N             seed of the model and the folds (default 0)\n"
    "  --trees N            trees of the random forest (default 100)\n"
    "  -h, --help           this text\n"
    "  -V, --version        print the version\n\n"
    "Inputs are scaled to [0,1] with the training rows' minimum and maximum.\n";

static int exit_for(invdes_status st) {
  return st == INVDES_ERR_NOMEM || st == INVDES_ERR_NUMERIC ? INVDES_EXIT_FAILURE
                                                            : INVDES_EXIT_USAGE;
}

static int write_predictions(FILE *f, const invdes_table *cand, const char *target,
                             const double *mean, const double *sd) {
  const size_t nc = invdes_table_n_cols(cand), m = invdes_table_n_rows(cand);
  char name[1024];
  for (size_t j = 0; j < nc; j++) {
    invdes_csv_write_field(f, invdes_table_col_name(cand, j));
    fputc(',', f);
  }
  snprintf(name, sizeof name, "%s_mean", target);
  invdes_csv_write_field(f, name);
  fputc(',', f);
  snprintf(name, sizeof name, "%s_sd", target);
  invdes_csv_write_field(f, name);
  fputc('\n', f);
  for (size_t i = 0; i < m; i++) {
    for (size_t j = 0; j < nc; j++) {
      invdes_csv_write_field(f, invdes_table_cell(cand, i, j));
      fputc(',', f);
    }
    fprintf(f, "%.10g,%.10g\n", mean[i], sd[i]);
  }
  return ferror(f) ? -1 : 0;
}

/* Trains on ds, predicts the rows of the candidates file and writes them
 * with COL_mean and COL_sd to out_path (stdout when NULL). Returns
 * INVDES_EXIT_OK, or the exit status with the message in err. */
static int predict_candidates(invdes_model_kind kind, const invdes_surrogate_options *so,
                              const invdes_dataset *ds, const char *cand_path,
                              const char *out_path, const char *target, invdes_error *err) {
  int status = INVDES_EXIT_USAGE;
  double *Xq = NULL, *mean = NULL, *sd = NULL;
  invdes_table *ct = invdes_table_read(cand_path, err);
  if (!ct || !(Xq = invdes_table_features(ct, ds->names, ds->d, err))) goto done;
  size_t m = invdes_table_n_rows(ct);
  mean = malloc(m * sizeof *mean);
  sd = malloc(m * sizeof *sd);
  if (!mean || !sd) {
    invdes_error_set(err, INVDES_ERR_NOMEM, "out of memory");
    status = INVDES_EXIT_FAILURE;
    goto done;
  }
  invdes_status st = invdes_predict_fit_predict(kind, so, ds->X, ds->n, ds->d, ds->y, Xq, m,
                                                mean, sd, err);
  if (st != INVDES_OK) {
    status = exit_for(st);
    goto done;
  }
  status = INVDES_EXIT_FAILURE;
  FILE *out = out_path ? fopen(out_path, "w") : stdout;
  if (!out) {
    invdes_error_set(err, INVDES_ERR_IO, "%s: cannot open for writing: %s", out_path,
                     strerror(errno));
    goto done;
  }
  int werr = write_predictions(out, ct, target, mean, sd);
  if (out_path ? fclose(out) != 0 : fflush(out) != 0) werr = -1;
  if (werr)
    invdes_error_set(err, INVDES_ERR_IO, "%s: write failed: %s", out_path ? out_path : "stdout",
                     strerror(errno));
  else
    status = INVDES_EXIT_OK;
done:
  invdes_table_free(ct);
  free(Xq);
  free(mean);
  free(sd);
  return status;
}

int invdes_cmd_predict(int argc, char **argv) {
  const char *train = NULL, *target = NULL, *features = NULL, *exclude = NULL;
  const char *cand_path = NULL, *out_path = NULL, *model = NULL;
  unsigned long long k = 0, seed = 0, trees = 100;
  int have_cv = 0, first;
  invdes_model_kind kind = INVDES_MODEL_GP;
  invdes_error err;
  invdes_error_clear(&err);
  /* --features was -f, --seed -s and --trees -n before those letters meant
   * --format, --station and --count in every verb. */
  const invdes_cli_opt opts[] = {
      INVDES_CLI_OPT("train", "FILE", INVDES_OPT_TEXT, &train, .required = 1),
      INVDES_CLI_OPT("target", "COL", INVDES_OPT_TEXT, &target, .required = 1),
      INVDES_CLI_OPT("features", "COLS", INVDES_OPT_TEXT, &features, .retired = 'f'),
      INVDES_CLI_OPT("exclude", "COLS", INVDES_OPT_TEXT, &exclude),
      INVDES_CLI_OPT("model", "M", INVDES_OPT_TEXT, &model),
      INVDES_CLI_OPT("predict", "FILE", INVDES_OPT_TEXT, &cand_path),
      INVDES_CLI_OPT("out", "FILE", INVDES_OPT_TEXT, &out_path),
      INVDES_CLI_OPT("cv", "K", INVDES_OPT_WHOLE, &k, .lo = 2, .given = &have_cv),
      INVDES_CLI_OPT("seed", "N", INVDES_OPT_WHOLE, &seed, .retired = 's'),
      INVDES_CLI_OPT("trees", "N", INVDES_OPT_WHOLE, &trees, .lo = 1, .hi = 100000,
                     .retired = 'n'),
      {NULL}};
  int early = invdes_cli_parse("predict", predict_usage, opts, argc, argv, &first);
  if (early != -1) return early;
  if (model && invdes_model_kind_parse(model, &kind, &err) != INVDES_OK) {
    fprintf(stderr, "invdes predict: %s\n", err.message);
    return INVDES_EXIT_USAGE;
  }
  if (first != argc)
    return invdes_cli_usage_error("predict", "unexpected argument '%s'", argv[first]);
  const char *problem = NULL;
  if (have_cv == !!cand_path) problem = "give exactly one of --predict FILE and --cv K";
  else if (have_cv && out_path) problem = "--out goes with --predict, not --cv";
  else if (features && exclude) problem = "give --features or --exclude, not both";
  if (problem) return invdes_cli_usage_error("predict", "%s", problem);

  int status = INVDES_EXIT_USAGE;
  invdes_table *tt = NULL;
  invdes_dataset ds = {0};
  invdes_surrogate_options so;
  invdes_surrogate_options_init(&so);
  invdes_surrogate_options_set_seed(&so, (uint64_t)seed);
  so.rf.n_trees = (size_t)trees;

  if (!(tt = invdes_table_read(train, &err))) goto fail;
  if (invdes_dataset_from_table(tt, target, features, exclude, &ds, &err) != INVDES_OK)
    goto fail;
  if (ds.n < 2) {
    invdes_error_set(&err, INVDES_ERR_INVALID, "%s: %zu data row; at least 2 are needed",
                     train, ds.n);
    goto fail;
  }
  if (have_cv) {
    invdes_cv_result res;
    invdes_status st = invdes_predict_cv(kind, &so, ds.X, ds.n, ds.d, ds.y, (size_t)k,
                                         (uint64_t)seed, &res, NULL, &err);
    if (st != INVDES_OK) {
      status = exit_for(st);
      goto fail;
    }
    printf("rmse: %.6g\nmae: %.6g\nr2: %.6g\n", res.rmse, res.mae, res.r2);
    status = INVDES_EXIT_OK;
    goto done;
  }
  status = predict_candidates(kind, &so, &ds, cand_path, out_path, target, &err);
  if (status != INVDES_EXIT_OK) goto fail;
  goto done;
fail:
  fprintf(stderr, "invdes predict: %s\n", err.message);
done:
  invdes_table_free(tt);
  invdes_dataset_release(&ds);
  return status;
}
