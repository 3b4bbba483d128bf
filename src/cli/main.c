/*
 * main.c - the jixiao command: one table of subcommands, each in its own
 * file (cli/cmd_<name>.c).  Only this file calls exit().
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/arena.h"

static const struct jx_cmd commands[] = {
    {"init", jx_cmd_init, "create or migrate a database"},
    {"import", jx_cmd_import, "import a CSV file of one KIND (all or nothing)"},
    {"run", jx_cmd_run, "compute a period with plans, store and print the run"},
    {"export", jx_cmd_export, "write the stored rows of a KIND back out as CSV or .xlsx"},
    {"results", jx_cmd_results, "print the newest run of a period"},
    {"explain", jx_cmd_explain, "explain one person's figures, line by line"},
    {"lock", jx_cmd_lock, "close a pay period for good"},
    {"plan", jx_cmd_plan, "check plan files; list the variables formulas may use"},
    {"publish", jx_cmd_publish, "publish a period's appraisal; --status: draft/published/final"},
    {"appeal", jx_cmd_appeal, "appeals against published results: add, decide, list"},
    {"complaints", jx_cmd_complaints, "complaint tickets: deadlines, breaches, service metrics"},
    {"customers", jx_cmd_customers, "contact cadence by customer tier; overdue contacts"},
    {"statement", jx_cmd_statement, "a person's pay statement as a printable page"},
    {"serve", jx_cmd_serve, "serve the web application (UI and JSON API)"},
    {"user", jx_cmd_user, "users of the web application: add, passwd, list, disable"},
    {"demo", jx_cmd_demo, "build the demo company (a year of data) in a new database"},
    {"version", jx_cmd_version, "print the version"},
};

static void usage(FILE *out)
{
    fputs("jixiao - sales performance appraisal and incentive pay (销售绩效考核与提成)\n\n"
          "usage: jixiao COMMAND [OPTIONS]\n\ncommands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'jixiao COMMAND --help' describes one command.\n"
          "Exit codes: 0 ok, 1 usage, 2 invalid input (nothing written), 3 storage or "
          "internal error.\n",
          out);
}

int main(int argc, char **argv)
{
    jx_mem_keep_freed();
    if (argc < 2) {
        usage(stderr);
        return 1;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "jixiao: unknown command \"%s\"\n", argv[1]);
    usage(stderr);
    return 1;
}
