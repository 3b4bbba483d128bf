/*
 * cmd_export.c - jixiao export: the stored rows of a kind in its import
 * format, as CSV or an .xlsx workbook (导出数据), to edit and import again.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "io/export.h"
#include "store/store.h"

int jx_cmd_export(int argc, char **argv)
{
    struct jx_opt opts[] = {
        {.name = "db", .arg = "PATH", .help = "the database"},
        {0},
    };
    struct jx_args a = {.cmd = "export",
                        .usage = "--db PATH KIND FILE (.csv or .xlsx)",
                        .summary = "Write every stored row of one KIND to FILE with the import "
                                   "headers: CSV, or an Excel\nworkbook (dates as dates, money as "
                                   "numbers). 'jixiao import' reads it back to the\nsame rows "
                                   "(导出数据).",
                        .opts = opts,
                        .positional = true};
    struct jx_store *st = NULL;
    struct jx_err err;
    char names[256];
    size_t rows = 0;
    int rc = jx_args_parse(&a, argc, argv);
    if (rc || a.help)
        return rc;
    const char *db = jx_args_get(&a, "db");
    if (!db)
        return jx_args_usage_error(&a, "--db is required");
    if (a.npos != 2)
        return jx_args_usage_error(&a, a.npos < 2 ? "KIND and FILE are required"
                                                  : "unexpected argument \"%s\"",
                                   a.npos > 2 ? a.pos[2] : "");
    enum jx_kind kind = jx_kind_by_name(a.pos[0]);
    if (kind == JX_KIND_NONE)
        return jx_args_usage_error(&a, "unknown KIND \"%s\" (one of %s)", a.pos[0],
                                   jx_cli_kind_names(names, sizeof names));
    const char *file = a.pos[1];
    size_t fl = strlen(file);
    bool xlsx = fl > 5 && !strcmp(file + fl - 5, ".xlsx");
    if (!xlsx && !(fl > 4 && !strcmp(file + fl - 4, ".csv")))
        return jx_args_usage_error(&a, "FILE must end in .csv or .xlsx");
    jx_err_clear(&err);
    enum jx_status s = jx_store_open(db, false, &st, &err);
    if (!s)
        s = jx_store_check_schema(st, &err);
    if (!s)
        s = jx_export(st, kind, file, xlsx, &rows, &err);
    jx_store_close(st);
    if (s)
        return jx_cli_fail(s, &err);
    printf("wrote %s (%zu %s rows)\n", file, rows, jx_kinds[kind].name);
    return 0;
}
