/*
 * demo.h - the demo company (jixiao demo): a realistic, deterministic year of
 * data for 某某科技有限公司, written through the validated importer.
 *
 * The generator builds the CSV text of every import kind in memory, from its
 * own seeded random numbers (splitmix64; never the clock, never rand()), so
 * the same seed always gives byte-identical files and the same database.
 * Each kind then goes through jx_import_buffer() in dependency order (units,
 * people, customers, contracts, payments, ...), exactly as if a user had
 * imported the files: the demo data obeys every rule real data must.
 *
 * The company: HQ 某某科技有限公司; MKT 营销拓展中心 with the divisions MKT-P
 * 产品事业部 and MKT-E 工程事业部 and their 业务组; AS 售后维护及保养中心 with
 * AS-INST 安装工程组 and AS-MAINT 维护保养工程组; SALES 销售部 (agent-based, six
 * people); hr and finance at HQ.  Twelve months of 2025: contracts with lines,
 * deposits, payments, refunds, returns, targets, attendance, ratings,
 * violations, complaints, events, costs and reports.  Rep P101 (MKT-P, base
 * 5000.00) has the contract of example M1 of domain.md in August.
 */
#ifndef JX_DEMO_H
#define JX_DEMO_H

#include <stdint.h>
#include <stdio.h>

#include "core/status.h"
#include "engine/data.h"
#include "engine/engine.h"
#include "io/import.h"
#include "store/model.h"
#include "store/store.h"

#define JX_DEMO_SEED UINT64_C(20250101)
#define JX_DEMO_YEAR 2025

struct jx_demo_opts {
    uint64_t seed;   /* 0 means JX_DEMO_SEED */
    const char *who; /* for the audit log; "demo" when NULL */
    FILE *progress;  /* "demo: importing contracts (1234 rows)" lines, or NULL */
};

/* What jx_demo_build() wrote; the caller allocates it (it is large). */
struct jx_demo_report {
    long rows[JX_KIND_COUNT];       /* data rows imported per kind (contracts: lines) */
    long contracts;                 /* contracts (each of 1-3 lines) */
    enum jx_kind failed;            /* the kind whose import failed, or JX_KIND_NONE */
    struct jx_import_report import; /* that import's report (errors) */
};

/*
 * Generate the demo company and import it into st, an empty, migrated store,
 * one kind per transaction.  On JX_OK every kind was written.  When an
 * import refuses the generated data (a bug), rep->failed names the kind and
 * rep->import holds its errors; kinds before it stay written.  Other
 * failures (memory, calendar, storage) are described in err.
 */
enum jx_status jx_demo_build(struct jx_store *st, const struct jx_demo_opts *opts,
                             struct jx_demo_report *rep, struct jx_err *err) JX_MUST_USE;

/*
 * Print the per-unit summary of the demo year to out: for each unit (in tree
 * order, each row covering the unit and the units below it) its people (not
 * left), the revenue of the contracts signed in the year, the year's
 * collections (payments and accepted deposits, less refunds), the complaints
 * opened in the year (by the unit of their first-contact person) and, when run
 * is not NULL, the total pay of that run (its period in run_period).
 * Contracts and collections are credited to the unit of the contract's
 * person.  d is the store's data (jx_store_load()).  All borrowed.
 */
enum jx_status jx_demo_summary(FILE *out, const struct jx_data *d, const struct jx_run_record *run,
                               const char *run_period, struct jx_err *err) JX_MUST_USE;

#endif
