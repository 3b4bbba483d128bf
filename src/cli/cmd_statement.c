/*
 * cmd_statement.c - jixiao statement: one person's pay statement for a
 * period, as a printable HTML page.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "core/date.h"
#include "io/results.h"
#include "io/run.h"
#include "io/statement.h"
#include "store/store.h"

/* Keep the rows of people in unit (and below it). */
static enum jx_status keep_unit(struct jx_store *st, const char *unit, struct jx_run_record *rec,
                                struct jx_err *err)
{
    struct jx_org org;
    enum jx_status s = jx_store_org(st, &org, err);
    size_t k = 0;
    bool known = false;
    if (s)
        return s;
    for (size_t u = 0; u < org.nunits; u++)
        known |= !strcmp(org.uid[u], unit);
    if (!known) {
        jx_org_release(&org);
        return jx_err_set(err, JX_ENOTFOUND, "no unit %s", unit);
    }
    for (size_t i = 0; i < rec->nrows; i++) {
        const char *pu = NULL;
        for (size_t p = 0; p < org.npeople && !pu; p++)
            if (!strcmp(org.pid[p], rec->rows[i].person_id))
                pu = org.punit[p];
        /* walk up from the person's unit */
        for (int depth = 0; pu && *pu && depth < 64; depth++) {
            if (!strcmp(pu, unit)) {
                rec->rows[k++] = rec->rows[i];
                break;
            }
            const char *up = NULL;
            for (size_t u = 0; u < org.nunits && !up; u++)
                if (!strcmp(org.uid[u], pu))
                    up = org.uparent[u];
            pu = up;
        }
    }
    rec->nrows = k;
    jx_org_release(&org);
    return JX_OK;
}

int jx_cmd_statement(int argc, char **argv)
{
    struct jx_opt opts[] = {
        {.name = "db", .arg = "PATH", .help = "the database"},
        {.name = "period", .arg = "P", .help = "the period"},
        {.name = "person", .arg = "ID", .help = "the person"},
        {.name = "unit", .arg = "ID", .help = "pdf: everyone in the unit and below, a page each"},
        {.name = "format", .arg = "FMT", .help = "html (default) or pdf (with --out)"},
        {.name = "out", .arg = "FILE", .help = "write to FILE instead of standard output"},
        {0},
    };
    struct jx_args a = {.cmd = "statement",
                        .usage = "--db PATH --period P (--person ID | --unit ID) --format html|pdf [--out FILE]",
                        .summary = "A person's pay statement for the period (工资单): pay, score, "
                                   "grade and rank, and every line of the\ncalculation, as a "
                                   "page to print.",
                        .opts = opts};
    struct jx_store *st = NULL;
    struct jx_run_record rec = {0}, full = {0};
    bool lines = false;
    struct jx_period period;
    struct jx_err err;
    enum jx_status s;
    int rc = jx_args_parse(&a, argc, argv);
    if (rc || a.help)
        return rc;
    const char *db = jx_args_get(&a, "db"), *per = jx_args_get(&a, "period"),
               *person = jx_args_get(&a, "person"), *fmt = jx_args_get(&a, "format"),
               *out = jx_args_get(&a, "out");
    const char *unit = jx_args_get(&a, "unit");
    bool pdf = fmt && !strcmp(fmt, "pdf");
    if (!db || !per || !person == !unit)
        return jx_args_usage_error(&a, "--db, --period and one of --person or --unit are required");
    if (fmt && !pdf && strcmp(fmt, "html"))
        return jx_args_usage_error(&a, "--format must be html or pdf");
    if (pdf && !out)
        return jx_args_usage_error(&a, "--format pdf needs --out FILE");
    if (unit && !pdf)
        return jx_args_usage_error(&a, "--unit goes with --format pdf");
    if (jx_args_period(&a, "period", &period))
        return 1;
    jx_err_clear(&err);
    /* the stored rows, recomputed with their commission lines when the data is the run's,
       then their published versions */
    if (!(s = jx_store_open(db, false, &st, &err)) && !(s = jx_store_check_schema(st, &err)) &&
        !(s = jx_store_get_run(st, per, person, &rec, &err)) &&
        !(s = unit ? keep_unit(st, unit, &rec, &err) : JX_OK) &&
        !(s = jx_run_with_lines(st, &rec, &full, &lines, &err)) &&
        !(s = jx_results_show_versions(st, per, person, lines ? &full : &rec, &err))) {
        const struct jx_run_record *shown = lines ? &full : &rec;
        if (rec.nrows == 0) {
            s = jx_err_set(&err, JX_ENOTFOUND, "%s has no result in the %s run",
                           person ? person : unit, per);
        } else if (pdf) {
            if (!(s = jx_statement_pdf(out, shown, &err)))
                printf("wrote %s (%zu statement%s)\n", out, shown->nrows,
                       shown->nrows == 1 ? "" : "s");
        } else {
            FILE *f = out ? fopen(out, "w") : stdout;
            if (!f)
                s = jx_err_set(&err, JX_ESTORE, "cannot write %s", out);
            else {
                s = jx_statement_html(f, shown, &err);
                if (out && fclose(f) && !s)
                    s = jx_err_set(&err, JX_ESTORE, "cannot write %s", out);
            }
        }
    }
    jx_run_record_release(&full);
    jx_run_record_release(&rec);
    jx_store_close(st);
    return s ? jx_cli_fail(s, &err) : 0;
}
