/*
 * fuzz_csv_import.c - libFuzzer target for the CSV importer (src/io/import.c).
 *
 * Input: the first byte chooses the kind ('A' units, 'B' people, 'C'
 * customers, 'D' contracts, ... 'N' reports, in enum jx_kind order; any
 * other byte is taken modulo JX_KIND_COUNT), the rest is the CSV file.
 *
 * The store is an SQLite file created once per process in $TMPDIR, migrated,
 * seeded with a small company (units, people, customers, contracts, ...) so
 * that references can resolve, and kept across inputs.  For each input:
 *
 *   - the import succeeds (JX_OK, no errors) or reports the data's errors
 *     (JX_EINPUT, at least one message, nothing written); any other status
 *     means the database refused what validation let through: a finding;
 *   - after a failed import nothing changed: the row count of every kind
 *     and the digest of everything a run loads (jx_store_load) are as before;
 *   - after a successful import, importing the same bytes again succeeds
 *     and changes nothing (re-importing a row with the same key replaces it).
 *
 * When the store has grown past a few thousand rows it is recreated.  With
 * JX_FUZZ_VERBOSE set in the environment, each input's outcome is printed.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/data.h"
#include "io/import.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ROWS 5000 /* recreate the store beyond this many rows in all */

/* The state of the store that an import may change. */
struct snapshot {
    long counts[JX_KIND_COUNT];
    long total;
    unsigned char hash[32];
};

static struct jx_store *store;
static char db_path[4096];
static struct snapshot current; /* the store's state after the last input */
static struct jx_import_report report; /* large: kept out of the stack */
static bool verbose;
static const struct jx_import_opts opts = {.who = "fuzz", .progress = NULL};

/* The seed company, imported in this order when the store is created. */
static const struct {
    enum jx_kind kind;
    const char *csv;
} seed[] = {
    {JX_KIND_UNITS, "id,name,parent_id,kind\n"
                    "U1,总公司,,company\n"
                    "U2,营销中心,U1,center\n"
                    "U3,销售一部,U2,department\n"
                    "U4,一组,U3,team\n"},
    {JX_KIND_PEOPLE, "id,name,unit_id,role,manager_id,hire_date,status,base_salary,allowance\n"
                     "P1,赵总监,U2,director,,2018-03-01,regular,20000.00,2000.00\n"
                     "P2,钱经理,U3,manager,P1,2020-01-01,regular,8000.00,500\n"
                     "P3,孙一,U4,rep,P2,2024-03-01,regular,5000,\n"
                     "P4,李二,U4,rep,P2,2025-06-01,probation,4000.50,\n"
                     "P5,周会计,U1,finance,P1,2019-07-15,regular,7000,\n"},
    {JX_KIND_CUSTOMERS, "id,name,kind,class,tier,owner_id,signed_date\n"
                        "C1,甲公司,customer,A,stable,P3,2024-05-01\n"
                        "C2,乙代理,agent,B,high_potential,P4,2025-07-01\n"
                        "C3,丙经销,distributor,C,,P3,\n"},
    {JX_KIND_CONTRACTS,
     "contract_id,signed_date,customer_id,person_id,product,quantity,unit_price,base_price,"
     "retention_rate,excess_rate,concession,company_negotiated,credit_approved,"
     "acceptance_date,unit_cost,split\n"
     "K1,2025-08-05,C1,P3,设备A,2,10000.00,9000.00,5,,0,0,0,2025-08-20,6000,\n"
     "K1,2025-08-05,C1,P3,服务包,1,1200,1000,5,,0,0,0,2025-08-20,,\n"
     "K2,2025-08-10,C2,P4,设备B,3,5000,4800,,20%,1,0,1,,,P4:60;P3:40\n"},
    {JX_KIND_PAYMENTS, "id,contract_id,date,amount,kind\n"
                       "Y1,K1,2025-08-25,10000.00,payment\n"
                       "Y2,K2,2025-08-12,3000,deposit\n"},
    {JX_KIND_RETURNS, "id,contract_id,date,amount\n"
                      "R1,K1,2025-09-01,1200.00\n"},
    {JX_KIND_TARGETS, "subject_id,period,metric,value\n"
                      "P3,2025-08,sales,50000\n"
                      "U4,2025-Q3,team_sales,300000\n"},
    {JX_KIND_RATINGS, "subject_id,period,rater_id,rater_role,item,score,stage\n"
                      "P3,2025-08,P2,superior,attitude,85.5,initial\n"},
};

static void fail(const char *what, const struct jx_err *err)
{
    char buf[1024];
    fprintf(stderr, "fuzz_csv_import: %s%s%s\n", what, err ? ": " : "",
            err ? jx_err_format(err, buf, sizeof buf) : "");
    abort();
}

static void fail_report(const char *what, enum jx_status st)
{
    char buf[1024];
    fprintf(stderr, "fuzz_csv_import: %s (status %s, %d errors)\n", what, jx_status_name(st),
            report.nerrors);
    for (int i = 0; i < report.nerrors && i < JX_IMPORT_MAX_ERRORS; i++)
        fprintf(stderr, "  %s\n", jx_err_format(&report.errs[i], buf, sizeof buf));
    abort();
}

static void take_snapshot(struct snapshot *s)
{
    struct jx_err err;
    struct jx_data d;

    s->total = 0;
    for (int k = 0; k < JX_KIND_COUNT; k++) {
        if (jx_store_count(store, (enum jx_kind)k, &s->counts[k], &err))
            fail("cannot count rows", &err);
        s->total += s->counts[k];
    }
    if (jx_store_load(store, &d, &err))
        fail("the store no longer loads", &err);
    memcpy(s->hash, d.input_hash, sizeof s->hash);
    jx_data_release(&d);
}

static void same_snapshot(const struct snapshot *a, const struct snapshot *b, const char *when)
{
    for (int k = 0; k < JX_KIND_COUNT; k++)
        if (a->counts[k] != b->counts[k]) {
            fprintf(stderr, "fuzz_csv_import: %s: %s went from %ld to %ld rows\n", when,
                    jx_kinds[k].name, a->counts[k], b->counts[k]);
            abort();
        }
    if (memcmp(a->hash, b->hash, sizeof a->hash)) {
        fprintf(stderr, "fuzz_csv_import: %s: the loaded data changed\n", when);
        abort();
    }
}

static void remove_db(void)
{
    char p[sizeof db_path + 8];
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
}

static void at_exit(void)
{
    jx_store_close(store);
    store = NULL;
    if (db_path[0])
        remove_db();
}

/* Create (or recreate) the store and import the seed company. */
static void open_store(void)
{
    struct jx_err err;

    if (store) {
        jx_store_close(store);
        store = NULL;
        remove_db();
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(db_path, sizeof db_path, "%s/jx-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        int fd = mkstemp(db_path);
        if (fd < 0) {
            perror("fuzz_csv_import: mkstemp");
            abort();
        }
        close(fd);
        unlink(db_path); /* let SQLite create it */
        atexit(at_exit);
    }
    if (jx_store_open(db_path, true, &store, &err))
        fail("cannot create the store", &err);
    if (jx_store_migrate(store, NULL, NULL, &err))
        fail("cannot migrate the store", &err);
    for (size_t i = 0; i < sizeof seed / sizeof seed[0]; i++) {
        enum jx_status st = jx_import_buffer(store, seed[i].kind, "seed.csv", seed[i].csv,
                                             strlen(seed[i].csv), &opts, &report);
        if (st)
            fail_report(jx_kinds[seed[i].kind].name, st);
    }
    take_snapshot(&current);
}

/* With JX_FUZZ_VERBOSE set, say what became of each input (for writing seeds). */
static void print_report(enum jx_kind kind, enum jx_status st)
{
    char buf[1024];
    fprintf(stderr, "%s: %s, %ld rows, %ld written, %d errors\n", jx_kinds[kind].name,
            jx_status_name(st), report.rows, report.written, report.nerrors);
    for (int i = 0; i < report.nerrors; i++)
        fprintf(stderr, "  %s\n", jx_err_format(&report.errs[i], buf, sizeof buf));
}

static enum jx_kind pick_kind(uint8_t b)
{
    if (b >= 'A' && b < 'A' + JX_KIND_COUNT)
        return (enum jx_kind)(b - 'A');
    return (enum jx_kind)(b % JX_KIND_COUNT);
}

/* The report must agree with the status. */
static void check_report(enum jx_status st)
{
    char buf[1024];

    if (report.nerrors < 0 || report.nerrors > JX_IMPORT_MAX_ERRORS || report.rows < 0 ||
        report.written < 0 || report.more_errors < 0)
        fail_report("report out of bounds", st);
    for (int i = 0; i < report.nerrors; i++) {
        const struct jx_err *e = &report.errs[i];
        if (!memchr(e->msg, '\0', sizeof e->msg) || !memchr(e->file, '\0', sizeof e->file) ||
            !memchr(e->field, '\0', sizeof e->field) || e->line < 0)
            fail_report("an error record is not terminated", st);
        if (!e->msg[0])
            fail_report("an error without a message", st);
        jx_err_format(e, buf, sizeof buf);
    }
    if (st == JX_OK && (report.nerrors != 0 || report.more_errors != 0))
        fail_report("success with errors", st);
    if (st == JX_EINPUT && (report.nerrors == 0 || report.written != 0))
        fail_report("refused without a message, or with rows written", st);
    if (st != JX_OK && st != JX_EINPUT)
        fail_report("the store refused data that validation accepted", st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!store) {
        verbose = getenv("JX_FUZZ_VERBOSE") != NULL;
        open_store();
    }
    if (size < 1)
        return 0;

    enum jx_kind kind = pick_kind(data[0]);
    /* An exact-size copy, so that reading past the end is caught by ASan. */
    size_t len = size - 1;
    char *csv = malloc(len ? len : 1);
    if (!csv)
        abort();
    memcpy(csv, data + 1, len);

    struct snapshot after;
    memset(&report, 0xa5, sizeof report); /* the importer must fill it */
    enum jx_status st =
        jx_import_buffer(store, kind, "fuzz.csv", csv, len, &opts, &report);
    check_report(st);
    if (verbose)
        print_report(kind, st);
    take_snapshot(&after);
    if (st != JX_OK) {
        same_snapshot(&current, &after, "after a failed import");
    } else {
        /* Importing the same file again replaces every row by itself. */
        struct snapshot again;
        memset(&report, 0xa5, sizeof report);
        st = jx_import_buffer(store, kind, "fuzz.csv", csv, len, &opts, &report);
        check_report(st);
        if (st != JX_OK)
            fail_report("a file imported once is refused the second time", st);
        take_snapshot(&again);
        same_snapshot(&after, &again, "after importing the same file twice");
        current = after;
        if (current.total > MAX_ROWS)
            open_store();
    }
    free(csv);
    return 0;
}
