/*
 * cmd_plan.c - jixiao plan check|vars: check plan files; list the built-in variables.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "plan/plan.h"
#include "plan/vars.h"

int jx_cmd_plan(int argc, char **argv)
{
    struct jx_opt opts[] = {{0}};
    struct jx_args a = {.cmd = "plan",
                        .usage = "check FILE... | vars",
                        .summary = "check: load and check plan files, report the first problem "
                                   "of each with its line.\nvars: list the built-in variables "
                                   "formulas may use.",
                        .opts = opts,
                        .positional = true};
    struct jx_err err;
    int rc = jx_args_parse(&a, argc, argv), worst = 0;
    if (rc || a.help)
        return rc;
    if (a.npos == 1 && !strcmp(a.pos[0], "vars")) {
        for (int i = 0; i < JX_V_COUNT; i++)
            printf("%-24s %s / %s: %s\n", jx_vars[i].name, jx_vars[i].label_zh,
                   jx_vars[i].label_en, jx_vars[i].doc);
        puts("rating.ITEM              评分: the mean score of the ratings of ITEM in the period "
             "(review replaces initial)\n"
             "has_rating.ITEM          1 when there is a rating of ITEM\n"
             "target.METRIC            目标: the person's target of METRIC for the period\n"
             "has_target.METRIC        1 when there is such a target");
        return 0;
    }
    if (a.npos < 2 || strcmp(a.pos[0], "check"))
        return jx_args_usage_error(&a, "expected \"check FILE...\" or \"vars\"");
    for (int i = 1; i < a.npos; i++) {
        struct jx_plan *p = NULL;
        jx_err_clear(&err);
        enum jx_status s = jx_plan_load_file(a.pos[i], &p, &err);
        if (s) {
            int code = jx_cli_fail(s, &err);
            if (code > worst)
                worst = code;
            continue;
        }
        printf("%s: plan %s ok (%zu parameters, %zu values, %zu flags)\n", a.pos[i], p->name,
               p->nparams, p->nvalues, p->nflags);
        jx_plan_free(p);
    }
    return worst;
}
