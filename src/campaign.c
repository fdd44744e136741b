/* campaign.c — placeholder until the loader lands. */
#include "campaign.h"
const char *invdes_param_type_name(invdes_param_type t) {
  switch (t) {
  case INVDES_PARAM_CONTINUOUS: return "continuous";
  case INVDES_PARAM_INTEGER: return "integer";
  case INVDES_PARAM_DISCRETE: return "discrete";
  case INVDES_PARAM_CATEGORICAL: return "categorical";
  }
  return "?";
}
