/* cli_recommend.h — `invdes best` when measurements are noisy: the model's
 * posterior-mean recommendation among the evaluated points (recommend.h),
 * fitted from the database's results and sd's, and its layout. With sd's
 * reported for a noisy target best recommends by the model and says so.
 * When only the model's learned noise is clearly there, best keeps the
 * measured ranking (the one ranking of status and run, cli_best.h) and adds
 * a note naming the model's choice: a learned noise cannot be told apart
 * from the model's misfit of rough noise-free data (and without any sd
 * reported the model is fitted only for up to 1000 results). Without noise
 * best is as before. */
#ifndef INVDES_CLI_RECOMMEND_H
#define INVDES_CLI_RECOMMEND_H

#include <stdint.h>

#include <jansson.h>

#include "recommend.h"
#include "store.h"

/* Fits the model to every result of s and fills *rec; returns rec->by_model
 * (0 also when the campaign, its space or the model cannot be had: best
 * then shows the measured ranking). The caller releases *rec. */
int invdes_cli_recommend(invdes_store *s, invdes_recommendation *rec);

/* 1 when rec recommends because sd's were reported for a noisy target. */
int invdes_cli_recommend_reported(const invdes_recommendation *rec);

/* The note for a learned noise only: "note: a model of the results finds
 * noise in f (no sd reported); by its posterior mean proposal N ranks
 * first (...)"; JSON: "note" and "model_recommends" (the id) added to o.
 * The json form returns -1 when out of memory. */
void invdes_cli_recommend_note_text(const invdes_store *s, const invdes_recommendation *r);
int invdes_cli_recommend_note_json(const invdes_store *s, const invdes_recommendation *r,
                                   json_t *o);

/* Text: a headline "recommended by the model's posterior mean; measured
 * value ...", which targets are noisy and which proposal has the best
 * measured value, then one line per target with value and posterior mean.
 * p: the recommended proposal. */
void invdes_cli_recommend_text(const invdes_store *s, const invdes_recommendation *r,
                               const invdes_store_proposal *p, int64_t measured_best);

/* Amends best's JSON object o (invdes_cli_best_json of p): "ranking" and
 * "recommended_by" "posterior_mean", "note" (the headline), "violation" of
 * p's measured values, "best_measured" (proposal id), and per target
 * "posterior_mean", "noisy", "sd_reported". -1 when out of memory. */
int invdes_cli_recommend_json(const invdes_store *s, const invdes_recommendation *r,
                              const invdes_store_proposal *p, int64_t measured_best,
                              json_t *o);

#endif
