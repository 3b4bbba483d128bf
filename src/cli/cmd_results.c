/*
 * cmd_results.c - jixiao results: print the newest stored run of a period.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "core/date.h"
#include "io/results.h"
#include "io/xlsx_out.h"
#include "store/store.h"


int jx_cmd_results(int argc, char **argv)
{
    struct jx_opt opts[] = {
        {.name = "db", .arg = "PATH", .help = "the database"},
        {.name = "period", .arg = "P", .help = "the period: 2025-08, 2025-Q3 or 2025"},
        {.name = "format", .arg = "FMT", .help = "table (default), json, csv or xlsx (with --out)"},
        {.name = "out", .arg = "FILE", .help = "xlsx: the workbook to write"},
        {0},
    };
    struct jx_args a = {.cmd = "results",
                        .usage = "--db PATH --period P [--format table|json|csv] [--format xlsx --out FILE]",
                        .summary = "Print the results of the period's newest run (查看核算结果).",
                        .opts = opts};
    struct jx_store *st = NULL;
    struct jx_run_record rec = {0};
    struct jx_err err;
    enum jx_format fmt = JX_FMT_TABLE;
    enum jx_status s;
    struct jx_period period;
    int rc = jx_args_parse(&a, argc, argv);
    if (rc || a.help)
        return rc;
    const char *db = jx_args_get(&a, "db"), *per = jx_args_get(&a, "period"),
               *f = jx_args_get(&a, "format");
    if (!db || !per)
        return jx_args_usage_error(&a, "--db and --period are required");
    const char *out = jx_args_get(&a, "out");
    bool xlsx = f && !strcmp(f, "xlsx");
    if (f && !xlsx && !jx_format_parse(f, &fmt))
        return jx_args_usage_error(&a, "--format must be table, json, csv or xlsx");
    if (xlsx != (out != NULL))
        return jx_args_usage_error(&a, "--format xlsx goes with --out FILE (and only it)");
    jx_err_clear(&err);
    if (jx_args_period(&a, "period", &period))
        return 1;
    if (!(s = jx_store_open(db, false, &st, &err)) && !(s = jx_store_check_schema(st, &err)) &&
        !(s = xlsx ? jx_store_get_run(st, per, NULL, &rec, &err) /* the sheet has the traces */
                   : jx_store_get_results(st, per, &rec, &err)) &&
        !(s = jx_results_show_versions(st, per, NULL, &rec, &err))) {
        if (xlsx && !(s = jx_results_xlsx(out, &rec, &err)))
            printf("wrote %s (%zu results)\n", out, rec.nrows);
        else if (!xlsx)
            s = jx_results_print(stdout, &rec, fmt, &err);
    }
    jx_run_record_release(&rec);
    jx_store_close(st);
    return s ? jx_cli_fail(s, &err) : 0;
}
