/* invdes.h — the library's public API in one include: a program writes
 * #include <invdes/invdes.h> and builds with `pkg-config --cflags --libs
 * invdes`.
 *
 * It includes every installed header (pkginclude_HEADERS in Makefile.am),
 * bottom up: errors and CSV tables; the campaign model, its design space and
 * samplers; the surrogates and predictions; the campaign database; the
 * strategies; the driver that runs a campaign. Each of them can also be
 * included alone, as <invdes/store.h> and so on. Only the declarations marked
 * INVDES_API (invdes_export.h) are exported by the shared library. Nothing
 * is declared here: a new public header is listed here and in
 * pkginclude_HEADERS, and its functions carry INVDES_API. */
#ifndef INVDES_H
#define INVDES_H

#include "invdes_export.h"

#include "error.h"
#include "file.h"
#include "table.h"

#include "campaign.h"
#include "target.h"
#include "pareto.h"
#include "space.h"
#include "sample.h"

#include "gp.h"
#include "rf.h"
#include "surrogate.h"
#include "predict.h"
#include "replicates.h"

#include "store.h"
#include "strategy.h"
#include "recommend.h"
#include "driver.h"
#include "formula.h"

#endif
