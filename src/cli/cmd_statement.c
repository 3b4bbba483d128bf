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
#include "io/statement.h"
#include "store/store.h"

int jx_cmd_statement(int argc, char **argv)
{
    struct jx_opt opts[] = {
        {.name = "db", .arg = "PATH", .help = "the database"},
        {.name = "period", .arg = "P", .help = "the period"},
        {.name = "person", .arg = "ID", .help = "the person"},
        {.name = "format", .arg = "FMT", .help = "html (pdf is not there yet)"},
        {.name = "out", .arg = "FILE", .help = "write to FILE instead of standard output"},
        {0},
    };
    struct jx_args a = {.cmd = "statement",
                        .usage = "--db PATH --period P --person ID --format html [--out FILE]",
                        .summary = "A person's pay statement for the period (工资单): pay, score, "
                                   "grade and rank, and every line of the\ncalculation, as a "
                                   "page to print.",
                        .opts = opts};
    struct jx_store *st = NULL;
    struct jx_run_record rec = {0};
    struct jx_period period;
    struct jx_err err;
    enum jx_status s;
    int rc = jx_args_parse(&a, argc, argv);
    if (rc || a.help)
        return rc;
    const char *db = jx_args_get(&a, "db"), *per = jx_args_get(&a, "period"),
               *person = jx_args_get(&a, "person"), *fmt = jx_args_get(&a, "format"),
               *out = jx_args_get(&a, "out");
    if (!db || !per || !person)
        return jx_args_usage_error(&a, "--db, --period and --person are required");
    if (fmt && strcmp(fmt, "html"))
        return jx_args_usage_error(&a, "--format %s is not there yet: use html", fmt);
    if (jx_args_period(&a, "period", &period))
        return 1;
    jx_err_clear(&err);
    if (!(s = jx_store_open(db, false, &st, &err)) && !(s = jx_store_check_schema(st, &err)) &&
        !(s = jx_store_get_run(st, per, person, &rec, &err)) &&
        !(s = jx_results_show_versions(st, per, person, &rec, &err))) {
        if (rec.nrows == 0) {
            s = jx_err_set(&err, JX_ENOTFOUND, "%s has no result in the %s run", person, per);
        } else {
            FILE *f = out ? fopen(out, "w") : stdout;
            if (!f)
                s = jx_err_set(&err, JX_ESTORE, "cannot write %s", out);
            else {
                s = jx_statement_html(f, &rec, &err);
                if (out && fclose(f) && !s)
                    s = jx_err_set(&err, JX_ESTORE, "cannot write %s", out);
            }
        }
    }
    jx_run_record_release(&rec);
    jx_store_close(st);
    return s ? jx_cli_fail(s, &err) : 0;
}
