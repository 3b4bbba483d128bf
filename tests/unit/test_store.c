/*
 * test_store.c - the SQLite store: migrations, upserts, contract lines,
 * transactions, locks and the append-only audit log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/store.h"

struct fixture {
    char path[64];
    struct jx_store *st;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct jx_err err;
    snprintf(f->path, sizeof f->path, "/tmp/jx-test-store-%d.db", (int)getpid());
    unlink(f->path);
    if (jx_store_open(f->path, true, &f->st, &err) || jx_store_migrate(f->st, NULL, NULL, &err))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char p[80];
    jx_store_close(f->st);
    unlink(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
    free(f);
    return 0;
}

/* Build a row of kind from "col=value" texts; numbers are given as raw ints. */
static void row(enum jx_kind kind, struct jx_value *v, const char *const *cells)
{
    const struct jx_kind_def *k = &jx_kinds[kind];
    for (size_t c = 0; c < k->ncolumns; c++)
        v[c] = (struct jx_value){.null = true};
    for (; *cells; cells++) {
        const char *eq = strchr(*cells, '=');
        int c = jx_kind_column(kind, *cells, (size_t)(eq - *cells));
        assert_true(c >= 0);
        v[c].null = false;
        v[c].s = eq + 1;
        v[c].len = strlen(eq + 1);
        v[c].i = strtoll(eq + 1, NULL, 10);
    }
}

static void put(struct jx_store *st, enum jx_kind kind, const char *const *cells)
{
    struct jx_value v[32];
    struct jx_err err;
    row(kind, v, cells);
    enum jx_status s = jx_store_put(st, kind, v, &err);
    if (s)
        fail_msg("put %s: %s", jx_kinds[kind].name, err.msg);
}

static long count(struct jx_store *st, enum jx_kind kind)
{
    long n = -1;
    assert_int_equal(jx_store_count(st, kind, &n, NULL), JX_OK);
    return n;
}

static void seed(struct jx_store *st)
{
    put(st, JX_KIND_UNITS, (const char *[]){"id=U1", "name=公司", "kind=company", NULL});
    put(st, JX_KIND_PEOPLE,
        (const char *[]){"id=P1", "name=张三", "unit_id=U1", "role=rep", "hire_date=2025-01-02",
                         "status=regular", "base_salary=500000", NULL});
    put(st, JX_KIND_CUSTOMERS,
        (const char *[]){"id=C1", "name=客户", "kind=customer", "class=A", "owner_id=P1", NULL});
}

static void upsert_and_lines(void **state)
{
    struct fixture *f = *state;
    struct jx_err err;
    bool ex;
    assert_int_equal(jx_store_check_schema(f->st, &err), JX_OK);
    assert_int_equal(jx_store_begin(f->st, &err), JX_OK);
    seed(f->st);
    const char *line1[] = {"contract_id=K1", "signed_date=2025-08-01", "customer_id=C1",
                           "person_id=P1", "product=A", "quantity=10", "unit_price=2000000",
                           "base_price=1800000", "split=P1:100", NULL};
    put(f->st, JX_KIND_CONTRACTS, line1);
    put(f->st, JX_KIND_CONTRACTS, line1);
    assert_int_equal(jx_store_commit(f->st, &err), JX_OK);
    assert_int_equal(count(f->st, JX_KIND_CONTRACTS), 2);
    assert_int_equal(jx_store_exists(f->st, JX_KIND_CONTRACTS, "K1", 2, &ex, &err), JX_OK);
    assert_true(ex);
    assert_int_equal(jx_store_exists(f->st, JX_KIND_PEOPLE, "P9", 2, &ex, &err), JX_OK);
    assert_false(ex);

    /* Re-importing the contract with one line replaces both earlier lines. */
    assert_int_equal(jx_store_begin(f->st, &err), JX_OK);
    put(f->st, JX_KIND_CONTRACTS, line1);
    put(f->st, JX_KIND_PEOPLE,
        (const char *[]){"id=P1", "name=张三丰", "unit_id=U1", "role=rep",
                         "hire_date=2025-01-02", "status=regular", "base_salary=600000", NULL});
    assert_int_equal(jx_store_commit(f->st, &err), JX_OK);
    assert_int_equal(count(f->st, JX_KIND_CONTRACTS), 1);
    assert_int_equal(count(f->st, JX_KIND_PEOPLE), 1);
}

static void rollback_leaves_nothing(void **state)
{
    struct fixture *f = *state;
    struct jx_err err;
    assert_int_equal(jx_store_begin(f->st, &err), JX_OK);
    seed(f->st);
    jx_store_rollback(f->st);
    assert_int_equal(count(f->st, JX_KIND_UNITS), 0);
    /* A dangling reference is refused at commit (deferred foreign keys). */
    assert_int_equal(jx_store_begin(f->st, &err), JX_OK);
    put(f->st, JX_KIND_PEOPLE,
        (const char *[]){"id=P2", "name=李四", "unit_id=NOPE", "role=rep",
                         "hire_date=2025-01-02", "status=regular", "base_salary=1", NULL});
    assert_int_equal(jx_store_commit(f->st, &err), JX_ESTORE);
    assert_int_equal(count(f->st, JX_KIND_PEOPLE), 0);
}

static void locks_and_audit(void **state)
{
    struct fixture *f = *state;
    struct jx_err err;
    bool locked = true;
    sqlite3 *db;
    assert_int_equal(jx_store_period_locked(f->st, "2025-08", &locked, &err), JX_OK);
    assert_false(locked);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO periods(period,locked_at,locked_by) "
                                  "VALUES('2025-Q3','2025-10-01','fin')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(jx_store_period_locked(f->st, "2025-08", &locked, &err), JX_OK);
    assert_true(locked);
    assert_int_equal(jx_store_period_locked(f->st, "2025-10", &locked, &err), JX_OK);
    assert_false(locked);
    assert_int_equal(jx_store_audit(f->st, "hr1", "import", "x.csv: 1 rows", NULL, NULL, &err),
                     JX_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_log", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE audit_log SET who='x'", NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(db);
}

static void open_missing(void **state)
{
    (void)state;
    struct jx_store *st = NULL;
    struct jx_err err;
    jx_err_clear(&err);
    assert_int_equal(jx_store_open("/tmp/jx-no-such-dir/x.db", false, &st, &err), JX_ESTORE);
    assert_non_null(strstr(err.msg, "jixiao init"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(upsert_and_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(rollback_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(locks_and_audit, setup, teardown),
        cmocka_unit_test(open_missing),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
