/*
 * cmd_demo.c - jixiao demo [--db PATH]: build the demo company (io/demo.h)
 * in a new database, compute every month of its year with the shipped pay
 * plans, and print a summary per unit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "core/calendar.h"
#include "core/date.h"
#include "engine/engine.h"
#include "io/demo.h"
#include "io/results.h"
#include "io/run.h"
#include "plan/plan.h"
#include "store/store.h"

#define DEMO_PASSWORD "jixiao-demo"

/* One web user per role: name, role, person. */
static const struct {
    const char *name, *role, *person;
} demo_users[] = {{"admin", "admin", NULL},       {"hr", "hr", "P001"},
                  {"finance", "finance", "P002"}, {"director", "director", "P010"},
                  {"manager", "manager", "P100"}, {"rep", "rep", "P101"},
                  {"engineer", "engineer", "P201"}};

/* Add the demo users (argon2id hashes of DEMO_PASSWORD) and print the logins. */
static enum jx_status add_users(struct jx_store *st, struct jx_err *err)
{
    printf("\nweb logins (password %s):", DEMO_PASSWORD);
    for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
        struct jx_user u = {0};
        enum jx_status s;
        snprintf(u.name, sizeof u.name, "%s", demo_users[i].name);
        snprintf(u.role, sizeof u.role, "%s", demo_users[i].role);
        if (demo_users[i].person)
            snprintf(u.person_id, sizeof u.person_id, "%s", demo_users[i].person);
        if (jx_cli_hash_password(DEMO_PASSWORD, u.pw_hash))
            return jx_err_set(err, JX_ENOMEM, "cannot hash the demo password");
        if ((s = jx_store_user_put(st, &u, true, "demo", err)))
            return s;
        printf(" %s (%s%s%s)", u.name, u.role, u.person_id[0] ? ", " : "", u.person_id);
    }
    putchar('\n');
    return JX_OK;
}

/* The plans the demo runs together, when they are in the plans directory. */
static const char *const pay_plans[] = {"marketing-center.yaml", "agent-sales.yaml",
                                        "after-sales.yaml",      "sales-scorecard.yaml",
                                        "manager-scorecard.yaml", "sales-department.yaml"};
#define NPAY_PLANS (sizeof pay_plans / sizeof pay_plans[0])
#define MAX_ERRORS_SHOWN 20

/* Open (creating) and migrate db; refuse one that already holds people. */
static enum jx_status open_empty(const char *db, struct jx_store **st, struct jx_err *err)
{
    long n = 0;
    enum jx_status s = jx_store_open(db, true, st, err);
    if (!s)
        s = jx_store_migrate(*st, NULL, NULL, err);
    if (!s)
        s = jx_store_count(*st, JX_KIND_PEOPLE, &n, err);
    if (!s && n > 0)
        s = jx_err_set(err, JX_EUSAGE,
                       "%s already holds data (%ld people); the demo needs a new database: "
                       "remove the file or give another --db",
                       db, n);
    return s;
}

/* Print the errors of an import the generated data failed (a bug of the generator). */
static void print_refused(const struct jx_demo_report *rep)
{
    char line[1024];
    int shown = rep->import.nerrors < MAX_ERRORS_SHOWN ? rep->import.nerrors : MAX_ERRORS_SHOWN;
    for (int i = 0; i < shown; i++)
        fprintf(stderr, "%s\n", jx_err_format(&rep->import.errs[i], line, sizeof line));
    if (rep->import.nerrors + rep->import.more_errors > shown)
        fprintf(stderr, "... %ld more errors\n",
                rep->import.nerrors + rep->import.more_errors - shown);
}

/* Load the pay plans found in dir into plans[]; *n of them. */
static enum jx_status load_plans(const char *dir, struct jx_plan **plans, size_t *n,
                                 struct jx_err *err)
{
    *n = 0;
    for (size_t i = 0; i < NPAY_PLANS; i++) {
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, pay_plans[i]) >= sizeof path)
            return jx_err_set(err, JX_EUSAGE, "--plans: the path is too long");
        if (access(path, R_OK) != 0)
            continue;
        enum jx_status s = jx_plan_load_file(path, &plans[*n], err);
        if (s)
            return s;
        (*n)++;
    }
    return JX_OK;
}

/*
 * Compute and store every month of the demo year with the plans, each month
 * reading the stored month before it (jx_run_period), exactly as jixiao run
 * does.
 */
static enum jx_status run_year(struct jx_store *st, const struct jx_plan *const *plans,
                               size_t nplans, struct jx_err *err)
{
    for (int m = 1; m <= 12; m++) {
        struct jx_period period = {JX_PERIOD_MONTH, JX_DEMO_YEAR, m};
        char pbuf[JX_PERIOD_BUFSZ];
        struct jx_run_timing tm;
        enum jx_status s = jx_run_period(st, plans, nplans, &period, "demo", &tm, err);
        if (s)
            return s;
        fprintf(stderr, "demo: computed %s (%zu people)\n", jx_period_format(&period, pbuf),
                tm.results);
    }
    return JX_OK;
}

int jx_cmd_demo(int argc, char **argv)
{
    struct jx_opt opts[] = {
        {.name = "db", .arg = "PATH", .help = "the new database (default demo.db)"},
        {.name = "plans",
         .arg = "DIR",
         .help = "where the pay plans are (default plans); none there: no pay runs"},
        {.name = "users",
         .help = "also add one web user per role, password " DEMO_PASSWORD " (printed)"},
        {0},
    };
    struct jx_args a = {.cmd = "demo",
                        .usage = "[--db PATH] [--plans DIR] [--users]",
                        .summary = "Build the demo company 某某科技有限公司 in a new database: "
                                   "about thirty people, a year (2025)\nof contracts, "
                                   "collections, complaints, ratings and more, the same every "
                                   "time; compute\neach month with the pay plans and print a "
                                   "summary per unit (演示数据).",
                        .opts = opts};
    struct jx_store *st = NULL;
    struct jx_demo_report *rep = NULL;
    struct jx_plan *plans[NPAY_PLANS] = {0};
    struct jx_data data = {0};
    struct jx_run_record last = {0};
    struct jx_err err;
    size_t nplans = 0;
    enum jx_status s;
    int rc = jx_args_parse(&a, argc, argv);
    if (rc || a.help)
        return rc;
    const char *db = jx_args_get(&a, "db"), *dir = jx_args_get(&a, "plans");
    if (!db)
        db = "demo.db";
    if (!dir)
        dir = "plans";

    jx_err_clear(&err);
    if ((s = load_plans(dir, plans, &nplans, &err)) || (s = open_empty(db, &st, &err)))
        goto done;
    if (!(rep = calloc(1, sizeof *rep))) {
        s = jx_err_set(&err, JX_ENOMEM, "out of memory");
        goto done;
    }
    struct jx_demo_opts dopts = {.who = "demo", .progress = stderr};
    if ((s = jx_demo_build(st, &dopts, rep, &err))) {
        if (rep->failed != JX_KIND_NONE)
            print_refused(rep);
        goto done;
    }
    if ((s = jx_store_load(st, &data, &err)))
        goto done;
    if (nplans) {
        if ((s = run_year(st, (const struct jx_plan *const *)plans, nplans, &err)) ||
            (s = jx_store_get_run(st, "2025-12", NULL, &last, &err)))
            goto done;
    } else {
        fprintf(stderr, "demo: no pay plans in %s/: the pay runs are skipped (see --plans)\n", dir);
    }

    printf("%s: 某某科技有限公司, %d: %ld units, %ld people, %ld customers, %ld contracts "
           "(%ld lines), %ld payments, %ld complaints\n\n",
           db, JX_DEMO_YEAR, rep->rows[JX_KIND_UNITS], rep->rows[JX_KIND_PEOPLE],
           rep->rows[JX_KIND_CUSTOMERS], rep->contracts, rep->rows[JX_KIND_CONTRACTS],
           rep->rows[JX_KIND_PAYMENTS], rep->rows[JX_KIND_COMPLAINTS]);
    if ((s = jx_demo_summary(stdout, &data, nplans ? &last : NULL, "2025-12", &err)))
        goto done;
    if (nplans) {
        printf("\npay runs 2025-01 to 2025-12 with");
        for (size_t i = 0; i < nplans; i++)
            printf("%s %s", i ? "," : "", plans[i]->name);
        printf("; try: jixiao results --db %s --period 2025-12\n", db);
    }
    if (jx_args_get(&a, "users") && (s = add_users(st, &err)))
        goto done;
done:
    jx_run_record_release(&last);
    jx_data_release(&data);
    free(rep);
    jx_store_close(st);
    for (size_t i = 0; i < nplans; i++)
        jx_plan_free(plans[i]);
    return s ? jx_cli_fail(s, &err) : 0;
}
