/*
 * cmd_import.c - jixiao import --db PATH KIND FILE: check a CSV file of one
 * kind and write all of it, or nothing (exit 2 and every error found).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "io/import.h"
#include "io/xlsx_in.h"
#include "store/store.h"

#define HELP_WIDTH 100
#define HELP_INDENT 14

/* One column for the help: "name", "[name]", with "(a|b|c)" for an enumeration. */
static void column_help(const struct jx_column *col, char *buf, size_t n)
{
    size_t used = (size_t)snprintf(buf, n, "%s%s", col->required ? "" : "[", col->name);
    if (col->type == JX_T_ENUM) {
        for (const char *const *v = col->values; *v && used < n; v++)
            used += (size_t)snprintf(buf + used, n - used, "%s%s", v == col->values ? " " : "|",
                                     *v);
    } else if (col->type == JX_T_SPLIT && used < n) {
        used += (size_t)snprintf(buf + used, n - used, " P1:60;P2:40");
    } else if (col->type == JX_T_BOOL && used < n) {
        used += (size_t)snprintf(buf + used, n - used, " 0|1");
    }
    if (!col->required && used < n)
        snprintf(buf + used, n - used, "]");
}

/* The kinds and their columns, generated from the model table, wrapped to HELP_WIDTH. */
static void kinds_help(FILE *out)
{
    fputs("\nkinds and their columns ([optional]; one row per line of a contract, the rows of\n"
          "one contract_id form one contract; Chinese headers such as 工号, 姓名, 合同编号,\n"
          "数量, 单价, 基准价, 回款金额 are accepted):\n",
          out);
    for (int k = 0; k < JX_KIND_COUNT; k++) {
        const struct jx_kind_def *d = &jx_kinds[k];
        int col = fprintf(out, "  %-*s", HELP_INDENT - 2, d->name);
        for (size_t c = 0; c < d->ncolumns; c++) {
            char item[160];
            column_help(&d->columns[c], item, sizeof item);
            int w = (int)strlen(item) + (c + 1 < d->ncolumns ? 1 : 0);
            if (c > 0 && col + 1 + w > HELP_WIDTH) {
                fprintf(out, "\n%*s", HELP_INDENT, "");
                col = HELP_INDENT;
            } else if (c > 0) {
                fputc(' ', out);
                col++;
            }
            col += fprintf(out, "%s%s", item, c + 1 < d->ncolumns ? "," : "");
        }
        fputc('\n', out);
    }
    fputs("\nAmounts are yuan (12345.67), rates percentages (5 or 5%), dates YYYY-MM-DD, times\n"
          "YYYY-MM-DD HH:MM.  Re-importing a row with the same key replaces it.  Rows dated in\n"
          "a locked period are refused.\n"
          "Exit codes: 0 imported, 1 usage, 2 invalid data (nothing imported), 3 storage error.\n",
          out);
}

/* The names of the kinds, "units, people, ...", into buf. */
const char *jx_cli_kind_names(char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < JX_KIND_COUNT && used < n; k++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", k ? ", " : "", jx_kinds[k].name);
    return buf;
}

int jx_cmd_import(int argc, char **argv)
{
    struct jx_opt opts[] = {
        {.name = "db", .arg = "PATH", .help = "database file (made with 'jixiao init')"},
        {.name = "sheet", .arg = "NAME", .help = "an .xlsx file: the sheet (default the first)"},
        {0},
    };
    struct jx_args a = {.cmd = "import",
                        .usage = "--db PATH KIND FILE (.csv, or .xlsx [--sheet NAME])",
                        .summary = "Import a CSV file (UTF-8, header row) or a sheet of an .xlsx "
                                   "workbook of one KIND: every row\nis checked first, and the "
                                   "file is written whole or not at all (导入数据, 全部成功或全部"
                                   "不导入).",
                        .opts = opts,
                        .positional = true};
    struct jx_store *st = NULL;
    struct jx_import_report *rep = NULL;
    struct jx_err err;
    char names[256], line[1024];
    int rc = jx_args_parse(&a, argc, argv);
    if (rc)
        return rc;
    if (a.help) {
        kinds_help(stdout);
        return 0;
    }
    const char *db = jx_args_get(&a, "db");
    if (!db)
        return jx_args_usage_error(&a, "--db is required");
    if (a.npos < 2)
        return jx_args_usage_error(&a, "KIND and FILE are required");
    if (a.npos > 2)
        return jx_args_usage_error(&a, "unexpected argument \"%s\"", a.pos[2]);
    enum jx_kind kind = jx_kind_by_name(a.pos[0]);
    if (kind == JX_KIND_NONE)
        return jx_args_usage_error(&a, "unknown KIND \"%s\" (one of %s)", a.pos[0],
                                   jx_cli_kind_names(names, sizeof names));
    const char *file = a.pos[1];

    jx_err_clear(&err);
    enum jx_status s = jx_store_open(db, false, &st, &err);
    if (!s)
        s = jx_store_check_schema(st, &err);
    if (s) {
        jx_store_close(st);
        return jx_cli_fail(s, &err);
    }
    rep = calloc(1, sizeof *rep);
    if (!rep) {
        jx_store_close(st);
        return jx_cli_fail(jx_err_set(&err, JX_ENOMEM, "out of memory"), &err);
    }
    struct jx_import_opts io = {.who = "cli", .progress = stderr};
    size_t fl = strlen(file);
    if (fl > 5 && !strcmp(file + fl - 5, ".xlsx")) {
        /* a workbook: its sheet as CSV, messages naming "FILE:SHEET:ROW" */
        char *csv = NULL, sheet[128], name[600];
        size_t len = 0;
        s = jx_xlsx_sheet_csv(file, jx_args_get(&a, "sheet"), &csv, &len, sheet, sizeof sheet,
                              &rep->errs[0]);
        if (s) {
            rep->nerrors = 1;
        } else {
            snprintf(name, sizeof name, "%s:%s", file, sheet);
            s = jx_import_buffer(st, kind, name, csv, len, &io, rep);
        }
        free(csv);
    } else if (jx_args_get(&a, "sheet")) {
        s = jx_err_set(&rep->errs[0], JX_EUSAGE, "--sheet goes with an .xlsx file");
        rep->nerrors = 1;
    } else {
        s = jx_import_file(st, kind, file, &io, rep);
    }
    jx_store_close(st);

    if (s == JX_OK) {
        printf("imported %ld row%s of %s from %s\n", rep->written, rep->written == 1 ? "" : "s",
               jx_kinds[kind].name, file);
        free(rep);
        return 0;
    }
    if (s == JX_EINPUT) {
        long total = rep->nerrors + rep->more_errors;
        for (int i = 0; i < rep->nerrors; i++)
            fprintf(stderr, "%s\n", jx_err_format(&rep->errs[i], line, sizeof line));
        if (rep->more_errors)
            fprintf(stderr, "%s: %ld more errors not shown\n", file, rep->more_errors);
        fprintf(stderr, "%s: %ld error%s, nothing imported\n", file, total,
                total == 1 ? "" : "s");
        free(rep);
        return jx_status_exit_code(s);
    }
    rc = rep->nerrors ? jx_cli_fail(s, &rep->errs[0]) : jx_status_exit_code(s);
    free(rep);
    return rc;
}
