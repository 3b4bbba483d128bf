/*
 * test_import.c - the CSV importer: physical line numbers, the error limit and
 * order, references forward in the same file, canonical splits, every
 * allocation failing in turn (nothing written, "out of memory" reported),
 * progress lines for large inputs, and the same data loaded whatever order
 * its rows were stored in and however many connections read them.
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

#include "core/arena.h"
#include "engine/data.h"
#include "io/import.h"

struct fixture {
    char path[64];
    struct jx_store *st;
    struct jx_import_report rep;
};

static const char units_csv[] = "id,name,parent_id,kind\n"
                                "CO,公司,,company\n"
                                "T1,一组,CO,team\n";
static const char people_csv[] = "id,name,unit_id,role,manager_id,hire_date,status,base_salary\n"
                                 "M1,经理,T1,manager,,2020-01-01,regular,8000\n"
                                 "P1,甲,T1,rep,M1,2024-01-01,regular,5000\n"
                                 "P2,乙,T1,rep,M1,2024-01-01,regular,5000\n";
static const char customers_csv[] = "id,name,kind,class,owner_id\n"
                                    "C1,客户,customer,A,P1\n";

static enum jx_status import(struct fixture *f, enum jx_kind kind, const char *csv)
{
    return jx_import_buffer(f->st, kind, "t.csv", csv, strlen(csv), NULL, &f->rep);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct jx_err err;
    snprintf(f->path, sizeof f->path, "/tmp/jx-test-import-%d.db", (int)getpid());
    unlink(f->path);
    if (jx_store_open(f->path, true, &f->st, &err) || jx_store_migrate(f->st, NULL, NULL, &err))
        return -1;
    if (import(f, JX_KIND_UNITS, units_csv) || import(f, JX_KIND_PEOPLE, people_csv) ||
        import(f, JX_KIND_CUSTOMERS, customers_csv))
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

static long count(struct fixture *f, enum jx_kind kind)
{
    long n = -1;
    assert_int_equal(jx_store_count(f->st, kind, &n, NULL), JX_OK);
    return n;
}

/* One text value from the database (a fresh connection: what another reader sees). */
static void query(struct fixture *f, const char *sql, char *out, size_t n)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    snprintf(out, n, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
}

/* Lines are physical: quoted newlines, CRLF, blank lines and blank rows all count. */
static void line_numbers(void **state)
{
    struct fixture *f = *state;
    const char *csv = "\xef\xbb\xbf"
                      "person_id,date,kind,note\r\n"                 /* 1 */
                      "P1,2025-08-01,a,\"one\r\ntwo\r\nthree\"\r\n" /* 2-4 */
                      "\r\n"                                         /* 5 */
                      ",,,\r\n"                                      /* 6 */
                      "P1,2025-08-02,b,\"x\"\r\n"                    /* 7 */
                      "  \"P9\"  ,2025-08-03,c,\"\n\n\"\r\n"         /* 8-10 */
                      "P1,2025-13-01,d,";                            /* 11, no newline */
    assert_int_equal(import(f, JX_KIND_EVENTS, csv), JX_EINPUT);
    assert_int_equal(f->rep.nerrors, 2);
    assert_int_equal(f->rep.errs[0].line, 8);
    assert_string_equal(f->rep.errs[0].field, "person_id");
    assert_string_equal(f->rep.errs[0].msg, "no person \"P9\" in the database");
    assert_int_equal(f->rep.errs[1].line, 11);
    assert_string_equal(f->rep.errs[1].field, "date");
    assert_string_equal(f->rep.errs[1].file, "t.csv");
    assert_int_equal(f->rep.rows, 4);
    assert_int_equal(f->rep.written, 0);
    assert_int_equal(count(f, JX_KIND_EVENTS), 0);
}

/* At most JX_IMPORT_MAX_ERRORS are kept, the rest counted; kept ones are in line order. */
static void error_limit(void **state)
{
    struct fixture *f = *state;
    char csv[8192];
    size_t n = (size_t)snprintf(csv, sizeof csv, "id,name,parent_id,kind\n");
    /* Row 2 refers forward to a unit that never comes: reported after the pass. */
    n += (size_t)snprintf(csv + n, sizeof csv - n, "A0,x,NOWHERE,team\n");
    for (int i = 1; i <= 60; i++)
        n += (size_t)snprintf(csv + n, sizeof csv - n, "A%d,x,,nope\n", i);
    assert_int_equal(import(f, JX_KIND_UNITS, csv), JX_EINPUT);
    assert_int_equal(f->rep.nerrors, JX_IMPORT_MAX_ERRORS);
    assert_int_equal(f->rep.more_errors, 11);
    for (int i = 1; i < f->rep.nerrors; i++)
        assert_true(f->rep.errs[i - 1].line <= f->rep.errs[i].line);
}

/* A unit may name as parent a unit further down the file; an unknown one is an error. */
static void forward_references(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(import(f, JX_KIND_UNITS,
                            "id,name,parent_id,kind\nT2,二组,D1,team\nD1,一部,CO,department\n"),
                     JX_OK);
    assert_int_equal(f->rep.written, 2);
    assert_int_equal(import(f, JX_KIND_UNITS,
                            "id,name,parent_id,kind\nT3,三组,D2,team\nD3,三部,CO,department\n"),
                     JX_EINPUT);
    assert_int_equal(f->rep.nerrors, 1);
    assert_int_equal(f->rep.errs[0].line, 2);
    assert_string_equal(f->rep.errs[0].msg, "no unit \"D2\" in the database or in this file");
    assert_int_equal(import(f, JX_KIND_UNITS, "id,name,parent_id,kind\nT4,四组,T4,team\n"),
                     JX_EINPUT);
    assert_string_equal(f->rep.errs[0].msg, "\"T4\" refers to the row itself");
}

/* Splits are stored in one canonical form; equal splits written differently agree. */
static void canonical_split(void **state)
{
    struct fixture *f = *state;
    char v[128];
    const char *csv = "contract_id,signed_date,customer_id,person_id,product,quantity,"
                      "unit_price,base_price,split\n"
                      "K1,2025-08-01,C1,P1,a,1,10,9, P2 : 33.5% ; P1:66.5 ;\n"
                      "K1,2025-08-01,C1,P1,b,1,10,9,P1:66.50;P2:33.50\n";
    assert_int_equal(import(f, JX_KIND_CONTRACTS, csv), JX_OK);
    query(f, "SELECT split FROM contracts WHERE contract_id='K1'", v, sizeof v);
    assert_string_equal(v, "P1:66.5;P2:33.5");
    query(f, "SELECT group_concat(share) FROM (SELECT share FROM contract_splits "
             "ORDER BY person_id)", v, sizeof v);
    assert_string_equal(v, "665000000,335000000");
    assert_int_equal(count(f, JX_KIND_CONTRACTS), 2);
    /* The same file again replaces the contract: still two lines. */
    assert_int_equal(import(f, JX_KIND_CONTRACTS, csv), JX_OK);
    assert_int_equal(count(f, JX_KIND_CONTRACTS), 2);
}

/*
 * Every allocation of an import fails in turn.  Each run either writes the
 * whole file or fails with ENOMEM, says "out of memory" and changes nothing.
 * (libcsv retries a failed buffer growth with a smaller block, so a failure
 * there may be absorbed.)  Stops after 20 runs in a row that succeed: the
 * failure then falls beyond the import's last allocation.
 */
static void allocation_failures(void **state)
{
    struct fixture *f = *state;
    const char *csv = "contract_id,signed_date,customer_id,person_id,product,quantity,"
                      "unit_price,base_price,split\n"
                      "K1,2025-08-01,C1,P1,a,1,10,9,P1:50;P2:50\n"
                      "K2,2025-08-01,C1,P2,\"b\nb\",1,10,9,\n"
                      "K1,2025-08-01,C1,P1,c,1,10,9,P2:50;P1:50\n";
    int n, ok_in_a_row = 0, failures = 0;
    for (n = 1; n < 2000 && ok_in_a_row < 20; n++) {
        long before = count(f, JX_KIND_CONTRACTS);
        jx_alloc_fail_after(n);
        enum jx_status st = import(f, JX_KIND_CONTRACTS, csv);
        jx_alloc_fail_after(0);
        if (st == JX_OK) {
            ok_in_a_row++;
            assert_int_equal(f->rep.nerrors, 0);
            assert_int_equal(f->rep.written, 3);
            assert_int_equal(count(f, JX_KIND_CONTRACTS), 3);
            continue;
        }
        ok_in_a_row = 0;
        failures++;
        assert_int_equal(st, JX_ENOMEM);
        assert_int_equal(f->rep.nerrors, 1);
        assert_string_equal(f->rep.errs[0].msg, "out of memory");
        assert_int_equal(f->rep.written, 0);
        assert_int_equal(count(f, JX_KIND_CONTRACTS), before);
    }
    assert_int_equal(ok_in_a_row, 20);
    assert_true(failures > 5); /* the loop did reach the import's allocations */
}

/* A large input gets a progress line per tenth for each pass, plain lines when not a tty. */
static void progress_lines(void **state)
{
    struct fixture *f = *state;
    size_t cap = 16u << 20, n = 0;
    char *csv = malloc(cap);
    assert_non_null(csv);
    n += (size_t)snprintf(csv, cap, "id,name,parent_id,kind\n");
    for (int i = 0; i < 200100; i++)
        n += (size_t)snprintf(csv + n, cap - n, "B%d,n,T1,team\n", i);
    FILE *out = tmpfile();
    assert_non_null(out);
    struct jx_import_opts opts = {.who = "test", .progress = out};
    assert_int_equal(jx_import_buffer(f->st, JX_KIND_UNITS, "big.csv", csv, n, &opts, &f->rep),
                     JX_OK);
    assert_int_equal(f->rep.written, 200100);
    rewind(out);
    char line[256];
    int checking = 0, writing = 0;
    bool done = false;
    while (fgets(line, sizeof line, out)) {
        assert_non_null(strstr(line, "import big.csv: "));
        checking += strstr(line, ": checking ") != NULL;
        writing += strstr(line, ": writing ") != NULL;
        done = done || !strcmp(line, "import big.csv: writing 100% (200100 rows)\n");
    }
    assert_in_range(checking, 9, 11);
    assert_in_range(writing, 9, 11);
    assert_true(done);
    fclose(out);
    free(csv);
}

/* The store is not touched for a file that is refused: no audit entry either. */
static void refused_writes_nothing(void **state)
{
    struct fixture *f = *state;
    char v[32];
    query(f, "SELECT count(*) FROM audit_log", v, sizeof v);
    assert_string_equal(v, "3");
    assert_int_equal(import(f, JX_KIND_PAYMENTS, "id,contract_id,date,amount,kind\n"
                                                 "Y1,K404,2025-08-01,10,payment\n"),
                     JX_EINPUT);
    query(f, "SELECT count(*) FROM audit_log", v, sizeof v);
    assert_string_equal(v, "3");
    assert_int_equal(import(f, JX_KIND_PAYMENTS, ""), JX_EINPUT);
    assert_string_equal(f->rep.errs[0].msg,
                        "the file is empty: a header row and data rows are expected");
}

/*
 * The loader reads tables as stored when they are in key order and sorts
 * them when they are not: the same rows and the same digest either way.
 * Database a gets contracts and payments in key order, database b in another.
 */
static void stored_order_does_not_matter(void **state)
{
    struct fixture *a = *state, b = {0};
    struct jx_err err;
    struct jx_data da, db;
    static const char k_sorted[] = "contract_id,signed_date,customer_id,person_id,product,quantity,"
                                   "unit_price,base_price\n"
                                   "K1,2025-08-05,C1,P1,柜,1,100.00,90.00\n"
                                   "K1,2025-08-05,C1,P1,泵,2,50.00,40.00\n"
                                   "K2,2025-08-06,C1,P2,柜,1,300.00,90.00\n"
                                   "K3,2025-08-07,C1,P1,柜,1,700.00,90.00\n";
    static const char k_other[] = "contract_id,signed_date,customer_id,person_id,product,quantity,"
                                  "unit_price,base_price\n"
                                  "K3,2025-08-07,C1,P1,柜,1,700.00,90.00\n"
                                  "K1,2025-08-05,C1,P1,柜,1,100.00,90.00\n"
                                  "K2,2025-08-06,C1,P2,柜,1,300.00,90.00\n"
                                  "K1,2025-08-05,C1,P1,泵,2,50.00,40.00\n";
    static const char y_sorted[] = "id,contract_id,date,amount,kind\n"
                                   "Y1,K1,2025-08-20,10,payment\n"
                                   "Y2,K1,2025-08-21,20,payment\n"
                                   "Y0,K2,2025-08-09,5,deposit\n"
                                   "Y3,K2,2025-08-09,7,payment\n"
                                   "Y4,K3,2025-09-01,30,refund\n";
    static const char y_other[] = "id,contract_id,date,amount,kind\n"
                                  "Y4,K3,2025-09-01,30,refund\n"
                                  "Y3,K2,2025-08-09,7,payment\n"
                                  "Y2,K1,2025-08-21,20,payment\n"
                                  "Y0,K2,2025-08-09,5,deposit\n"
                                  "Y1,K1,2025-08-20,10,payment\n";
    snprintf(b.path, sizeof b.path, "/tmp/jx-test-import-b-%d.db", (int)getpid());
    unlink(b.path);
    assert_int_equal(jx_store_open(b.path, true, &b.st, &err), JX_OK);
    assert_int_equal(jx_store_migrate(b.st, NULL, NULL, &err), JX_OK);
    assert_int_equal(import(&b, JX_KIND_UNITS, units_csv), JX_OK);
    assert_int_equal(import(&b, JX_KIND_PEOPLE, people_csv), JX_OK);
    assert_int_equal(import(&b, JX_KIND_CUSTOMERS, customers_csv), JX_OK);
    assert_int_equal(import(a, JX_KIND_CONTRACTS, k_sorted), JX_OK);
    assert_int_equal(import(a, JX_KIND_PAYMENTS, y_sorted), JX_OK);
    assert_int_equal(import(&b, JX_KIND_CONTRACTS, k_other), JX_OK);
    assert_int_equal(import(&b, JX_KIND_PAYMENTS, y_other), JX_OK);
    assert_int_equal(jx_store_load(a->st, &da, &err), JX_OK);
    assert_int_equal(jx_store_load(b.st, &db, &err), JX_OK);
    assert_memory_equal(da.input_hash, db.input_hash, sizeof da.input_hash);
    assert_int_equal(da.contracts.n, 3);
    assert_int_equal(db.contracts.n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(da.contracts.id[i], db.contracts.id[i]);
        assert_int_equal(da.contracts.revenue[i], db.contracts.revenue[i]);
        assert_int_equal(da.contracts.nlines[i], db.contracts.nlines[i]);
    }
    assert_string_equal(da.contracts.id[0], "K1");
    assert_int_equal(da.contracts.revenue[0], 20000);
    assert_int_equal(da.payments.n, 5);
    assert_int_equal(db.payments.n, 5);
    static const int32_t want_contract[] = {0, 0, 1, 1, 2};
    static const int64_t want_amount[] = {1000, 2000, 500, 700, 3000};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(da.payments.contract[i], want_contract[i]);
        assert_int_equal(db.payments.contract[i], want_contract[i]);
        assert_int_equal(da.payments.amount[i], want_amount[i]);
        assert_int_equal(db.payments.amount[i], want_amount[i]);
        assert_int_equal(da.payments.date[i], db.payments.date[i]);
        assert_int_equal(da.payments.kind[i], db.payments.kind[i]);
    }
    jx_data_release(&da);
    jx_data_release(&db);
    jx_store_close(b.st);
    char p[80];
    unlink(b.path);
    snprintf(p, sizeof p, "%s-wal", b.path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", b.path);
    unlink(p);
}

/*
 * With many payments the lines and the payments are read on connections of
 * their own, alongside the rest (store/sqlite_load.c): the same rows and
 * digest as one connection reading everything, which it does when another
 * connection holds the write lock.  The payments are stored out of key
 * order, so that reader sorts them too; a line and payments naming no known
 * contract (written past the foreign keys) are left out either way.
 */
static void payments_read_alongside(void **state)
{
    struct fixture *f = *state;
    enum { NK = 500, NY = 70000 };
    size_t cap = NY * 48 + 64, len = 0;
    char *csv = malloc(cap);
    struct jx_err err;
    struct jx_data one, two;
    assert_non_null(csv);
    len += (size_t)snprintf(csv + len, cap - len, "contract_id,signed_date,customer_id,person_id,"
                                                  "product,quantity,unit_price,base_price\n");
    for (int k = 0; k < NK; k++)
        len += (size_t)snprintf(csv + len, cap - len, "K%04d,2025-01-05,C1,P1,柜,1,%d.00,1.00\n",
                                k, 1000 + k);
    assert_int_equal(jx_import_buffer(f->st, JX_KIND_CONTRACTS, "k.csv", csv, len, NULL, &f->rep),
                     JX_OK);
    len = (size_t)snprintf(csv, cap, "id,contract_id,date,amount,kind\n");
    for (int i = 0; i < NY; i++)
        len += (size_t)snprintf(csv + len, cap - len, "Y%05d,K%04d,2025-%02d-%02d,%d,%s\n", i,
                                i % NK, 1 + i % 9, 1 + i % 28, 1 + i % 97,
                                i % 13 ? "payment" : "refund");
    assert_int_equal(jx_import_buffer(f->st, JX_KIND_PAYMENTS, "y.csv", csv, len, NULL, &f->rep),
                     JX_OK);
    free(csv);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO contract_lines(contract_id,line_no,product,quantity,"
                                  "unit_price,base_price) VALUES('K0250x',1,'x',1000000000,5,1);"
                                  "INSERT INTO payments(id,contract_id,date,amount,kind) VALUES"
                                  "('Z1','K0250x','2025-02-01',3,'payment'),"
                                  "('Z2','ZZ','2025-02-01',4,'payment')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(jx_store_load(f->st, &one, &err), JX_OK);
    /* holding the write lock: the loader reads everything itself */
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(jx_store_load(f->st, &two, &err), JX_OK);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    assert_memory_equal(one.input_hash, two.input_hash, sizeof one.input_hash);
    assert_int_equal(one.payments.n, NY);
    assert_int_equal(two.payments.n, NY);
    assert_memory_equal(one.payments.contract, two.payments.contract, NY * sizeof(int32_t));
    assert_memory_equal(one.payments.date, two.payments.date, NY * sizeof(int32_t));
    assert_memory_equal(one.payments.amount, two.payments.amount, NY * sizeof(int64_t));
    assert_memory_equal(one.payments.kind, two.payments.kind, NY);
    assert_int_equal(one.lines.n, NK);
    assert_int_equal(two.lines.n, NK);
    assert_int_equal(one.contracts.n, NK);
    for (size_t k = 0; k < NK; k++) {
        assert_int_equal(one.lines.contract[k], k);
        assert_int_equal(two.lines.contract[k], k);
        assert_int_equal(one.contracts.line0[k], k);
        assert_int_equal(one.contracts.nlines[k], 1);
        assert_int_equal(two.contracts.line0[k], k);
        assert_int_equal(two.contracts.nlines[k], 1);
        assert_int_equal(one.contracts.revenue[k], two.contracts.revenue[k]);
    }
    for (size_t i = 1; i < NY; i++) /* by contract, then date */
        assert_true(one.payments.contract[i - 1] < one.payments.contract[i] ||
                    (one.payments.contract[i - 1] == one.payments.contract[i] &&
                     one.payments.date[i - 1] <= one.payments.date[i]));
    jx_data_release(&one);
    jx_data_release(&two);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(line_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(error_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(forward_references, setup, teardown),
        cmocka_unit_test_setup_teardown(canonical_split, setup, teardown),
        cmocka_unit_test_setup_teardown(allocation_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(progress_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(refused_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(stored_order_does_not_matter, setup, teardown),
        cmocka_unit_test_setup_teardown(payments_read_alongside, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
