/* station.c — the objective kind `station` (objective.h): nobody is called.
 * Proposals are handed out by `invdes ask` and their results come back by
 * `invdes tell` from whoever measured them (a lab, a robot, a person), so the
 * kind has no settings and no evaluator: `invdes run` refuses it with the
 * reason below. */
#include "objective.h"

static const invdes_objective_field fields[] = {{NULL, 0, 0, 0, 0}};

static void spec_describe(const void *spec, char *buf, size_t size) {
  (void)spec;
  invdes_objective_append(buf, size, " (results come by `invdes tell`)");
}

const invdes_objective_type invdes_objective_station = {
    .name = "station",
    .fields = fields,
    .describe = spec_describe,
    .cannot_run = "this campaign's results come from a station: use invdes ask / invdes tell",
};
