/*
 * results.h - a run's results as the user sees them: the per-person JSON
 * stored with a run, and its printing as JSON, a table or CSV; the trace as
 * the readable explanation of jixiao explain.
 */
#ifndef JX_RESULTS_H
#define JX_RESULTS_H

#include <stdio.h>

#include "core/status.h"
#include "engine/data.h"
#include "engine/engine.h"
#include "store/store.h"

enum jx_format { JX_FMT_TABLE, JX_FMT_JSON, JX_FMT_CSV };

/* Parse "table", "json" or "csv"; false for anything else. */
bool jx_format_parse(const char *s, enum jx_format *out);

/*
 * Turn an engine output into a run record ready to store: the run id (a
 * digest of the period, the plans and the input data), and per person the
 * result JSON and the trace JSON.  rec->arena owns everything; release with
 * jx_run_record_release().
 */
enum jx_status jx_results_record(const struct jx_data *d, const struct jx_plan *const *plans,
                                 size_t nplans, const struct jx_run_output *out,
                                 const char *period, const char *who,
                                 struct jx_run_record *rec, struct jx_err *err) JX_MUST_USE;

/*
 * The calibrated grade of each person of d in a stored run: out[p] is the
 * letter ('S'..'D') of person index p, ' ' when the run did not score them.
 * out has d->people.n bytes.
 */
enum jx_status jx_results_grades(const struct jx_run_record *rec, const struct jx_data *d,
                                 char *out, struct jx_err *err) JX_MUST_USE;

/*
 * Show the published versions in a stored run (domain.md §6 workflow): for
 * each person of rec whose newest version of the current publication
 * (number pub) was made from this run, the row's result becomes that
 * version's result with "version" (and, for a version an appeal made,
 * "version_reason") added, and the trace gains a line saying which version
 * it is and why.  Rows without versions are left alone.
 */
enum jx_status jx_results_apply_versions(struct jx_run_record *rec,
                                         const struct jx_result_versions *vs, int pub,
                                         struct jx_err *err) JX_MUST_USE;

/*
 * Replace the rows of rec (the period's newest run) by their published
 * versions when the period is published; person may be NULL for everyone.
 */
enum jx_status jx_results_show_versions(struct jx_store *st, const char *period,
                                        const char *person, struct jx_run_record *rec,
                                        struct jx_err *err) JX_MUST_USE;

/* Print a stored run in a format. */
enum jx_status jx_results_print(FILE *f, const struct jx_run_record *rec, enum jx_format fmt,
                                struct jx_err *err) JX_MUST_USE;

/* Print the trace of the (single) person in rec, readable, Chinese and English. */
enum jx_status jx_results_explain(FILE *f, const struct jx_run_record *rec,
                                  struct jx_err *err) JX_MUST_USE;

#endif
