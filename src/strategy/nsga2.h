/* nsga2.h — NSGA-II's survival and mating order for the ga strategy on a
 * multi-objective campaign (target.h's invdes_targets_pareto). Not
 * installed. */
#ifndef INVDES_STRATEGY_NSGA2_H
#define INVDES_STRATEGY_NSGA2_H

#include "evo.h"

/* On a multi-objective campaign, rewrites h->order[0..h->n_ranked) in
 * NSGA-II's crowded-comparison order (Deb et al. 2002): the results that
 * meet every condition first, by non-dominated rank (pareto.h), within a
 * rank by decreasing crowding distance over the whole front, ties by
 * history index; then the others as target.h ranks them (least violation
 * first, failures last). The first `population` entries are then exactly
 * NSGA-II's survivors of the told history, and ga's binary tournament
 * (the lower position wins) is NSGA-II's crowded tournament. A function of
 * the history alone (never of the order it is given). Any other campaign:
 * a no-op. */
invdes_status invdes_nsga2_order(const invdes_strategy *s, invdes_evo_hist *h,
                                 invdes_error *err);

#endif
